"""Each person's interaction tally (``InteractionTally``): counted in the same grouped
aggregate that finds their latest interaction (``refresh_check_ins``), stored only where
it changed. The counting rules are here and nowhere else; triage reads the result.

Interactions that are only added (logging one, an import) need no recount: what each adds
(:func:`of_interaction`, the same rules for one interaction) is combined with the stored
tally (:func:`add`), so logging with someone of 2,000 interactions reads one row instead of
2,000. ``tests/test_tallies.py`` checks both ways agree for every kind of interaction."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import Count, Max, Q

from kithkin.models import Interaction, InteractionTally
from kithkin.models.interactions import MEETING_KINDS, MESSAGE_KINDS, is_invitation
from kithkin.models.rows import insert_rows, update_rows

Tally = tuple[Any, ...]  # InteractionTally.FIELDS, in order
K = TypeVar("K")


def aggregates() -> dict[str, Any]:
    """The tally of each person, as aggregates over their ``InteractionParticipant`` rows."""
    invitation = is_invitation("interaction__")
    talk = ~invitation
    meeting = Q(interaction__kind__in=MEETING_KINDS)
    return {
        "talks": Count("pk", filter=talk),
        "messages": Count("pk", filter=talk & Q(interaction__kind__in=MESSAGE_KINDS)),
        "meetings": Count("pk", filter=meeting),
        "inbound": Count("pk", filter=talk & Q(interaction__direction="inbound")),
        "outbound": Count("pk", filter=talk & Q(interaction__direction="outbound")),
        "last_talk_at": Max("interaction__occurred_at", filter=talk),
        "last_meeting_at": Max("interaction__occurred_at", filter=meeting),
        "they_invited": Count(
            "pk", filter=invitation & Q(interaction__direction=Interaction.Direction.INBOUND)
        ),
        "i_invited": Count(
            "pk", filter=invitation & Q(interaction__direction=Interaction.Direction.OUTBOUND)
        ),
    }


def of_interaction(
    *, kind: str, direction: str, source: str, external_id: str | None, occurred_at: dt.datetime
) -> Tally:
    """What one interaction adds to the tally of each of its people: :func:`aggregates`
    over a single row."""
    invitation = source == Interaction.Source.LINKEDIN and (external_id or "").startswith(
        "invitation/"
    )
    counts, dated = _shape(kind, direction, invitation)
    if not dated:
        return counts
    values = list(counts)
    for index in dated:
        values[index] = occurred_at
    return tuple(values)


@functools.lru_cache(maxsize=256)
def _shape(kind: str, direction: str, invitation: bool) -> tuple[Tally, tuple[int, ...]]:
    """The counts one interaction of this shape adds, and which instants take its time
    (an import adds 200,000: the rules are applied once per shape)."""
    talk = not invitation
    meeting = kind in MEETING_KINDS
    at = {"last_talk_at": talk, "last_meeting_at": meeting}
    counted = {
        "talks": talk,
        "messages": talk and kind in MESSAGE_KINDS,
        "meetings": meeting,
        "inbound": talk and direction == Interaction.Direction.INBOUND,
        "outbound": talk and direction == Interaction.Direction.OUTBOUND,
        "they_invited": invitation and direction == Interaction.Direction.INBOUND,
        "i_invited": invitation and direction == Interaction.Direction.OUTBOUND,
    }
    counts = tuple(
        None if name in at else (counted[name] if name.endswith("invited") else int(counted[name]))
        for name in InteractionTally.FIELDS
    )
    dated = tuple(i for i, name in enumerate(InteractionTally.FIELDS) if at.get(name))
    return counts, dated


def _later(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    return b if a is None or (b is not None and b > a) else a


# combine() below spells the fields out, in this order.
assert InteractionTally.FIELDS == (
    "talks",
    "messages",
    "meetings",
    "inbound",
    "outbound",
    "last_talk_at",
    "last_meeting_at",
    "they_invited",
    "i_invited",
)


def combine(a: Tally, b: Tally) -> Tally:
    """The tally of two sets of interactions: counts added, the later instant, either flag."""
    return (
        a[0] + b[0],
        a[1] + b[1],
        a[2] + b[2],
        a[3] + b[3],
        a[4] + b[4],
        _later(a[5], b[5]),
        _later(a[6], b[6]),
        a[7] or b[7],
        a[8] or b[8],
    )


def is_one_interaction(tally: Tally) -> bool:
    """Whether ``tally`` counts exactly one interaction (one talk, no invitation: an
    invitation is a flag, so several would look like one)."""
    return tally[0] == 1 and not tally[7] and not tally[8]


EMPTY: Tally = tuple(
    None if name.endswith("_at") else (False if name.endswith("invited") else 0)
    for name in InteractionTally.FIELDS
)


def add(added: dict[int, Tally]) -> None:
    """Add new interactions' tallies (``added``: person id -> what they add) to the stored
    ones. The rows are locked while read (PostgreSQL), so two writers adding at once both
    count."""
    ids = list(added)
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        # Rows by executemany, no model each (an import adds to thousands under the lock).
        insert_rows(
            InteractionTally, ("person", *InteractionTally.FIELDS), [(pk, *EMPTY) for pk in chunk]
        )
        stored = (
            InteractionTally.objects.select_for_update()
            .filter(person_id__in=chunk)
            .values_list("person_id", *InteractionTally.FIELDS)
        )
        sums = [(row[0], combine(tuple(row[1:]), added[row[0]])) for row in stored]
        if len(sums) > 3:  # an import: one executemany UPDATE (bulk_update's CASE is quadratic)
            update_rows(InteractionTally, InteractionTally.FIELDS, [(pk, *t) for pk, t in sums])
            continue
        changed = [
            InteractionTally(person_id=pk, **dict(zip(InteractionTally.FIELDS, t, strict=True)))
            for pk, t in sums
        ]
        for (
            tally
        ) in changed:  # logging: a plain UPDATE compiles in a fraction of bulk_update's CASE
            InteractionTally.objects.filter(person_id=tally.person_id).update(
                **{name: getattr(tally, name) for name in InteractionTally.FIELDS}
            )


def added_by(rows: Iterable[tuple[Iterable[K], Tally]]) -> dict[K, Tally]:
    """Each one's part of new interactions: ``rows`` of (their people, what it adds)."""
    added: dict[K, Tally] = {}
    for people, tally in rows:
        for key in people:
            added[key] = combine(added[key], tally) if key in added else tally
    return added


