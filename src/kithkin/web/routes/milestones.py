"""The milestones pages."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import milestones

urlpatterns: list[URLPattern] = [
    path("milestones/", milestones.milestones, name="milestones"),
    path("milestones/new/", milestones.milestone_new, name="milestone_new"),
    path("milestones/window/", milestones.milestone_window, name="milestone_window"),
    path(
        "milestones/<int:milestone_id>/celebrate/",
        milestones.milestone_celebrate,
        name="milestone_celebrate",
    ),
    path(
        "milestones/<int:milestone_id>/delete/",
        milestones.milestone_delete,
        name="milestone_delete",
    ),
    path("people/<int:person_id>/celebrate/", milestones.person_celebrate, name="person_celebrate"),
]
