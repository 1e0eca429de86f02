from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kithkin.clock import now


class DismissedDuplicate(models.Model):
    """Two people a user said are not the same person: the pair is never suggested again.

    The pair is stored once, the lower person id first (``services.merge`` orders it).
    """

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="dismissed_duplicates"
    )
    person_a = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissed_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dismissed_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="dismissed_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} is not {self.person_b_id}"
