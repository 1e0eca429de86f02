"""Relationship strength's routes: its weights (Settings)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import strength

urlpatterns: list[URLPattern] = [
    path("settings/strength/", strength.strength_weights, name="strength_weights"),
]
