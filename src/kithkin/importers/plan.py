"""Plan an import: match each parsed record to the network, decide what would change.

Matching (DESIGN.md §3): exact keys first — email, phone (E.164), LinkedIn profile — then
the same name at the same organization. Records of one import that name the same person
become one person. A matched person gets only what they lack (contact points, a job at a
new organization, blank fields), so importing the same file twice changes nothing.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kithkin import normalize
from kithkin.errors import InvalidInput
from kithkin.fulltext import fold
from kithkin.importers.records import (
    ContactRecord,
    InteractionRecord,
    MyJob,
    ParseResult,
    Participant,
    RecordError,
    ValueRecord,
)
from kithkin.models import Affiliation, ContactPoint, Interaction, Network, Person, ValueExchange
from kithkin.services.contact_rules import clean_record

Key = tuple[str, str]  # (kind, normalized)


@dataclass(frozen=True)
class PlannedPoint:
    kind: str
    value: str
    normalized: str
    service: str = ""
    label: str = ""

    @property
    def key(self) -> Key:
        return (self.kind, self.normalized)


@dataclass
class PlannedContact:
    """One person the import creates or adds to. ``person_id`` is set for existing people."""

    record: ContactRecord
    action: str  # new, update, unchanged
    person_id: int | None = None
    matched_by: str = ""
    points: list[PlannedPoint] = field(default_factory=list)  # to add
    jobs: list[tuple[str, str]] = field(default_factory=list)  # (organization, title) to add
    fills: dict[str, object] = field(default_factory=dict)  # blank fields to fill
    tags: list[str] = field(default_factory=list)
    merged: list[ContactRecord] = field(default_factory=list)  # same person, same import

    @property
    def changes(self) -> list[str]:
        described = [f"+ {p.kind} {p.value}" for p in self.points]
        described += [
            f"+ {title + ' at ' if title else ''}{organization}"
            for organization, title in self.jobs
        ]
        described += [f"{name.replace('_', ' ')}: {value}" for name, value in self.fills.items()]
        described += [f"+ tag {tag}" for tag in self.tags]
        return described


@dataclass
class PlannedInteraction:
    record: InteractionRecord
    action: str  # new, exists, unmatched
    people: list[PlannedContact | int] = field(default_factory=list)  # existing ids or new people


@dataclass
class PlannedValue:
    """Value received (a LinkedIn endorsement, a recommendation) and who gave it."""

    record: ValueRecord
    action: str  # new, exists, unmatched
    giver: PlannedContact | int | None = None


@dataclass
class ImportPlan:
    my_jobs: list[MyJob] = field(default_factory=list)  # my own jobs to add
    contacts: list[PlannedContact] = field(default_factory=list)
    interactions: list[PlannedInteraction] = field(default_factory=list)
    values: list[PlannedValue] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    skipped: list[RecordError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for c in self.contacts if c.action == action)

    @property
    def merged(self) -> int:
        return sum(len(c.merged) for c in self.contacts)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "new": self.count("new"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "merged": self.merged,
            "interactions_new": sum(1 for i in self.interactions if i.action == "new"),
            "interactions_existing": sum(1 for i in self.interactions if i.action == "exists"),
            "interactions_unmatched": sum(1 for i in self.interactions if i.action == "unmatched"),
            "my_jobs": len(self.my_jobs),
            "values_new": sum(1 for v in self.values if v.action == "new"),
            "values_existing": sum(1 for v in self.values if v.action == "exists"),
            "values_unmatched": sum(1 for v in self.values if v.action == "unmatched"),
            "skipped": len(self.skipped),
            "errors": len(self.errors),
        }

    @property
    def changes_anything(self) -> bool:
        summary = self.summary
        return bool(
            summary["new"]
            or summary["updated"]
            or summary["interactions_new"]
            or summary["my_jobs"]
            or summary["values_new"]
        )


def contact_points(
    record: ContactRecord, region: str, errors: list[RecordError]
) -> list[PlannedPoint]:
    """Validated, normalised contact points of a record; a bad one is an error, not a crash."""
    points: dict[Key, PlannedPoint] = {}

    def keep(point: PlannedPoint) -> None:
        points.setdefault(point.key, point)

    for address, label in record.emails:
        try:
            shown, key = normalize.email(address, "email")
        except InvalidInput as exc:
            errors.append(RecordError(record.path, record.line, "email", exc.message))
            continue
        keep(PlannedPoint(ContactPoint.Kind.EMAIL, shown, key, label=label))
    for number, label in record.phones:
        try:
            shown, key = normalize.phone(number, region, "phone")
        except InvalidInput as exc:
            errors.append(RecordError(record.path, record.line, "phone", exc.message))
            continue
        keep(PlannedPoint(ContactPoint.Kind.PHONE, shown, key, label=label))
    for url in record.urls:
        try:
            shown, key, service = normalize.url(url, "url")
        except InvalidInput as exc:
            errors.append(RecordError(record.path, record.line, "url", exc.message))
            continue
        kind = ContactPoint.Kind.URL if service == "website" else ContactPoint.Kind.SOCIAL
        keep(PlannedPoint(kind, shown, key, service=service))
    return list(points.values())


@dataclass
class _Existing:
    """What the network already holds, loaded once per plan."""

    by_key: dict[Key, int]
    by_name_org: dict[tuple[str, str], int]
    by_name_only: dict[str, int]  # people known by nothing but their name
    points_of: dict[int, set[Key]]
    orgs_of: dict[int, set[str]]
    tags_of: dict[int, frozenset[str]]
    fields_of: dict[int, dict[str, object]]
    by_name: dict[str, list[int]]  # everyone, by folded full name


_FILLABLE = ("connected_on", "headline", "location", "notes", "nickname")


def _load_existing(network: Network) -> _Existing:
    by_key: dict[Key, int] = {}
    points_of: dict[int, set[Key]] = defaultdict(set)
    for person_id, kind, normalized in ContactPoint.objects.filter(
        person__network=network, person__archived_at__isnull=True
    ).values_list("person_id", "kind", "normalized"):
        by_key.setdefault((kind, normalized), person_id)
        points_of[person_id].add((kind, normalized))
    orgs_of: dict[int, set[str]] = defaultdict(set)
    for person_id, org in Affiliation.objects.filter(person__network=network).values_list(
        "person_id", "organization__name"
    ):
        orgs_of[person_id].add(fold(org))
    tags: dict[int, set[str]] = defaultdict(set)
    for person_id, tag in Person.tags.through.objects.filter(person__network=network).values_list(
        "person_id", "tag__name"
    ):
        tags[person_id].add(fold(tag))
    by_name_org: dict[tuple[str, str], int] = {}
    by_name_only: dict[str, int] = {}
    fields_of: dict[int, dict[str, object]] = {}
    by_name: dict[str, list[int]] = defaultdict(list)
    rows = Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
    for pk, full_name, *values in rows.values_list("pk", "full_name", "birthday_month", *_FILLABLE):
        fields_of[pk] = dict(zip(("birthday_month", *_FILLABLE), values, strict=True))
        by_name[fold(full_name)].append(pk)
        for org in orgs_of.get(pk, set()):
            by_name_org.setdefault((fold(full_name), org), pk)
        if pk not in points_of and pk not in orgs_of:
            by_name_only.setdefault(fold(full_name), pk)
    return _Existing(
        by_key,
        by_name_org,
        by_name_only,
        points_of,
        orgs_of,
        {pk: frozenset(names) for pk, names in tags.items()},
        fields_of,
        by_name,
    )


def _fills(record: ContactRecord, current: dict[str, object] | None) -> dict[str, object]:
    wanted: dict[str, object] = {
        "connected_on": record.connected_on,
        "headline": record.headline,
        "location": record.location,
        "notes": record.notes,
        "nickname": record.nickname,
    }
    if record.birthday and (current is None or not current.get("birthday_month")):
        wanted["birthday"] = record.birthday
    return {
        name: value
        for name, value in wanted.items()
        if value and (current is None or not current.get(name))
    }


def plan_import(
    network: Network, parsed: ParseResult, *, create_people: bool = False
) -> ImportPlan:
    """The plan for ``parsed``. ``create_people``: someone in a meeting or an email who is not
    in the network yet becomes a new person (by default the interaction is 'unmatched')."""
    plan = ImportPlan(errors=list(parsed.errors), skipped=list(parsed.skipped))
    existing = _load_existing(network)
    planned_by_person: dict[int, PlannedContact] = {}
    new_by_key: dict[Key, PlannedContact] = {}
    new_by_name_org: dict[tuple[str, str], PlannedContact] = {}

    for record in parsed.contacts:
        if not clean_record(record, plan.errors):  # services.contact_rules: refused
            continue
        points = contact_points(record, network.phone_region, plan.errors)
        name_org = (fold(record.full_name), fold(record.organization))
        person_id, matched_by = None, ""
        for point in points:
            if point.key in existing.by_key:
                person_id = existing.by_key[point.key]
                matched_by = f"same {point.service or point.kind} {point.normalized}"
                break
        profiles = _profiles(p.key for p in points)
        name_only = not points and not record.organization.strip()
        if person_id is None and name_org in existing.by_name_org and record.organization:
            candidate = existing.by_name_org[name_org]
            if not _conflict(profiles, _profiles(existing.points_of.get(candidate, set()))):
                person_id = candidate
                matched_by = "same name at the same organization"
        if person_id is None and name_only and name_org[0] in existing.by_name_only:
            # Nothing but a name on both sides, and nothing that tells them apart.
            person_id = existing.by_name_only[name_org[0]]
            matched_by = "same name, nothing else known"

        if person_id is None:  # a person this import creates: maybe already planned
            earlier = next((new_by_key[p.key] for p in points if p.key in new_by_key), None)
            if earlier is None and (record.organization or name_only):
                namesake = new_by_name_org.get(name_org)
                if namesake and not _conflict(profiles, _profiles(p.key for p in namesake.points)):
                    earlier = namesake
            if earlier is not None:
                earlier.merged.append(record)
                _add_to(earlier, record, points, known_points=set(), known_orgs=set())
                continue
            planned = PlannedContact(
                record=record,
                action="new",
                points=points,
                jobs=[(record.organization, record.title)] if record.organization.strip() else [],
                fills=_fills(record, None),
                tags=list(dict.fromkeys(record.tags)),
            )
            plan.contacts.append(planned)
            for point in points:
                new_by_key.setdefault(point.key, planned)
            if record.organization.strip() or name_only:
                new_by_name_org.setdefault(name_org, planned)
            continue

        existing_plan = planned_by_person.get(person_id)
        if existing_plan is None:
            planned = PlannedContact(
                record=record, action="unchanged", person_id=person_id, matched_by=matched_by
            )
            planned_by_person[person_id] = planned
            plan.contacts.append(planned)
        else:
            planned = existing_plan
            planned.merged.append(record)
        _add_to(
            planned,
            record,
            points,
            known_points=existing.points_of.get(person_id, set()),
            known_orgs=existing.orgs_of.get(person_id, set()),
            current=existing.fields_of.get(person_id),
            known_tags=existing.tags_of.get(person_id, frozenset()),
        )
        if planned.changes:
            planned.action = "update"

    _plan_interactions(network, parsed.interactions, plan, existing, new_by_key, create_people)
    _plan_values(network, parsed.values, plan, existing, new_by_key)
    plan.my_jobs = _new_jobs_of_mine(network, parsed.my_jobs)
    return plan


def _new_jobs_of_mine(network: Network, jobs: list[MyJob]) -> list[MyJob]:
    held = {
        (fold(name), start)
        for name, start in Affiliation.objects.filter(
            person__network=network, person__is_self=True
        ).values_list("organization__name", "start_on")
    }
    fresh: list[MyJob] = []
    for job in jobs:
        key = (fold(job.organization), job.start)
        if job.organization.strip() and key not in held:
            held.add(key)
            fresh.append(job)
    return fresh


def _stranger(
    record: InteractionRecord, participant: Participant, network: Network
) -> PlannedContact | None:
    """A new person for someone an interaction names by email, who is not known yet."""
    if not participant.email:
        return None
    try:
        shown, key = normalize.email(participant.email, "email")
    except InvalidInput:
        return None
    name = " ".join(participant.name.split()) or shown.split("@", 1)[0]
    contact = ContactRecord(
        source=record.source,
        path=record.path,
        line=record.line,
        full_name=name[:200],
        emails=[(shown, "")],
    )
    return PlannedContact(
        record=contact, action="new", points=[PlannedPoint(ContactPoint.Kind.EMAIL, shown, key)]
    )


def _profiles(keys: Iterable[Key]) -> set[Key]:
    return {
        key for key in keys if key[0] == ContactPoint.Kind.SOCIAL and "linkedin.com/in/" in key[1]
    }


def _conflict(mine: set[Key], theirs: set[Key]) -> bool:
    """Two different LinkedIn profiles are two different people, whatever their names."""
    return bool(mine and theirs and not mine & theirs)


def _add_to(
    planned: PlannedContact,
    record: ContactRecord,
    points: list[PlannedPoint],
    *,
    known_points: set[Key],
    known_orgs: set[str],
    current: dict[str, object] | None = None,
    known_tags: frozenset[str] = frozenset(),
) -> None:
    """What ``record`` adds to a planned person: only what they do not have yet."""
    have = known_points | {p.key for p in planned.points}
    planned.points += [p for p in points if p.key not in have]
    planned_orgs = {fold(organization) for organization, _ in planned.jobs}
    if record.organization.strip() and fold(record.organization) not in known_orgs | planned_orgs:
        planned.jobs.append((record.organization, record.title))
    for name, value in _fills(record, current).items():
        planned.fills.setdefault(name, value)
    have_tags = set(known_tags) | {fold(tag) for tag in planned.tags}
    for tag in record.tags:
        if fold(tag) not in have_tags:
            planned.tags.append(tag)
            have_tags.add(fold(tag))


def _plan_interactions(
    network: Network,
    records: list[InteractionRecord],
    plan: ImportPlan,
    existing: _Existing,
    new_by_key: dict[Key, PlannedContact],
    create_people: bool = False,
) -> None:
    if not records:
        return
    known = set(
        Interaction.objects.filter(network=network, external_id__isnull=False).values_list(
            "source", "external_id"
        )
    )
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.source, record.external_id)
        if key in known or key in seen:
            plan.interactions.append(PlannedInteraction(record, "exists"))
            continue
        seen.add(key)
        people: list[PlannedContact | int] = []
        for participant in record.participants:
            keys: list[Key] = []
            if participant.email:
                keys.append((ContactPoint.Kind.EMAIL, participant.email.strip().lower()))
            if participant.profile_url:
                with contextlib.suppress(InvalidInput):
                    keys.append(
                        (ContactPoint.Kind.SOCIAL, normalize.url(participant.profile_url)[1])
                    )
            for candidate in keys:
                match: PlannedContact | int | None = existing.by_key.get(
                    candidate
                ) or new_by_key.get(candidate)
                if match is not None:
                    if match not in people:
                        people.append(match)
                    break
            else:
                stranger = _stranger(record, participant, network) if create_people else None
                if stranger is not None:
                    plan.contacts.append(stranger)
                    for point in stranger.points:
                        new_by_key[point.key] = stranger
                    people.append(stranger)
        plan.interactions.append(
            PlannedInteraction(record, "new" if people else "unmatched", people)
        )


def _giver_of(
    giver: Participant,
    existing: _Existing,
    new_by_key: dict[Key, PlannedContact],
    new_by_name: dict[str, list[PlannedContact]],
) -> tuple[PlannedContact | int | None, str]:
    """Who gave it: the person with that LinkedIn profile, else the one person (known or
    created by this import) with that name; else None and why."""
    if giver.profile_url:
        with contextlib.suppress(InvalidInput):
            key = (ContactPoint.Kind.SOCIAL, normalize.url(giver.profile_url)[1])
            found: PlannedContact | int | None = existing.by_key.get(key) or new_by_key.get(key)
            if found is not None:
                return found, ""
    name = fold(" ".join(giver.name.split()))
    candidates: list[PlannedContact | int] = [
        *existing.by_name.get(name, []),
        *new_by_name.get(name, []),
    ]
    if len(candidates) == 1:
        return candidates[0], ""
    who = giver.name or giver.profile_url
    if candidates:
        return None, f"{who}: {len(candidates)} people have that name; not imported"
    return None, f"{who}: no one by that name or profile in your network; not imported"


def _plan_values(
    network: Network,
    records: list[ValueRecord],
    plan: ImportPlan,
    existing: _Existing,
    new_by_key: dict[Key, PlannedContact],
) -> None:
    """Value received: new, already here (same source and external id), or unmatched --
    reported, never a new person (unless this import creates them anyway)."""
    if not records:
        return
    known = set(
        ValueExchange.objects.filter(network=network, external_id__isnull=False).values_list(
            "source", "external_id"
        )
    )
    new_by_name: dict[str, list[PlannedContact]] = defaultdict(list)
    for planned in plan.contacts:
        if planned.action == "new":
            new_by_name[fold(" ".join(planned.record.full_name.split()))].append(planned)
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.source, record.external_id)
        if key in known or key in seen:
            plan.values.append(PlannedValue(record, "exists"))
            continue
        seen.add(key)
        giver, why = _giver_of(record.giver, existing, new_by_key, new_by_name)
        if giver is None:
            plan.values.append(PlannedValue(record, "unmatched"))
            plan.skipped.append(RecordError(record.path, record.line, "giver", why))
            continue
        plan.values.append(PlannedValue(record, "new", giver))
