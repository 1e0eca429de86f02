"""The events pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import events

urlpatterns: list[URLPattern] = [
    path("events/", events.events, name="events"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:event_id>/", events.event_detail, name="event"),
    path("events/<int:event_id>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:event_id>/met/", events.event_met, name="event_met"),
    path(
        "events/<int:event_id>/people/<int:person_id>/follow-up/",
        events.event_follow_up,
        name="event_follow_up",
    ),
]
