from __future__ import annotations

from django.db import models
from django.db.models import Q

from kithkin.clock import now


class Mentorship(models.Model):
    """A mentor and a mentee (either may be *me*); sessions are interactions linked to it."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        PAUSED = "paused"
        ENDED = "ended"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="mentorships"
    )
    mentor = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    goals = models.TextField(blank=True)  # one goal per line
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    cadence_days = models.PositiveIntegerField(null=True, blank=True)  # None: no rhythm
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["status", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="mentorship_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"
