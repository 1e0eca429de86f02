"""The digest's routes: its preferences (Settings) and the unsubscribe link of its emails."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import digest

urlpatterns: list[URLPattern] = [
    path("settings/digest/", digest.digest_settings, name="digest_settings"),
    path("digest/networks/<int:network_id>/open/", digest.digest_open, name="digest_open"),
    path("digest/unsubscribe/<str:token>/", digest.digest_unsubscribe, name="digest_unsubscribe"),
]
