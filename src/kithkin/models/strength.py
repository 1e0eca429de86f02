from __future__ import annotations

from django.db import models

from kithkin.clock import now


class Strength(models.Model):
    """A person's relationship strength, from me (``kithkin.strength``): derived state,
    computed by ``services.strength.refresh`` when their interactions or ledger change and
    every day (recency decays), never per request. People with nothing that counts, now or
    90 days ago, have no row."""

    person = models.OneToOneField(
        "kithkin.Person", primary_key=True, on_delete=models.CASCADE, related_name="strength"
    )
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    score = models.PositiveSmallIntegerField()
    before = models.PositiveSmallIntegerField()  # the same formula as of 90 days ago
    trend = models.SmallIntegerField()  # score - before
    factors = models.JSONField(default=dict)  # kithkin.strength.Factors, as of today
    words = models.JSONField(default=list)  # one phrase per contributing factor
    computed_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # People sorted by strength, the strongest first.
            models.Index(fields=["network", "-score", "person"], name="strength_rank"),
            # Fading ties: the steepest fall first.
            models.Index(fields=["network", "trend"], name="strength_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.score}"


class StrengthSettings(models.Model):
    """A network's strength weights (``kithkin.strength.Weights``; without a row, the
    balanced preset) and the day its strengths were last all computed (the daily
    refresh; None: due again, the weights changed)."""

    network = models.OneToOneField(
        "kithkin.Network", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    weights = models.JSONField(default=dict)
    refreshed_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"strength settings of {self.network_id}"
