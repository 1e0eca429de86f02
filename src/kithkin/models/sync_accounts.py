"""Synced accounts (issue 16): a mail box read over IMAP, a CalDAV calendar, a calendar
URL, each a user's own in one network, that log interactions by themselves.

An account is the ``SyncSource`` its sync function reads (``kithkin.sync.outcome``): its
``settings`` say what to read (host, folders, calendars, how far back) and its ``state``
where the last run stopped (UIDVALIDITY and UID per folder, a sync token, ETags), saved
with the interactions of each batch. Its password (for a calendar URL, the URL itself,
which is the secret) is stored encrypted (``kithkin.secret_box``) and never shown back.
The last run's counts, its error and the failures in a row are what Settings, `kith
account list`, the banner and the digest show; ``next_sync_at`` is when the worker runs
it next (later after each failure; never again, until the user acts, after a failure
retrying cannot fix).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from kithkin.clock import now


class SyncAccount(models.Model):
    class Kind(models.TextChoices):
        IMAP = "imap", "Mail (IMAP)"
        CALDAV = "caldav", "Calendar (CalDAV)"
        ICS = "ics", "Calendar URL"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="sync_accounts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_accounts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100)
    settings = models.JSONField(default=dict, blank=True)
    secret_encrypted = models.TextField(blank=True)  # Fernet token (kithkin.secret_box)
    state = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=now)
    last_sync_at = models.DateTimeField(null=True, blank=True)  # the last run that finished
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_counts = models.JSONField(default=dict, blank=True)  # SyncOutcome's fields
    last_error = models.CharField(max_length=300, blank=True)
    failures = models.PositiveIntegerField(default=0)  # in a row; a success resets it
    waits_for_user = models.BooleanField(default=False)  # a failure retrying cannot fix
    next_sync_at = models.DateTimeField(null=True, blank=True)  # None: waits for the user
    # Set while a run holds the account (one conditional UPDATE takes it), so two workers,
    # or a worker and `kith account sync`, never sync one account at once.
    syncing_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "network", "name"], name="sync_account_name")
        ]
        indexes = [models.Index(fields=["next_sync_at"], name="sync_account_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} account {self.name!r}"

    # --- kithkin.sync.outcome.SyncSource ---------------------------------------------

    def password(self) -> str:
        from kithkin import secret_box

        return secret_box.decrypt(self.secret_encrypted, secret_box.ACCOUNT_SECRETS)

    def save_state(self) -> None:
        SyncAccount.objects.filter(pk=self.pk).update(state=self.state)

    @property
    def failing(self) -> bool:
        return self.failures > 0

    @property
    def where(self) -> str:
        """Where it syncs from, as shown: host and port, the CalDAV URL, or for a calendar
        URL (its own secret) only the host."""
        if self.kind == self.Kind.IMAP:
            return f"{self.settings.get('host')}:{self.settings.get('port')}"
        if self.kind == self.Kind.CALDAV:
            return str(self.settings.get("url", ""))
        return str(self.settings.get("host", ""))

    @property
    def secret_set(self) -> bool:
        return bool(self.secret_encrypted)

    def setting(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)
