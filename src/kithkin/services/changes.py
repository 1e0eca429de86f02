"""The change seam (``models.changes``): services record what changed; consumers react.

A service calls ``record(...)`` inside its own transaction, so a change is recorded if and
only if it happened. Consumers register with ``@consumer(name)`` and receive the changes
after their cursor, in order, in batches; the worker's ``changes`` job drives them
(``dispatch``). A consumer that raises keeps its cursor and gets the same batch again
next time (consumers are idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Q

from kithkin import clock

if TYPE_CHECKING:
    from kithkin.models import Change, Network, User

log = logging.getLogger(__name__)

# The catalogue of change kinds: the names webhooks subscribe to, with what they mean.
KINDS: dict[str, str] = {
    "person.created": "a person was added",
    "person.updated": "a person's details changed",
    "person.archived": "a person was archived",
    "interaction.logged": "an interaction was logged",
    "follow_up.created": "a follow-up was created",
    "follow_up.done": "a follow-up was done",
    "value.recorded": "value given or received was recorded",
    "opportunity.shared": "an opportunity was shared with someone",
}

Handler = Callable[["Sequence[Change]"], None]
CONSUMERS: dict[str, Handler] = {}


def record(
    network: Network,
    kind: str,
    *,
    actor: User | None = None,
    record_id: int | None = None,
    person_ids: Iterable[int] = (),
    data: dict[str, object] | None = None,
) -> Change:
    from kithkin.models import Change

    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r} (add it to services.changes.KINDS)")
    return Change.objects.create(
        transaction_id=_writing_transaction_id(),
        network=network,
        kind=kind,
        actor=actor,
        record_id=record_id,
        person_ids=sorted(set(person_ids)),
        data=data or {},
        occurred_at=clock.now(),
    )


def consumer(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        CONSUMERS[name] = handler
        return handler

    return register


def _writing_transaction_id() -> int | None:
    """PostgreSQL: this transaction's id (see ``pending``); None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return int(cursor.fetchone()[0])


def _transaction_ids() -> tuple[int, int | None] | None:
    """PostgreSQL: (the oldest transaction still running, this one's if it wrote); None on
    SQLite, whose writers commit one at a time and so in id order."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned()::text::bigint"
        )
        oldest_running, own = cursor.fetchone()
    return oldest_running, own


def pending(name: str, *, limit: int = 500) -> list[Change]:
    """The changes ``name`` has not handled, in commit-safe order.

    On PostgreSQL a change is read only once every transaction that could still commit a
    change ordered before it has ended: changes are ordered by their transaction's id and
    read below the oldest transaction still running, so none appears behind the cursor
    later. (The reader's own uncommitted changes count as ended for itself.)
    """
    from kithkin.models import Change, ChangeCursor

    cursor = ChangeCursor.objects.filter(consumer=name).first()
    after_id = cursor.last_id if cursor else 0
    ids = _transaction_ids()
    if ids is None:
        return list(Change.objects.filter(id__gt=after_id).order_by("id")[:limit])
    oldest_running, own = ids
    after_transaction = cursor.last_transaction_id if cursor else 0
    ended = Q(transaction_id__lt=oldest_running)
    if own is not None:
        ended |= Q(transaction_id=own)
    later = Q(transaction_id__gt=after_transaction) | Q(
        transaction_id=after_transaction, id__gt=after_id
    )
    return list(Change.objects.filter(ended, later).order_by("transaction_id", "id")[:limit])


def advance(name: str, last: Change) -> None:
    from kithkin.models import ChangeCursor

    ChangeCursor.objects.update_or_create(
        consumer=name,
        defaults={
            "last_id": last.pk,
            "last_transaction_id": last.transaction_id or 0,
            "updated_at": clock.now(),
        },
    )


def dispatch(*, limit: int = 500) -> int:
    """Give every consumer its pending changes, one batch each; how many were handled."""
    handled = 0
    for name, handler in CONSUMERS.items():
        batch = pending(name, limit=limit)
        if not batch:
            continue
        try:
            with transaction.atomic():
                handler(batch)
                advance(name, batch[-1])
        except Exception:  # one consumer's failure holds back only itself
            log.exception("change consumer %s failed; it will get the batch again", name)
            continue
        handled += len(batch)
    return handled
