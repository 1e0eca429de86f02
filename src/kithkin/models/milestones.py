from __future__ import annotations

from django.db import models
from django.db.models import Q

from kithkin.clock import now


class Milestone(models.Model):
    """Something in a person's life to celebrate, or (a *support* kind) to help with.

    Birthdays kept on Person and work anniversaries from Affiliation start dates are
    occasions too, without a row here. Year is optional only for yearly milestones.
    """

    class Kind(models.TextChoices):
        NEW_JOB = "new-job", "new job"
        PROMOTION = "promotion"
        LAUNCH = "launch"
        AWARD = "award"
        PUBLICATION = "publication"
        GRADUATION = "graduation"
        BIRTHDAY = "birthday"
        WORK_ANNIVERSARY = "work-anniversary", "work anniversary"
        CUSTOM = "custom"
        # Support kinds: challenges to offer help with.
        JOB_LOSS = "job-loss", "job loss"
        ILLNESS = "illness"
        MOVE = "move"
        LOSS = "loss", "bereavement"

    SUPPORT_KINDS = frozenset({Kind.JOB_LOSS, Kind.ILLNESS, Kind.MOVE, Kind.LOSS})

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="milestones"
    )
    person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)  # for custom, or a detail
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    month = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    recurs_yearly = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["month", "day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12) & Q(day__gte=1) & Q(day__lte=31),
                name="milestone_month_day",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=False) | Q(recurs_yearly=True),
                name="milestone_year_unless_yearly",
            ),
        ]
        indexes = [models.Index(fields=["network", "month", "day"], name="milestone_day")]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_support(self) -> bool:
        return self.kind in self.SUPPORT_KINDS
