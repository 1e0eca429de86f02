"""The webhooks of the settings page: list, add (the secret shown once), test, enable,
remove."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import webhooks

urlpatterns: list[URLPattern] = [
    path("settings/webhooks/", webhooks.webhooks_page, name="webhooks"),
    path(
        "settings/webhooks/<int:webhook_id>/remove/", webhooks.webhook_remove, name="webhook_remove"
    ),
    path("settings/webhooks/<int:webhook_id>/test/", webhooks.webhook_test, name="webhook_test"),
    path(
        "settings/webhooks/<int:webhook_id>/enable/", webhooks.webhook_enable, name="webhook_enable"
    ),
]
