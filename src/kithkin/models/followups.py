from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class FollowUp(models.Model):
    """Something I owe someone, due on a date; may recur (an RFC 5545 RRULE)."""

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="follow_ups"
    )
    title = models.CharField(max_length=300)
    people = models.ManyToManyField("kithkin.Person", related_name="follow_ups")
    due_on = models.DateField()
    # e.g. "FREQ=WEEKLY;INTERVAL=2"; completing a recurring follow-up schedules the next.
    recurrence = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    interaction = models.ForeignKey(
        "kithkin.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    draft = models.TextField(blank=True)  # a message to send, ready to copy
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["network", "done_at", "due_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None
