from __future__ import annotations

from django.db import models

from kithkin.clock import now


class MessageTemplate(models.Model):
    """A network's own wording for one kind of draft. Kinds without a row use the
    defaults that ship with Kithkin (``kithkin.services.drafts.DEFAULT_TEMPLATES``)."""

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow-up", "follow-up after meeting"
        THANK_YOU = "thank-you", "thank-you"
        CONGRATULATIONS = "congratulations", "congratulations"
        CHECK_IN = "check-in", "check-in"
        OFFER_HELP = "offer-help", "offer of help"
        OPPORTUNITY = "opportunity", "opportunity share"

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="message_templates"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["network", "kind"], name="message_template_once"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
