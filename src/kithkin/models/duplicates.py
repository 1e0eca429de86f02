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


class DuplicateScan(models.Model):
    """Where a network's stored duplicate pairs stand.

    ``changes`` counts the writes that may change who looks alike (a person added,
    renamed, given a contact point or a job, archived, merged...: ``services.duplicates.
    mark_stale``); the stored pairs are current when ``computed_changes`` equals it.
    """

    network = models.OneToOneField(
        "kithkin.Network", on_delete=models.CASCADE, related_name="duplicate_scan"
    )
    changes = models.BigIntegerField(default=0)
    computed_changes = models.BigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Set while a background computation runs, so that only one runs at a time.
    computing_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"duplicates of network {self.network_id}: {self.computed_changes}/{self.changes}"


class DuplicateCandidate(models.Model):
    """One pair of people who may be one person, as ``queries.duplicates`` found it when
    the network's pairs were last computed (``DuplicateScan``). Dismissed pairs and people
    archived since are left out when the pairs are read."""

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="duplicate_candidates"
    )
    person_a = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    rank = models.PositiveIntegerField()  # 0 for the likeliest pair of the network

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="candidate_pair_once"),
            models.CheckConstraint(
                condition=Q(person_a__lt=F("person_b")), name="candidate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["network", "rank"], name="candidate_rank")]

    def __str__(self) -> str:
        return f"{self.person_a_id} may be {self.person_b_id} ({self.score})"
