"""The change seam: one row per change a service made, written inside its transaction.

Whatever reacts to changes (derived state, webhooks, later history and sync) reads these
rows instead of being called from every service: a service says *what* changed, once, and
never knows who listens (``services.changes``). Each consumer keeps its own cursor, so a
slow or failing consumer holds back nobody else, and nothing is lost when the worker is
down: the rows wait.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kithkin.clock import now


class Change(models.Model):
    network = models.ForeignKey("kithkin.Network", on_delete=models.CASCADE, related_name="changes")
    # What happened, as "<record>.<verb>": "person.created", "interaction.logged" …
    # (the catalogue is services.changes.KINDS; webhooks subscribe to these names).
    kind = models.CharField(max_length=50)
    record_id = models.BigIntegerField(null=True, blank=True)
    person_ids = models.JSONField(default=list, blank=True)  # the people it touched
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=now)
    data = models.JSONField(default=dict, blank=True)  # what a listener needs to know
    # A field edit's values, {field: [before, after]}: the network's History shows them.
    # Kept apart from ``data`` because they may be text a person wrote (a note, a name):
    # they stay in the network and are never sent to a webhook.
    values = models.JSONField(default=dict, blank=True)
    # PostgreSQL: the writing transaction's id. Ids are handed out before commit, so a
    # change can become visible after one with a higher id; consumers read in
    # (transaction_id, id) order and only transactions that have ended
    # (services.changes.pending). SQLite has one writer at a time: ids commit in order.
    transaction_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "id"], name="change_network_order"),
            models.Index(fields=["transaction_id", "id"], name="change_commit_order"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.record_id}"


class ChangePerson(models.Model):
    """One person a change touched (``Change.person_ids``, indexed): a person's History reads
    their changes through it on every engine (SQLite cannot index into a JSON list)."""

    change = models.ForeignKey(Change, on_delete=models.CASCADE, related_name="people")
    person_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["person_id", "change"], name="change_person_history")]

    def __str__(self) -> str:
        return f"{self.change_id} → person {self.person_id}"


class ChangeCursor(models.Model):
    """How far one consumer has read the changes (the last ``Change.id`` it handled)."""

    consumer = models.CharField(max_length=100, unique=True)
    last_id = models.BigIntegerField(default=0)
    last_transaction_id = models.BigIntegerField(default=0)  # PostgreSQL's order, see Change
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.consumer} @ {self.last_id}"
