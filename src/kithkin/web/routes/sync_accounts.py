"""Settings → Accounts: synced mail and calendar accounts (docs/accounts.md)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import sync_accounts

urlpatterns: list[URLPattern] = [
    path("settings/accounts/imap/", sync_accounts.account_add_imap, name="account_add_imap"),
    path("settings/accounts/caldav/", sync_accounts.account_add_caldav, name="account_add_caldav"),
    path("settings/accounts/ics/", sync_accounts.account_add_ics, name="account_add_ics"),
    path(
        "settings/accounts/<int:account_id>/sync/", sync_accounts.account_sync, name="account_sync"
    ),
    path(
        "settings/accounts/<int:account_id>/password/",
        sync_accounts.account_secret,
        name="account_secret",
    ),
    path(
        "settings/accounts/<int:account_id>/remove/",
        sync_accounts.account_remove,
        name="account_remove",
    ),
]
