"""The triage page and its actions."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import triage

urlpatterns: list[URLPattern] = [
    path("triage/", triage.triage_page, name="triage"),
    path("triage/accept/", triage.triage_accept, name="triage_accept"),
    path("triage/selected/", triage.triage_selected, name="triage_selected"),
    path("triage/people/<int:person_id>/", triage.triage_person, name="triage_person"),
    path("triage/correspondents/", triage.triage_correspondent, name="triage_correspondent"),
    path("settings/new-people-circle/", triage.new_people_circle, name="new_people_circle"),
]
