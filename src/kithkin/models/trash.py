"""The trash: what was deleted in the last 30 days, whole, so it can be restored
(``services.trash``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now

KEEP_DAYS = 30  # how long the trash keeps what was deleted


class TrashedItem(models.Model):
    """One deleted person, interaction or follow-up, with every row that went with it.

    ``rows`` is the snapshot of every row the delete removed (the record, the rows that
    cascaded from it: contact points, taggings, participants, relationships, jobs, ...), in
    Django's serialisation, parents first; ``links`` the links of rows that stayed and were
    emptied by the delete (someone they introduced: ``[model, field, value, [pks]]``).
    Restoring writes them back with their ids, in one transaction."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        INTERACTION = "interaction", "interaction"
        FOLLOW_UP = "follow_up", "follow-up"

    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="trash")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record_id = models.BigIntegerField()
    name = models.CharField(max_length=300)  # what the list shows: a name, a title
    person_ids = models.JSONField(default=list)  # the people it concerned
    rows = models.JSONField(default=list)
    links = models.JSONField(default=list)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["network", "-deleted_at"], name="trash_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"
