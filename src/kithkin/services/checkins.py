"""Keep-in-touch due dates (DESIGN.md §3).

Due = latest interaction with the person (any kind, any source) + cadence; never
interacted: from when they were connected or added. A snooze only moves it later. No
cadence: never due. The result is stored on Person (``last_interaction_at``,
``check_in_due_on``) so the agenda reads an index instead of a million interactions;
a write that changes an input records the change (``services.changes``) and
``services.derived_state`` calls these functions for the people it touched.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.db.models import Max, QuerySet

from kithkin import clock
from kithkin.models import InteractionParticipant, Network, Person
from kithkin.models.rows import update_rows
from kithkin.services import tallies


def check_in_due_on(
    *,
    cadence_days: int | None,
    last_interaction_on: dt.date | None,
    added_on: dt.date,
    snoozed_until: dt.date | None,
) -> dt.date | None:
    if cadence_days is None:
        return None
    due = (last_interaction_on or added_on) + dt.timedelta(days=cadence_days)
    if snoozed_until is not None and snoozed_until > due:
        return snoozed_until
    return due


def refresh_check_ins(
    network: Network, person_ids: Iterable[int] | None = None, *, cadence_only: bool = False
) -> int:
    """Recompute last interaction, due date and interaction tally for some people (or all).
    Returns how many due dates or last interactions changed.

    ``cadence_only``: only a cadence, circle, snooze or archiving changed, not anyone's
    interactions, so the stored last interaction is used instead of aggregating them again.

    One grouped aggregate over the participants, then an update of the rows that changed:
    a correlated subquery per person is planned badly by PostgreSQL right after a bulk
    load, before its statistics know the tables' sizes.
    """
    people = Person.objects.filter(network=network)
    participations = InteractionParticipant.objects.filter(interaction__network=network)
    ids: list[int] | None = None
    if person_ids is not None:
        ids = list(set(person_ids))
        if not ids:
            return 0
        people = people.filter(pk__in=ids)
        # By person only: with the network's condition too, SQLite walks every interaction
        # of the network and probes each id (minutes for a few thousand people). Only the
        # network's people are read below, so others' rows would be ignored anyway.
        participations = InteractionParticipant.objects.filter(person_id__in=ids)
    latest: dict[int, dt.datetime | None]
    if cadence_only:  # the interactions did not change: their latest is stored and current
        latest = dict(people.values_list("pk", "last_interaction_at"))
    else:
        latest, counted = {}, {}
        counts = cast(  # the tally's aggregates are built, so not typed
            Iterable[dict[str, Any]],
            participations.values("person_id").annotate(
                latest=Max("interaction__occurred_at"), **tallies.aggregates()
            ),
        )
        for row in counts:
            latest[row["person_id"]] = row["latest"]
            counted[row["person_id"]] = tallies.from_row(row)
        tallies.store(counted, ids, network.pk)
    return _store_due_dates(network, people, lambda pk, _stored: latest.get(pk))


def count_added_interactions(
    network: Network, added: dict[int, tallies.Tally], latest: dict[int, dt.datetime]
) -> int:
    """After interactions were only added (logged, imported): ``added`` says what they add
    to each person's tally, ``latest`` the newest of each person's. Combined with what is
    stored instead of aggregating everyone's interactions again; the same result as
    :func:`refresh_check_ins`. Returns how many due dates or last interactions changed."""
    if not latest:
        return 0
    tallies.add(added)
    # Locked while read (PostgreSQL), as the tallies: a writer adding at the same time
    # waits and then reads this one's last interaction.
    people = Person.objects.filter(network=network).select_for_update(of=("self",))

    def later(pk: int, stored: dt.datetime | None) -> dt.datetime | None:
        new = latest.get(pk)
        return new if stored is None or (new is not None and new > stored) else stored

    changed = 0
    ids = list(latest)
    for start in range(0, len(ids), 5000):
        chunk = people.filter(pk__in=ids[start : start + 5000])
        changed += _store_due_dates(network, chunk, later)
    return changed


def _store_due_dates(
    network: Network,
    people: QuerySet[Person],
    latest_of: Callable[[int, dt.datetime | None], dt.datetime | None],
) -> int:
    """Store each person's last interaction (``latest_of(pk, stored)``) and due date where
    they changed; how many did."""
    zone = network.time_zone
    changed: list[tuple[int, dt.date | None, dt.datetime | None]] = []
    due_only: dict[dt.date | None, list[int]] = defaultdict(list)
    rows = people.values_list(
        "pk",
        "is_self",
        "archived_at",
        "cadence_days",
        "circle__cadence_days",
        "last_interaction_at",
        "connected_on",
        "created_at",
        "snoozed_until",
        "check_in_due_on",
    )
    for (
        pk,
        is_self,
        archived_at,
        own_cadence,
        circle_cadence,
        stored_last,
        connected_on,
        created_at,
        snoozed_until,
        stored_due,
    ) in rows.iterator(chunk_size=5000):
        last_at = latest_of(pk, stored_last)
        cadence = own_cadence if own_cadence is not None else circle_cadence
        due = None
        if not is_self and archived_at is None:
            due = check_in_due_on(
                cadence_days=cadence,
                last_interaction_on=clock.local_date(last_at, zone) if last_at else None,
                added_on=connected_on or clock.local_date(created_at, zone),
                snoozed_until=snoozed_until,
            )
        if last_at != stored_last:
            changed.append((pk, due, last_at))
        elif due != stored_due:
            due_only[due].append(pk)
    if len(changed) > 3:  # one statement, many rows (bulk_update's CASE grows quadratically)
        update_rows(Person, ("check_in_due_on", "last_interaction_at"), changed)
    else:  # one person logged with: a plain UPDATE compiles in a fraction of bulk_update's
        for pk, due, last_at in changed:
            Person.objects.filter(pk=pk).update(check_in_due_on=due, last_interaction_at=last_at)
    # A new cadence (a circle set for thousands) moves due dates only: one UPDATE per
    # distinct date, far cheaper than bulk_update's CASE over every row.
    for due, pks in due_only.items():
        for start in range(0, len(pks), 5000):
            Person.objects.filter(pk__in=pks[start : start + 5000]).update(check_in_due_on=due)
    return len(changed) + sum(len(pks) for pks in due_only.values())