def from_row(row: dict[str, Any]) -> Tally:
    """A row of :func:`aggregates` as stored (the invitation counts become flags)."""
    return tuple(
        bool(row[name]) if name in ("they_invited", "i_invited") else row[name]
        for name in InteractionTally.FIELDS
    )


def store(counted: dict[int, Tally], person_ids: list[int] | None, network_id: int) -> None:
    """Write the tallies that changed. ``counted``: every person of ``person_ids`` (or of the
    network) with an interaction; the others lose their tally."""
    stored = InteractionTally.objects.all()
    if person_ids is None:
        stored = stored.filter(person__network_id=network_id)
    else:
        stored = stored.filter(person_id__in=person_ids)
    current = {
        row[0]: tuple(row[1:]) for row in stored.values_list("person_id", *InteractionTally.FIELDS)
    }
    gone = [pk for pk in current if pk not in counted]
    for start in range(0, len(gone), 5000):
        InteractionTally.objects.filter(person_id__in=gone[start : start + 5000]).delete()
    changed = [
        InteractionTally(person_id=pk, **dict(zip(InteractionTally.FIELDS, tally, strict=True)))
        for pk, tally in counted.items()
        if current.get(pk) != tally  # aware datetimes compare as instants
    ]
    InteractionTally.objects.bulk_create(
        changed,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=list(InteractionTally.FIELDS),
    )
