"""The API tokens of the settings page: make one (shown once), revoke one."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import settings

urlpatterns: list[URLPattern] = [
    path("settings/tokens/", settings.token_create, name="token_create"),
    path("settings/tokens/<int:token_id>/revoke/", settings.token_revoke, name="token_revoke"),
]
