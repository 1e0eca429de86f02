from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class UndoableAction(models.Model):
    """One action a user took in place (done, snooze, log, thank, celebrate), with the
    steps that revert it (``services.undo``). Only its user can undo it, in its network."""

    class Kind(models.TextChoices):
        DONE = "done", "done"
        SNOOZE = "snooze", "snooze"
        LOG = "log", "log"
        THANK = "thank", "thank"
        CELEBRATE = "celebrate", "celebrate"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="undoable_actions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="undoable_actions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=300)  # what happened: "Done: Send the deck"
    steps = models.JSONField(default=list)  # how to revert it, applied last to first
    created_at = models.DateTimeField(default=now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "network", "-created_at"], name="undo_latest")]

    def __str__(self) -> str:
        return self.summary
