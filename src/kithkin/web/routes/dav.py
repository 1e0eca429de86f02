"""CardDAV's app passwords on the settings page. CardDAV itself is served by the dav
interface (kithkin/dav/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import dav_settings

urlpatterns: list[URLPattern] = [
    path("settings/dav/", dav_settings.app_password_make, name="app_password_make"),
    path(
        "settings/dav/<int:app_password_id>/revoke/",
        dav_settings.app_password_revoke,
        name="app_password_revoke",
    ),
]
