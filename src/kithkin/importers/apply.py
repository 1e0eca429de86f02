"""Apply an import plan: one transaction, bulk writes, derived state refreshed once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from kithkin import access, clock
from kithkin.fulltext import fold
from kithkin.importers.plan import ImportPlan, PlannedContact
from kithkin.importers.rows import insert_rows
from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    Interaction,
    InteractionParticipant,
    Network,
    Organization,
    Person,
    Tag,
    User,
    ValueExchange,
)
from kithkin.queries.memberships import organization_key
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.people import find_circle, joining_circle
from kithkin.services.query_planner import refresh_statistics_after_commit
from kithkin.services.search_index import reindex_people, search_document

BATCH = 2000


@dataclass
class ImportSummary:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    interactions: int = 0
    values: int = 0  # value received (LinkedIn endorsements and recommendations)


def _organizations(network: Network, names: Iterable[str]) -> dict[str, Organization]:
    wanted = {organization_key(name): " ".join(name.split()) for name in names if name.strip()}
    found = {organization_key(o.name): o for o in Organization.objects.filter(network=network)}
    missing = [
        Organization(network=network, name=name) for key, name in wanted.items() if key not in found
    ]
    Organization.objects.bulk_create(missing, batch_size=BATCH)
    found.update(
        {
            organization_key(o.name): o
            for o in Organization.objects.filter(
                network=network, name__in=[o.name for o in missing]
            )
        }
    )
    return found


def _tags(network: Network, names: Iterable[str]) -> dict[str, Tag]:
    wanted = {
        fold(name): name.strip().lstrip("#")[:60] for name in names if name.strip().lstrip("#")
    }
    found = {fold(t.name): t for t in Tag.objects.filter(network=network)}
    Tag.objects.bulk_create(
        [Tag(network=network, name=name) for key, name in wanted.items() if key not in found],
        batch_size=BATCH,
    )
    return {fold(t.name): t for t in Tag.objects.filter(network=network)}


PERSON_COLUMNS = [
    "network",
    "is_self",
    "full_name",
    "given_name",
    "family_name",
    "nickname",
    "pronouns",
    "headline",
    "location",
    "time_zone",
    "birthday_year",
    "birthday_month",
    "birthday_day",
    "how_we_met",
    "what_matters",
    "notes",
    "connected_on",
    "created_at",
    "updated_at",
    "search_text",
    "circle",
]


def _new_person_row(
    network: Network, planned: PlannedContact, now: dt.datetime, circle_id: int | None
) -> tuple[object, ...]:
    record = planned.record
    given, _, family = record.full_name.partition(" ")
    birthday = planned.fills.get("birthday")
    year, month, day_of_month = birthday if isinstance(birthday, tuple) else (None, None, None)
    full_name, nickname = record.full_name[:200], record.nickname[:100]
    given_name = (record.given_name or given)[:100]
    family_name = (record.family_name or family)[:100]
    headline, location = record.headline[:200], record.location[:200]
    document = search_document(
        full_name,
        given_name,
        family_name,
        nickname,
        headline,
        location,
        record.notes,
        *(f"{org} {title}" for org, title in planned.jobs),
        *planned.tags,
        *(f"{p.value} {p.normalized}" for p in planned.points),
    )
    return (
        network.pk,
        False,
        full_name,
        given_name,
        family_name,
        nickname,
        "",
        headline,
        location,
        "",
        year,
        month,
        day_of_month,
        "",
        "",
        record.notes,
        record.connected_on,
        now,
        now,
        document,
        circle_id,
    )


def _create_people(
    network: Network, creating: list[PlannedContact], now: dt.datetime, circle: Circle | None
) -> list[int]:
    """Insert the new people as rows, then read their ids back in insertion order: everyone
    this import creates shares its ``created_at`` and comes after the highest id before it,
    inside this transaction."""
    if not creating:
        return []
    before = Person.objects.aggregate(highest=Max("pk"))["highest"] or 0
    insert_rows(
        Person,
        PERSON_COLUMNS,
        [_new_person_row(network, c, now, circle.pk if circle else None) for c in creating],
    )
    ids = list(
        Person.objects.filter(network=network, created_at=now, is_self=False, pk__gt=before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(ids) != len(creating):  # someone else created people at this very microsecond
        raise RuntimeError("could not tell the imported people apart; run the import again")
    for planned, pk in zip(creating, ids, strict=True):
        planned.person_id = pk
    return ids


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
    progress("people")
    summary = ImportSummary()
    creating = [c for c in plan.contacts if c.action == "new"]
    updating = [c for c in plan.contacts if c.action == "update"]

    summary.created = _create_people(network, creating, now, joining)
    summary.updated = [c.person_id for c in updating if c.person_id is not None]

    changing = creating + updating
    progress("contact points")
    kinds_held: set[tuple[int, str]] = set(
        ContactPoint.objects.filter(person_id__in=summary.updated).values_list("person_id", "kind")
    )
    points = []
    for planned in changing:
        assert planned.person_id is not None
        for point in planned.points:
            primary = (planned.person_id, point.kind) not in kinds_held
            kinds_held.add((planned.person_id, point.kind))
            points.append(
                (
                    planned.person_id,
                    point.kind,
                    point.service,
                    point.label[:40],
                    point.value[:500],
                    point.normalized[:500],
                    primary,
                )
            )
    insert_rows(
        ContactPoint,
        ["person", "kind", "service", "label", "value", "normalized", "is_primary"],
        points,
    )

    progress("jobs and tags")
    organizations = _organizations(network, (org for c in changing for org, _ in c.jobs))
    insert_rows(
        Affiliation,
        ["person", "organization", "kind", "title", "created_at"],
        [
            (
                c.person_id,
                organizations[organization_key(org)].pk,
                Affiliation.Kind.EMPLOYMENT,
                title[:200],
                now,
            )
            for c in changing
            for org, title in c.jobs
            if org.strip()
        ],
    )
    tags = _tags(network, (tag for c in changing for tag in c.tags))
    insert_rows(
        Person.tags.through,
        ["person", "tag"],
        [
            (c.person_id, tags[fold(tag)].pk)
            for c in changing
            for tag in dict.fromkeys(c.tags)
            if fold(tag) in tags
        ],
    )
    progress("details")
    _fill_fields(updating, now)
    if plan.my_jobs:
        me = Person.objects.get(network=network, is_self=True)
        jobs_at = _organizations(network, (job.organization for job in plan.my_jobs))
        Affiliation.objects.bulk_create(
            Affiliation(
                person=me,
                organization=jobs_at[organization_key(job.organization)],
                title=job.title[:200],
                start_on=job.start,
                end_on=job.end if job.end and (not job.start or job.end >= job.start) else None,
                created_at=now,
            )
            for job in plan.my_jobs
        )
        summary.updated.append(me.pk)
    progress("interactions")
    summary.interactions = _create_interactions(network, actor, plan, now)
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


def _fill_fields(updating: list[PlannedContact], now: dt.datetime) -> None:
    by_id = Person.objects.in_bulk([c.person_id for c in updating if c.fills])
    changed = []
    for planned in updating:
        person = by_id.get(planned.person_id or 0)
        if person is None:
            continue
        for name, value in planned.fills.items():
            if name == "birthday" and isinstance(value, tuple):
                person.birthday_year, person.birthday_month, person.birthday_day = value
            else:
                setattr(person, name, value)
        person.updated_at = now
        changed.append(person)
    Person.objects.bulk_update(
        changed,
        [
            "connected_on",
            "headline",
            "location",
            "notes",
            "nickname",
            "birthday_year",
            "birthday_month",
            "birthday_day",
            "updated_at",
        ],
        batch_size=BATCH,
    )


def _create_interactions(network: Network, actor: User, plan: ImportPlan, now: dt.datetime) -> int:
    planned = [p for p in plan.interactions if p.action == "new"]
    rows = [
        Interaction(
            network=network,
            kind=p.record.kind,
            occurred_at=p.record.occurred_at,
            direction=p.record.direction,
            summary=p.record.summary,
            source=p.record.source,
            external_id=p.record.external_id[:500],
            created_by=actor,
            created_at=now,
        )
        for p in planned
    ]
    Interaction.objects.bulk_create(rows, batch_size=BATCH)
    InteractionParticipant.objects.bulk_create(
        [
            InteractionParticipant(interaction_id=row.pk, person_id=pid)
            for row, p in zip(rows, planned, strict=True)
            for pid in dict.fromkeys(x if isinstance(x, int) else x.person_id for x in p.people)
            if pid
        ],
        batch_size=BATCH,
    )
    return len(rows)


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
                external_id=record.external_id[:500],
                created_by=actor,
                created_at=now,
            )
        )
    ValueExchange.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)
