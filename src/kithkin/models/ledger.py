from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kithkin.clock import now


class ValueExchange(models.Model):
    """Value that went from a giver to a receiver (one of them is often *me*).

    An introduction is recorded once per person introduced: I gave Ada an introduction
    to Grace (``introduced_to``), and Grace one to Ada.
    """

    class Kind(models.TextChoices):
        ADVICE = "advice"
        INTRODUCTION = "introduction"
        REFERRAL = "referral"
        RESOURCE = "resource"
        HELP = "help"
        RECOMMENDATION = "recommendation"
        ENDORSEMENT = "endorsement"
        GIFT = "gift"
        OPPORTUNITY = "opportunity"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="value_exchanges"
    )
    giver = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="value_given"
    )
    receiver = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="value_received"
    )
    introduced_to = models.ForeignKey(
        "kithkin.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions_to",
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    description = models.TextField(blank=True)
    occurred_on = models.DateField()
    weight = models.PositiveSmallIntegerField(default=2)  # 1 (small) to 5 (life-changing)
    # The interaction it was logged with (an introduction, a share), if any.
    interaction = models.ForeignKey(
        "kithkin.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="value_exchanges",
    )
    thanked_at = models.DateTimeField(null=True, blank=True)
    thanked_in = models.ForeignKey(
        "kithkin.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thanked_exchanges",
    )
    source = models.CharField(max_length=10, default="manual")  # as Interaction.Source
    external_id = models.CharField(max_length=500, null=True, blank=True)  # noqa: DJ001
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=models.F("receiver")), name="value_exchange_two_people"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=5), name="value_exchange_weight"
            ),
            models.UniqueConstraint(
                fields=["network", "source", "external_id"],
                condition=Q(external_id__isnull=False),
                name="value_exchange_external_id_once",
            ),
        ]
        indexes = [
            models.Index(fields=["network", "thanked_at", "occurred_on"], name="value_unthanked")
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.giver_id} to {self.receiver_id}"

    @property
    def direction(self) -> str:
        """From my point of view: "given" (by me), "received" (by me), or "between" two
        other people (an introduction's other half)."""
        if self.giver.is_self:
            return "given"
        if self.receiver.is_self:
            return "received"
        return "between"
