from __future__ import annotations

from django.db import models


class SyncedEvent(models.Model):
    """Which interaction a synced calendar's event became: one row per occurrence, keyed by
    the account, the calendar and the event's id as the ICS importer keys it (its UID, or
    ``UID/<slot>`` for an occurrence of a series: ``importers.icalendar_events``), and the
    resource (``href``) it was read from, so a changed or deleted resource reconciles
    exactly the interactions it made.

    The interaction itself is the importer's (source "calendar", the same external id), so
    a meeting found by an import, an account and a teammate's account is one interaction;
    it is removed when the last row pointing at it goes. ``account`` is the key a sync
    keeps in its account's state (``kithkin.sync.calendar_events.account_key``)."""

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="+")
    account = models.CharField(max_length=64)
    calendar = models.CharField(max_length=500)  # the calendar's path; "" for a calendar URL
    href = models.CharField(max_length=500)  # the resource's path; "" for a calendar URL
    external_id = models.CharField(max_length=500)
    interaction = models.ForeignKey(
        "kithkin.Interaction", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "calendar", "external_id"], name="synced_event_once"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "calendar", "href"], name="synced_event_href"),
            models.Index(fields=["interaction"], name="synced_event_interaction"),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} -> {self.interaction_id}"
