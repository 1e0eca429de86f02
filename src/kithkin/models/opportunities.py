from __future__ import annotations

from django.db import models

from kithkin.clock import now


class Opportunity(models.Model):
    """A job, client, deal, talk or grant: for me, or to share with the people who would
    want it. ``source`` is who brought it, so the network's worth can be counted."""

    class Kind(models.TextChoices):
        JOB = "job"
        CLIENT = "client"
        DEAL = "deal"
        EVENT = "event"
        SPEAKING = "speaking"
        GRANT = "grant"
        COLLABORATION = "collaboration"

    class Status(models.TextChoices):
        OPEN = "open"
        SHARED = "shared"
        PURSUING = "pursuing"
        WON = "won"
        LOST = "lost"
        CLOSED = "closed"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    organization = models.ForeignKey(
        "kithkin.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    tags = models.ManyToManyField("kithkin.Tag", blank=True, related_name="opportunities")
    deadline = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    for_me = models.BooleanField(default=False)  # False: to share
    source = models.ForeignKey(
        "kithkin.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities_brought",
    )
    created_at = models.DateTimeField(default=now)
    updated_at = models.DateTimeField(default=now)
    # Derived (services.opportunity_matches): the strong matches "Worth sharing" names,
    # [[person id, score, [reason, ...]], ...], best first; None while not computed (or
    # not to share). Kept current through the change seam (services.derived_state).
    agenda_matches = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["network", "status"], name="opportunity_status")]

    def __str__(self) -> str:
        return self.title


class OpportunityShare(models.Model):
    """I told this person about this opportunity; what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "no answer yet"
        INTERESTED = "interested"
        APPLIED = "applied"
        DECLINED = "declined"
        WON = "won"
        LOST = "lost"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="opportunity_shares"
    )
    shared_at = models.DateTimeField(default=now)
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    interaction = models.ForeignKey(
        "kithkin.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunity_shares",
    )

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "person"], name="share_once"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} shared with {self.person_id}"
