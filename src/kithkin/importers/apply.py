"""Apply an import plan: one transaction, bulk writes, derived state refreshed once.

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
from kithkin.importers.planned import ImportPlan
from kithkin.importers.records import stored_id
from kithkin.importers.rows import insert_rows
from kithkin.models import (
    Affiliation,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    User,
    ValueExchange,
)
from kithkin.queries.memberships import organization_key
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.contact_records import organizations_by_key, write_contacts
from kithkin.services.contact_rules import fitting, one_line
from kithkin.services.people import find_circle, joining_circle
from kithkin.services.query_planner import refresh_statistics_after_commit
from kithkin.services.search_index import reindex_people

BATCH = 2000


@dataclass
class ImportSummary:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    interactions: int = 0
    values: int = 0  # value received (LinkedIn endorsements and recommendations)


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


def _no_progress(step: str) -> None:
    return None


@transaction.atomic
def apply_plan(
    network: Network,
    actor: User,
    plan: ImportPlan,
    progress: Callable[[str], None] = _no_progress,
    *,
    circle: str = "",
) -> ImportSummary:
    """Write what the plan says, or nothing: the whole import is one transaction.
    ``progress`` hears the name of each of ``APPLY_STEPS`` as it starts. The people it
    creates join ``circle`` (a name), else the network's circle for new people, else none."""
    access.require_write(actor, network)
    joining = find_circle(network, circle) if circle.strip() else joining_circle(network)
    now = clock.now()
    summary = ImportSummary()
    written = write_contacts(network, plan.contacts, now=now, circle=joining, progress=progress)
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
        summary.interactions = _create_interactions(network, actor, plan, now, newest_before)
    progress("value received")
    summary.values = _create_values(network, actor, plan, now)

    touched = (
        set(summary.updated)
        | set(summary.created if joining else ())
        | {
            pid
            for planned in plan.interactions
            if planned.action == "new"
            for pid in (p if isinstance(p, int) else p.person_id for p in planned.people)
            if pid
        }
    )
    progress("due dates")
    refresh_check_ins(network, touched)
    progress("search index")
    reindex_people(network, summary.updated)
    refresh_statistics_after_commit()
    return summary


def _create_interactions(
    network: Network, actor: User, plan: ImportPlan, now: dt.datetime, newest_before: int
) -> int:
    """The new interactions and their participants, as plain rows (``importers.rows``):
    building a model per row made 200,000 of them hold the write lock four times as long
    as the database's own work. Every imported interaction has a source id, so the rows
    written are found again by it (all are above ``newest_before``) to link their people."""
    planned = [p for p in plan.interactions if p.action == "new"]
    if not planned:
        return 0
    insert_rows(
        Interaction,
        (
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
        ),
        [
            (
                network.pk,
                p.record.kind,
                p.record.occurred_at,
                p.record.direction,
                p.record.summary,
                "",
                "",
                "",
                p.record.source,
                stored_id(p.record.external_id),
                actor.pk,
                now,
            )
            for p in planned
        ],
    )
    written = {
        (source, external_id): pk
        for pk, source, external_id in Interaction.objects.filter(
            network=network, pk__gt=newest_before
        ).values_list("pk", "source", "external_id")
    }
    links = []
    for p in planned:
        interaction_id = written.get((p.record.source, stored_id(p.record.external_id)))
        if interaction_id is None:  # written meanwhile by someone else's import of it
            continue
        people = dict.fromkeys(x if isinstance(x, int) else x.person_id for x in p.people)
        links += [(interaction_id, person_id) for person_id in people if person_id]
    insert_rows(InteractionParticipant, ("interaction", "person"), links)
    return len(planned)


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
