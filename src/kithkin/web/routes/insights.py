"""The Dashboard, warm-intro paths and the graph around a person."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import insights as views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("paths/", views.paths, name="paths"),
    path("people/<int:person_id>/graph/", views.person_graph, name="person_graph"),
]
