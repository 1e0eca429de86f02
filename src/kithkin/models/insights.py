"""Totals the Dashboard's charts read instead of a year of interactions (queries/insights.py).

- ``InteractionDay``: how many interactions of each kind a network has on each UTC day,
  spread over ``SHARDS`` rows (the interaction's id modulo it; readers sum them), so
  concurrent writers of one day seldom wait on one row's lock. Kept by database triggers on ``kithkin_interaction`` (``kithkin.interaction_days``), so
  every write counts, whichever code makes it (a log, an import's bulk insert, a delete,
  a restore from the trash). A month in the network's time zone is its whole UTC days
  plus or minus the hours between its first local midnight and the nearest UTC midnight.
- ``KeptSpan``: the stretches of local days over which a person in a circle with a cadence
  was in touch within it: from a contact until the cadence runs out after the last contact
  of the run. Derived from their interactions, circle and archiving through the change
  seam (``services.insight_totals``); "kept on cadence at the end of a month" is then "a
  span covers that day".
"""

from __future__ import annotations

from django.db import models


class InteractionDay(models.Model):
    SHARDS = 8

    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()  # UTC
    kind = models.CharField(max_length=10)
    shard = models.SmallIntegerField(default=0)  # the interactions' id % SHARDS
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "day", "kind", "shard"], name="interaction_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.kind} on {self.day}"


class KeptSpan(models.Model):
    network = models.ForeignKey(
        "kithkin.Network", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey("kithkin.Person", on_delete=models.CASCADE, related_name="+")
    circle = models.ForeignKey("kithkin.Circle", on_delete=models.CASCADE, related_name="+")
    start = models.DateField()  # the first contact of the run (local date)
    end = models.DateField()  # the day the cadence ran out after its last contact (excluded)

    class Meta:
        indexes = [models.Index(fields=["network", "end", "start", "circle"], name="kept_span")]

    def __str__(self) -> str:
        return f"person {self.person_id} kept from {self.start} until {self.end}"
