"""The calendar feeds of the settings page: make (again), revoke, titles only. The feed
itself is served by the feeds interface (kithkin/feeds/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import feed_settings

urlpatterns: list[URLPattern] = [
    path("settings/feeds/<int:network_id>/make/", feed_settings.feed_make, name="feed_make"),
    path("settings/feeds/<int:network_id>/revoke/", feed_settings.feed_revoke, name="feed_revoke"),
    path(
        "settings/feeds/<int:network_id>/titles-only/",
        feed_settings.feed_titles_only,
        name="feed_titles_only",
    ),
]
