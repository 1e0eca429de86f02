"""Apply an import plan: one transaction, bulk writes, one change recorded (``import.applied``,
which brings the derived state of everyone touched up to date once).

People are written by ``services.contact_records.write_contacts``, the one write path every
record from outside takes (a single card through ``save_contact_record`` too), so an import
applies the same rules as the web form and the CLI (``services.contact_rules``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from kithkin import access, clock
from kithkin.fulltext import interactions_indexed_in_bulk
from kithkin.importers import freshness
from kithkin.importers.plan import plan_import
from kithkin.importers.planned import ImportPlan, PlannedContact, PlannedInteraction
from kithkin.importers.records import collecting_later, stored_id
from kithkin.models import (
    Affiliation,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    User,
    ValueExchange,
)
from kithkin.models.rows import (
    PreparedRows,
    insert_prepared,
    insert_rows,
    prepare_rows,
    reserve_ids,
)
from kithkin.queries.memberships import organization_key
from kithkin.services import changes, tallies
from kithkin.services.contact_records import (
    PreparedContacts,
    organizations_by_key,
    prepare_contacts,
    write_contacts,
)
from kithkin.services.contact_rules import fitting, one_line
from kithkin.services.derived_state import Added, Known
from kithkin.services.people import find_circle, joining_circle
from kithkin.services.query_planner import refresh_statistics_after_commit

BATCH = 2000


@dataclass
class ImportSummary:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    interactions: int = 0
    values: int = 0  # value received (LinkedIn endorsements and recommendations)
    # The plan applied: the one given, or the one made again because the network changed
    # after it was made (importers.freshness).
    plan: ImportPlan | None = field(default=None, repr=False, compare=False)


# The steps of an apply, in order, for a progress bar: each is reported as it starts.
APPLY_STEPS = (
    "people",
    "contact points",
    "jobs and tags",
    "details",
    "interactions",
    "value received",
    "due dates",
    "search index",
)

# A plan found out of date in the transaction is made again outside it this many times;
# then inside it, where nothing can change it any more.
PLANNED_OUTSIDE = 2


class PlanOutdated(Exception):
    """The network changed after the plan was made, and the plan cannot be made again
    (it does not hold the records it was made from)."""


def _no_progress(step: str) -> None:
    return None


def apply_plan(
    network: Network,
    actor: User,
    plan: ImportPlan,
    progress: Callable[[str], None] = _no_progress,
    *,
    circle: str = "",
    replanned: Callable[[ImportPlan], ImportPlan] | None = None,
    savepoint: bool = True,
) -> ImportSummary:
    """Write what the plan says, or nothing: the whole import is one transaction.
    ``progress`` hears the name of each of ``APPLY_STEPS`` as it starts. The people it
    creates join ``circle`` (a name), else the network's circle for new people, else none.

    The plan was made outside the transaction (on SQLite it holds the database's only
    write lock, which every other writer waits for), and so are the rows of the new
    interactions. Inside it, the changes committed since the plan read the network are
    checked (``importers.freshness``): if any could change the plan, the transaction
    ends unwritten and the import plans again outside it; after ``PLANNED_OUTSIDE`` tries
    (or when the caller's transaction is already open) it plans again inside, so what
    is applied is always what planning against the network as written would give.
    ``replanned`` hears each plan made again and answers the plan to apply (the web's
    confirm refuses one that differs from what was reviewed). The summary's ``plan`` is
    the plan applied. ``savepoint=False``: inside the caller's transaction, which a
    failure ends (it does not go on after one: a mail sync's batch), the apply takes no
    savepoint of its own, so SQLite's full-text triggers are set aside for the inserts
    rather than paused (``fulltext._indexed_in_bulk``: 1.3 s less for 37,000 emails)."""
    access.require_write(actor, network)
    now = clock.now()
    outside = 0 if transaction.get_connection().in_atomic_block else PLANNED_OUTSIDE
    with collecting_later():
        for attempt in range(outside + 1):
            rows = _Rows.of(network, actor, plan, now)
            with transaction.atomic(savepoint=savepoint):
                if _still_current(network, plan):
                    return _apply(network, actor, plan, progress, circle, now, rows)
                if attempt == outside:  # inside the lock: the network holds still now
                    plan = _plan_again(network, plan, replanned)
                    if not plan.changes_anything:
                        return ImportSummary(plan=plan)
                    rows = _Rows.of(network, actor, plan, now)
                    return _apply(network, actor, plan, progress, circle, now, rows)
            plan = _plan_again(network, plan, replanned)
            if not plan.changes_anything:
                return ImportSummary(plan=plan)
    raise AssertionError("unreachable: the last attempt plans inside the transaction")


@dataclass
class _Rows:
    """What the apply inserts, built before its transaction."""

    contacts: PreparedContacts
    interactions: NewInteractions

    @classmethod
    def of(cls, network: Network, actor: User, plan: ImportPlan, now: dt.datetime) -> _Rows:
        return cls(
            prepare_contacts(network, plan.contacts, now=now),
            _interaction_rows(network, actor, plan, now),
        )


def _still_current(network: Network, plan: ImportPlan) -> bool:
    """In the apply's transaction: no change since the plan's mark could change it."""
    return plan.as_of is None or not freshness.changed_since(network, plan.as_of)


def _plan_again(
    network: Network,
    plan: ImportPlan,
    replanned: Callable[[ImportPlan], ImportPlan] | None,
) -> ImportPlan:
    """The plan made again from the same records. The records' values were cleaned by
    the first plan, so the errors cleaning reported then are kept."""
    if plan.parsed is None:
        raise PlanOutdated("the network changed since this import was planned: plan it again")
    fresh = plan_import(network, plan.parsed, create_people=plan.create_people)
    reported = set(plan.errors)
    fresh.errors = plan.errors + [e for e in fresh.errors if e not in reported]
    return replanned(fresh) if replanned is not None else fresh


def _apply(
    network: Network,
    actor: User,
    plan: ImportPlan,
    progress: Callable[[str], None],
    circle: str,
    now: dt.datetime,
    rows: _Rows,
) -> ImportSummary:
    access.require_write(actor, network)
    interactions = rows.interactions
    joining = find_circle(network, circle) if circle.strip() else joining_circle(network)
    summary = ImportSummary(plan=plan)
    written = write_contacts(
        network,
        plan.contacts,
        now=now,
        circle=joining,
        progress=progress,
        prepared=rows.contacts,
    )
    summary.created, summary.updated = written.created, written.updated
    if plan.my_jobs:
        me = Person.objects.get(network=network, is_self=True)
        jobs_at = organizations_by_key(network, (job.organization for job in plan.my_jobs))
        Affiliation.objects.bulk_create(
            Affiliation(
                person=me,
                organization_id=jobs_at[organization_key(job.organization)],
                title=fitting(Affiliation, "title", one_line(job.title), "title"),
                start_on=job.start,
                end_on=job.end if job.end and (not job.start or job.end >= job.start) else None,
                created_at=now,
            )
            for job in plan.my_jobs
        )
        summary.updated.append(me.pk)
    progress("interactions")
    with interactions_indexed_in_bulk() as newest_before:
        counted = _create_interactions(network, interactions, newest_before)
    summary.interactions = len(interactions.planned)
    progress("value received")
    summary.values = _create_values(network, actor, plan, now)

    progress("due dates")
    changes.record(
        network,
        "import.applied",
        actor=actor,
        person_ids={*summary.created, *summary.updated, *interactions.person_ids()},
        data={
            "created": len(summary.created),
            "updated": len(summary.updated),
            "interactions": summary.interactions,
            "values": summary.values,
            "circle_id": joining.pk if joining else None,
        },
        # Only added: counted onto what is stored; None: some were written meanwhile, so
        # their people are counted again. The new people's documents came with their rows.
        known=Known(
            added=Added(counted.added, counted.latest) if counted is not None else None,
            created=summary.created,
            updated=summary.updated,
        ),
    )
    progress("search index")
    refresh_statistics_after_commit()
    return summary


Who = int | tuple[str, int]  # an existing person's id, or ("new", id of a PlannedContact)


@dataclass
class NewInteractions:
    """The new interactions of a plan, built before the transaction: their rows ready for
    the database, their people, and what they add to each one's tally (tallies.of_interaction)
    and newest interaction. People the import creates are known by their PlannedContact
    until written."""

    planned: list[PlannedInteraction]
    rows: PreparedRows
    people: list[list[Who]]
    added: dict[Who, tallies.Tally]
    latest: dict[Who, dt.datetime]
    new_people: dict[Who, PlannedContact]

    def person_id(self, who: Who) -> int | None:
        return who if isinstance(who, int) else self.new_people[who].person_id

    def person_ids(self) -> set[int]:
        return {pid for who in self.latest if (pid := self.person_id(who))}


@dataclass
class Counted:
    """What new interactions add to each of their people's tally, and the newest of each."""

    added: dict[int, tallies.Tally]
    latest: dict[int, dt.datetime]


INTERACTION_COLUMNS = (
    "id",
    "network",
    "kind",
    "occurred_at",
    "direction",
    "summary",
    "learned",
    "next_questions",
    "occasion",
    "source",
    "external_id",
    "created_by",
    "created_at",
)


def _interaction_rows(
    network: Network, actor: User, plan: ImportPlan, now: dt.datetime
) -> NewInteractions:
    """The new interactions, without their ids (given in the transaction). Building a
    model per row made 200,000 of them hold the write lock four times as long as the
    database's own work."""
    planned = [p for p in plan.interactions if p.action == "new"]
    rows = []
    people: list[list[Who]] = []
    new_people: dict[Who, PlannedContact] = {}
    counted: list[tuple[list[Who], tallies.Tally]] = []
    latest: dict[Who, dt.datetime] = {}
    for p in planned:
        record = p.record
        external_id = stored_id(record.external_id)
        rows.append(
            (
                None,
                network.pk,
                record.kind,
                record.occurred_at,
                record.direction,
                record.summary,
                "",
                "",
                "",
                record.source,
                external_id,
                actor.pk,
                now,
            )
        )
        whos: list[Who] = []
        for person in p.people:
            if isinstance(person, int):
                who: Who = person
            else:
                who = ("new", id(person))
                new_people[who] = person
            if who not in whos:
                whos.append(who)
            if who not in latest or record.occurred_at > latest[who]:
                latest[who] = record.occurred_at
        people.append(whos)
        counted.append(
            (
                whos,
                tallies.of_interaction(
                    kind=record.kind,
                    direction=record.direction,
                    source=record.source,
                    external_id=external_id,
                    occurred_at=record.occurred_at,
                ),
            )
        )
    return NewInteractions(
        planned=planned,
        rows=prepare_rows(Interaction, INTERACTION_COLUMNS, rows),
        people=people,
        added=tallies.added_by(counted),
        latest=latest,
        new_people=new_people,
    )


def _create_interactions(
    network: Network, new: NewInteractions, newest_before: int
) -> Counted | None:
    """Insert the new interactions under ids reserved for them, and link their people.
    What they add to each person's tally, or None when some were not inserted because
    someone else's import wrote them meanwhile (then their people must be recounted)."""
    if not new.planned:
        return Counted({}, {})
    ids = reserve_ids(Interaction, len(new.planned), above=newest_before)
    rows = [(pk, *row[1:]) for pk, row in zip(ids, new.rows.rows, strict=True)]
    inserted = insert_prepared(PreparedRows(Interaction, INTERACTION_COLUMNS, rows))
    complete = inserted == len(rows)
    if not complete:  # found again by their source ids: theirs are above newest_before
        written = {
            (source, external_id): pk
            for pk, source, external_id in Interaction.objects.filter(
                network=network, pk__gt=newest_before
            ).values_list("pk", "source", "external_id")
        }
        ids = [
            written.get((p.record.source, stored_id(p.record.external_id)), 0) for p in new.planned
        ]
    person_of = {who: new.person_id(who) for who in new.latest}
    insert_rows(
        InteractionParticipant,
        ("interaction", "person"),
        [
            (interaction_id, person_id)
            for interaction_id, whos in zip(ids, new.people, strict=True)
            if interaction_id
            for who in whos
            if (person_id := person_of[who])
        ],
    )
    if not complete:
        return None
    return Counted(
        {pid: new.added[who] for who, pid in person_of.items() if pid},
        {pid: new.latest[who] for who, pid in person_of.items() if pid},
    )


def _create_values(network: Network, actor: User, plan: ImportPlan, now: dt.datetime) -> int:
    """Value received, from its giver to me. Not thanked: the agenda leaves old imported
    ones alone (queries.ledger.unthanked_due)."""
    planned = [p for p in plan.values if p.action == "new"]
    if not planned:
        return 0
    me = Person.objects.get(network=network, is_self=True)
    rows = []
    for value in planned:
        giver = (
            value.giver if isinstance(value.giver, int) else getattr(value.giver, "person_id", None)
        )
        if not giver or giver == me.pk:
            continue
        record = value.record
        rows.append(
            ValueExchange(
                network=network,
                giver_id=giver,
                receiver=me,
                kind=record.kind,
                description=record.description,
                occurred_on=record.occurred_on,
                weight=min(max(record.weight, 1), 5),
                source=record.source,
                external_id=stored_id(record.external_id),
                created_by=actor,
                created_at=now,
            )
        )
    ValueExchange.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)
