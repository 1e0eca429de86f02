"""Webhooks: a network's subscriptions to its changes, and the log of every delivery.

A subscription names a URL and the change kinds it wants (``services.changes.KINDS``;
none named: every kind). Its signing secret is stored encrypted (``services.webhooks``
derives the key from the secret key): it must be recovered to sign each delivery, so a
digest would not do. A delivery is one attempt to POST one change to one subscription;
a failed attempt that will be retried names when (``next_attempt_at``) and the retry is a
row of its own, so the log shows every attempt with its status code.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models

from kithkin.clock import now


class WebhookSubscription(models.Model):
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list, blank=True)  # change kinds; empty: every kind
    secret_encrypted = models.TextField()  # Fernet token of the signing secret
    active = models.BooleanField(default=True)
    # Attempts failed in a row (a success resets it), and since when it has been failing.
    failure_count = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    # The network's latest change when it was made: what came before is not its to send.
    after_change_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["network", "active"], name="webhook_network_active")]

    def __str__(self) -> str:
        return f"webhook #{self.pk} to {self.display_url}"

    @property
    def display_url(self) -> str:
        """The URL without its query string: a receiver's token often travels there."""
        parts = urlsplit(self.url)
        hidden = "?…" if parts.query else ""
        return f"{parts.scheme}://{parts.netloc}{parts.path}{hidden}"

    def wants(self, kind: str) -> bool:
        return not self.events or kind in self.events


class WebhookDelivery(models.Model):
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    # None for a ping (`kith webhook test`): it reports no change.
    change = models.ForeignKey(
        "kithkin.Change", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=50)
    attempt = models.PositiveSmallIntegerField(default=1)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)  # what went wrong, short
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    # Before the attempt: when it is due. After a failed one: when the retry is due
    # (None: no retry follows, the delivery has failed for good).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)  # a 2xx answer
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "change", "attempt"], name="webhook_attempt_once"
            )
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_recent")
        ]

    def __str__(self) -> str:
        return f"{self.kind} to webhook #{self.subscription_id}, attempt {self.attempt}"

    @property
    def succeeded(self) -> bool:
        return self.delivered_at is not None

    @property
    def pending(self) -> bool:
        return self.attempted_at is None
