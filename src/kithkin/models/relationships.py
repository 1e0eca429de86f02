from __future__ import annotations

from django.db import models
from django.db.models import F, Q


class Relationship(models.Model):
    """How two people are related. Directional kinds read "from_person is KIND of to_person"."""

    class Kind(models.TextChoices):
        COLLEAGUE = "colleague"
        FRIEND = "friend"
        FAMILY = "family"
        PARTNER = "partner"
        MANAGER = "manager"
        MENTOR = "mentor"
        INTRODUCED = "introduced", "introduced by"
        OTHER = "other"

    DIRECTIONAL = frozenset({Kind.MANAGER, Kind.MENTOR, Kind.INTRODUCED})

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="relationships"
    )
    from_person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="relationships_from"
    )
    to_person = models.ForeignKey(
        "kithkin.Person", on_delete=models.CASCADE, related_name="relationships_to"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(from_person=F("to_person")), name="not_self"),
            models.UniqueConstraint(
                fields=["from_person", "to_person", "kind"], name="relationship_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_person_id} {self.kind} {self.to_person_id}"
