"""The mentorships pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import mentorships as views

urlpatterns: list[URLPattern] = [
    path("mentorships/", views.mentorships, name="mentorships"),
    path("mentorships/new/", views.mentorship_new, name="mentorship_new"),
    path("mentorships/<int:mentorship_id>/", views.mentorship, name="mentorship"),
    path(
        "mentorships/<int:mentorship_id>/session/",
        views.mentorship_session,
        name="mentorship_session",
    ),
    path(
        "mentorships/<int:mentorship_id>/status/",
        views.mentorship_status,
        name="mentorship_status",
    ),
    path("mentorships/<int:mentorship_id>/goal/", views.mentorship_goal, name="mentorship_goal"),
]
