"""Plan an import: match each parsed record to the network, decide what would change.

Matching (DESIGN.md §3) never merges two people and never loses one: a duplicate can be
merged later, a person merged into someone else is gone with their title and notes.

- **Identity keys** make a match on their own: a personal email and a profile URL
  (LinkedIn, GitHub, X, Bluesky, Mastodon), matched on their normalised key
  (``kithkin.normalize``).
- **Shared, not personal:** an email or profile that the file gives to records with
  different names (a team's ``info@``, an assistant's address), that more than one person
  of the network already holds, or whose mailbox names a role rather than a person
  (``info@``, ``contact@``, ``office@``... see ROLE_MAILBOXES).
- Phones, websites, postal addresses and chat handles are never identity keys: a company
  switchboard, fax or website is shared by everyone who works there. These, and shared
  emails, only **support** a match on the same name (folded: case and accents aside).

In order: an identity key; the same name at the same organization; the same name and a
supporting key; the same name when neither side knows anything else. Records of one
import that name the same person become one person, and records of one file that carry
different names are never merged, whatever they share. Every match and every merge is
listed with its reason (``ImportPlan.merges``). A matched person gets only what they lack
(contact points, a job at a new organization, blank fields), so importing the same file
twice changes nothing.
"""

from __future__ import annotations

import contextlib
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kithkin import normalize, refs
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
    stored_id,
)
from kithkin.models import Affiliation, ContactPoint, Interaction, Network, Person, ValueExchange
from kithkin.services.contact_rules import CURRENT_FIELDS, clean_record, fills, person_name

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

    @property
    def unverified_note(self) -> str:
        """For a phone kept as written (not read as a number): say so in the plan."""
        unread = self.kind == ContactPoint.Kind.PHONE and not normalize.is_verified_phone(
            self.normalized
        )
        return " (unverified: not read as a phone number)" if unread else ""


@dataclass(frozen=True)
class MergedRecord:
    """Another record of this import that names the same person, and why we think so."""

    record: ContactRecord
    reason: str


@dataclass(frozen=True)
class Merge:
    """One record joined to a person: one already in the network or one this import creates
    from an earlier record. ``into`` names that person as the preview shows them."""

    record: ContactRecord
    into: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.record.path}:{self.record.line}: {self.record.full_name} -> {self.into}: "
            f"{self.reason}"
        )


@dataclass
class PlannedContact:
    """One person the import creates or adds to. ``person_id`` is set for existing people
    (``person_name`` is theirs) and ``matched_by`` says why the record is them."""

    record: ContactRecord
    action: str  # new, update, unchanged
    person_id: int | None = None
    matched_by: str = ""
    person_name: str = ""
    points: list[PlannedPoint] = field(default_factory=list)  # to add
    jobs: list[tuple[str, str]] = field(default_factory=list)  # (organization, title) to add
    fills: dict[str, object] = field(default_factory=dict)  # blank fields to fill
    tags: list[str] = field(default_factory=list)
    merged: list[MergedRecord] = field(default_factory=list)  # same person, same import

    @property
    def changes(self) -> list[str]:
        described = [f"+ {p.kind} {p.value}{p.unverified_note}" for p in self.points]
        described += [
            f"+ {title + ' at ' if title else ''}{organization}"
            for organization, title in self.jobs
        ]
        described += [f"{name.replace('_', ' ')}: {value}" for name, value in self.fills.items()]
        described += [f"+ tag {tag}" for tag in self.tags]
        return described

    @property
    def merges(self) -> list[Merge]:
        """The records joined to this person, each with its reason."""
        if self.action != "new" and self.person_id is not None:
            who = f"{self.person_name} ({refs.PERSON(self.person_id)})"
            joined = [Merge(self.record, who, self.matched_by)]
        else:
            who = f"{self.record.full_name} (new, line {self.record.line})"
            joined = []
        return joined + [Merge(m.record, who, m.reason) for m in self.merged]


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
    def merges(self) -> list[Merge]:
        """Every record this plan joins to someone, with its reason -- leaving out a lone
        record that matches someone and changes nothing (re-importing a file)."""
        return [
            merge
            for contact in self.contacts
            if contact.action != "unchanged" or contact.merged
            for merge in contact.merges
        ]

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


# No one has this many ways to be reached: a record with more is a broken or hostile file
# (a card of 100,000 EMAIL lines), and validating each costs ~40 µs.
MAX_CONTACT_POINTS = 200


def _bounded(record: ContactRecord, errors: list[RecordError]) -> ContactRecord:
    """The record with at most ``MAX_CONTACT_POINTS`` contact points, in its order (emails,
    phones, web addresses, postal addresses, chats); one error says how many were left."""
    kinds = ("emails", "phones", "urls", "addresses", "chats")
    total = sum(len(getattr(record, kind)) for kind in kinds)
    if total <= MAX_CONTACT_POINTS:
        return record
    room, kept = MAX_CONTACT_POINTS, {}
    for kind in kinds:
        values = getattr(record, kind)[:room]
        kept[kind] = values
        room -= len(values)
    errors.append(
        RecordError(
            record.path,
            record.line,
            "contact points",
            f"{total:,} of them; the first {MAX_CONTACT_POINTS} are kept, "
            f"{total - MAX_CONTACT_POINTS:,} left out",
        )
    )
    return replace(record, **kept)


def contact_points(
    record: ContactRecord, region: str, errors: list[RecordError]
) -> list[PlannedPoint]:
    """Validated, normalised contact points of a record; a bad one is an error, not a crash.
    A phone that cannot be read, even in the network's ``region``, is kept as written and
    unverified (normalize.phone_or_unverified): a contact never loses a number."""
    points: dict[Key, PlannedPoint] = {}

    def keep(point: PlannedPoint) -> None:
        points.setdefault(point.key, point)

    def bad(field: str, exc: InvalidInput) -> None:
        errors.append(RecordError(record.path, record.line, field, exc.message))

    record = _bounded(record, errors)

    for address, label in record.emails:
        try:
            shown, key = normalize.email(address, "email")
        except InvalidInput as exc:
            bad("email", exc)
            continue
        keep(PlannedPoint(ContactPoint.Kind.EMAIL, shown, key, label=label))
    for number, label in record.phones:
        try:
            shown, key = normalize.phone_or_unverified(number, region, "phone")
        except InvalidInput as exc:
            bad("phone", exc)
            continue
        keep(PlannedPoint(ContactPoint.Kind.PHONE, shown, key, label=label))
    for url in record.urls:
        try:
            shown, key, service = normalize.url(url, "url")
        except InvalidInput as exc:
            bad("url", exc)
            continue
        kind = ContactPoint.Kind.URL if service == "website" else ContactPoint.Kind.SOCIAL
        keep(PlannedPoint(kind, shown, key, service=service))
    for text, label in record.addresses:
        try:
            shown, key = normalize.address(text, "address")
        except InvalidInput as exc:
            bad("address", exc)
            continue
        keep(PlannedPoint(ContactPoint.Kind.ADDRESS, shown, key, label=label))
    for handle, service, label in record.chats:
        try:
            shown, key, service = normalize.chat(handle, service, "chat")
        except InvalidInput as exc:
            bad("chat", exc)
            continue
        keep(PlannedPoint(ContactPoint.Kind.CHAT, shown, key, service=service, label=label))
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
    holders: dict[Key, int]  # how many people hold each key
    names: dict[int, str]  # full name of everyone
    by_name_key: dict[tuple[str, Key], list[int]]  # everyone, by folded name and each key


def _load_existing(network: Network) -> _Existing:
    by_key: dict[Key, int] = {}
    points_of: dict[int, set[Key]] = defaultdict(set)
    holders: dict[Key, int] = defaultdict(int)
    for person_id, kind, normalized in ContactPoint.objects.filter(
        person__network=network, person__archived_at__isnull=True
    ).values_list("person_id", "kind", "normalized"):
        by_key.setdefault((kind, normalized), person_id)
        if (kind, normalized) not in points_of[person_id]:
            holders[(kind, normalized)] += 1
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
    names: dict[int, str] = {}
    by_name_key: dict[tuple[str, Key], list[int]] = defaultdict(list)
    rows = Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
    for pk, full_name, *values in rows.values_list("pk", "full_name", *CURRENT_FIELDS):
        fields_of[pk] = dict(zip(CURRENT_FIELDS, values, strict=True))
        by_name[_name(full_name)].append(pk)
        names[pk] = full_name
        for key in points_of.get(pk, ()):
            by_name_key[(_name(full_name), key)].append(pk)
        for org in orgs_of.get(pk, set()):
            by_name_org.setdefault((_name(full_name), org), pk)
        if pk not in points_of and pk not in orgs_of:
            by_name_only.setdefault(_name(full_name), pk)
    return _Existing(
        by_key,
        by_name_org,
        by_name_only,
        points_of,
        orgs_of,
        {pk: frozenset(names) for pk, names in tags.items()},
        fields_of,
        by_name,
        holders,
        names,
        by_name_key,
    )


IDENTITY_KINDS = frozenset({ContactPoint.Kind.EMAIL, ContactPoint.Kind.SOCIAL})
# Mailboxes that name a role, not a person: shared by whoever holds the role.
ROLE_MAILBOXES = frozenset(
    {
        "accounts",
        "admin",
        "billing",
        "contact",
        "enquiries",
        "hello",
        "help",
        "hr",
        "info",
        "inquiries",
        "jobs",
        "mail",
        "marketing",
        "no-reply",
        "noreply",
        "office",
        "press",
        "reception",
        "sales",
        "support",
        "team",
    }
)


@functools.lru_cache(maxsize=65_536)
def _name(text: str) -> str:
    """A name as matching compares it: case, accents and spacing aside (cached: each
    record's name is compared several times)."""
    return fold(" ".join(text.split()))


def _what(point: PlannedPoint) -> str:
    return f"{point.service or point.kind} {point.normalized}"


def _names_by_key(prepared: list[tuple[ContactRecord, list[PlannedPoint]]]) -> dict[Key, set[str]]:
    """For each key of the file, the names of the records that carry it."""
    names: dict[Key, set[str]] = defaultdict(set)
    for record, points in prepared:
        name = _name(record.full_name)
        for point in points:
            names[point.key].add(name)
    return names


@dataclass
class _Identities:
    """Which keys of this import identify one person on their own (see the module's doc)."""

    existing: _Existing
    names_in_file: dict[Key, set[str]]

    def identify(self, key: Key) -> bool:
        kind, normalized = key
        if kind not in IDENTITY_KINDS:
            return False
        if len(self.names_in_file.get(key, ())) > 1 or self.existing.holders.get(key, 0) > 1:
            return False
        return not (
            kind == ContactPoint.Kind.EMAIL and normalized.rsplit("@", 1)[0] in ROLE_MAILBOXES
        )


def _match_existing(
    record: ContactRecord,
    points: list[PlannedPoint],
    identifying: list[PlannedPoint],
    existing: _Existing,
) -> tuple[int | None, str]:
    """The person of the network ``record`` is, and why; (None, "") for no one."""
    for point in identifying:
        if point.key in existing.by_key:
            return existing.by_key[point.key], f"same {_what(point)}"
    name = _name(record.full_name)
    profiles = _profiles(p.key for p in points)
    if record.organization.strip():
        candidate = existing.by_name_org.get((name, fold(record.organization)))
        if candidate is not None and not _conflict(
            profiles, _profiles(existing.points_of.get(candidate, set()))
        ):
            return candidate, "same name at the same organization"
    identifying_keys = {p.key for p in identifying}
    seen: dict[int, PlannedPoint | None] = {}  # None: another profile, someone else
    for point in points:
        if point.key in identifying_keys:
            continue
        for candidate in existing.by_name_key.get((name, point.key), ()):
            if candidate not in seen:
                held = existing.points_of.get(candidate, set())
                seen[candidate] = None if _conflict(profiles, _profiles(held)) else point
    found = [(candidate, point) for candidate, point in seen.items() if point is not None]
    if len(found) == 1:  # two namesakes behind one switchboard: neither
        [(candidate, shared)] = found
        return candidate, f"same name and {_what(shared)}"
    if not points and not record.organization.strip() and name in existing.by_name_only:
        # Nothing but a name on both sides, and nothing that tells them apart.
        return existing.by_name_only[name], "same name, nothing else known"
    return None, ""


@dataclass
class _Planned:
    """The people this import plans so far, found again by the records that follow."""

    by_person: dict[int, PlannedContact] = field(default_factory=dict)  # existing people
    by_key: dict[Key, PlannedContact] = field(default_factory=dict)
    new_by_key: dict[Key, PlannedContact] = field(default_factory=dict)
    new_by_name_org: dict[tuple[str, str], PlannedContact] = field(default_factory=dict)
    new_by_name_key: dict[tuple[str, Key], PlannedContact] = field(default_factory=dict)

    def register(
        self, planned: PlannedContact, record: ContactRecord, points: list[PlannedPoint]
    ) -> None:
        name = _name(planned.record.full_name)
        for point in points:
            self.by_key.setdefault(point.key, planned)
            if planned.person_id is None:
                self.new_by_key.setdefault(point.key, planned)
                self.new_by_name_key.setdefault((name, point.key), planned)
        name_only = not points and not record.organization.strip()
        if planned.person_id is None and (record.organization.strip() or name_only):
            self.new_by_name_org.setdefault((name, fold(record.organization)), planned)

    def match(
        self, record: ContactRecord, points: list[PlannedPoint], identifying: list[PlannedPoint]
    ) -> tuple[PlannedContact | None, str]:
        """The person an earlier record of this import planned that ``record`` also is,
        and why: never someone under another name."""
        name = _name(record.full_name)
        profiles = _profiles(p.key for p in points)

        checked: dict[int, bool] = {}

        def same(planned: PlannedContact) -> bool:
            if id(planned) not in checked:
                checked[id(planned)] = _name(planned.record.full_name) == name and not _conflict(
                    profiles, _profiles(p.key for p in planned.points)
                )
            return checked[id(planned)]

        for point in identifying:
            earlier = self.by_key.get(point.key)
            if earlier is not None and same(earlier):
                return earlier, f"same {_what(point)}"
        name_only = not points and not record.organization.strip()
        if record.organization.strip() or name_only:
            namesake = self.new_by_name_org.get((name, fold(record.organization)))
            if namesake is not None and same(namesake):
                return namesake, (
                    "same name, nothing else known"
                    if name_only
                    else "same name at the same organization"
                )
        identifying_keys = {p.key for p in identifying}
        for point in points:
            if point.key in identifying_keys:
                continue
            earlier = self.new_by_name_key.get((name, point.key))
            if earlier is not None and same(earlier):
                return earlier, f"same name and {_what(point)}"
        return None, ""


def plan_import(
    network: Network, parsed: ParseResult, *, create_people: bool = False
) -> ImportPlan:
    """The plan for ``parsed``. ``create_people``: someone in a meeting or an email who is not
    in the network yet becomes a new person (by default the interaction is 'unmatched')."""
    plan = ImportPlan(errors=list(parsed.errors), skipped=list(parsed.skipped))
    existing = _load_existing(network)
    prepared: list[tuple[ContactRecord, list[PlannedPoint]]] = []
    for record in parsed.contacts:
        if not clean_record(record, plan.errors):  # services.contact_rules: refused
            continue
        prepared.append((record, contact_points(record, network.phone_region, plan.errors)))
    identities = _Identities(existing, _names_by_key(prepared))
    file = _Planned()
    for record, points in prepared:
        name = _name(record.full_name)
        identifying = [p for p in points if identities.identify(p.key)]
        person_id, matched_by = _match_existing(record, points, identifying, existing)
        earlier_plan = file.by_person.get(person_id) if person_id is not None else None
        if earlier_plan is not None and _name(earlier_plan.record.full_name) != name:
            person_id, matched_by = None, ""  # two names in one file: two people
        if person_id is None:
            earlier, reason = file.match(record, points, identifying)
            if earlier is not None and earlier.person_id is not None:
                person_id, matched_by = earlier.person_id, reason
            elif earlier is not None:
                earlier.merged.append(MergedRecord(record, reason))
                _add_to(earlier, record, points, known_points=set(), known_orgs=set())
                file.register(earlier, record, points)
                continue
            else:
                planned = PlannedContact(
                    record=record,
                    action="new",
                    points=points,
                    jobs=[(record.organization, record.title)]
                    if record.organization.strip()
                    else [],
                    fills=fills(record, None),
                    tags=list(dict.fromkeys(record.tags)),
                )
                plan.contacts.append(planned)
                file.register(planned, record, points)
                continue

        planned_for_person = file.by_person.get(person_id)
        if planned_for_person is None:
            planned = PlannedContact(
                record=record,
                action="unchanged",
                person_id=person_id,
                matched_by=matched_by,
                person_name=existing.names.get(person_id) or "you",
            )
            file.by_person[person_id] = planned
            plan.contacts.append(planned)
        else:
            planned = planned_for_person
            planned.merged.append(MergedRecord(record, matched_by))
        _add_to(
            planned,
            record,
            points,
            known_points=existing.points_of.get(person_id, set()),
            known_orgs=existing.orgs_of.get(person_id, set()),
            current=existing.fields_of.get(person_id),
            known_tags=existing.tags_of.get(person_id, frozenset()),
        )
        file.register(planned, record, points)
        if planned.changes:
            planned.action = "update"

    new_by_key = file.new_by_key
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
    try:  # the name the mail or the meeting gives, by the rules of every name
        name = person_name(participant.name)
    except InvalidInput:  # none, invisible or too long: the address names them
        name = person_name(shown.split("@", 1)[0])
    contact = ContactRecord(
        source=record.source,
        path=record.path,
        line=record.line,
        full_name=name,
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


def _keep_differences(planned: dict[str, object], found: dict[str, object]) -> None:
    """Two records of one file becoming one new person: what the later one says
    differently is kept in the notes, never lost (as a merge of two people does)."""
    notes = [str(planned["notes"])] if planned.get("notes") else []
    theirs = str(found.pop("notes", "") or "")
    if theirs and theirs.strip() not in (note.strip() for note in notes):
        notes.append(theirs)
    aside = [
        f"{name}: {found[name]}"
        for name in ("headline", "location", "nickname")
        if planned.get(name)
        and found.get(name)
        and fold(str(found[name])) != fold(str(planned[name]))
    ]
    if aside:
        notes.append(f"Also recorded with {'; '.join(aside)}.")
    if notes:
        planned["notes"] = "\n\n".join(notes)


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
    found = fills(record, current)
    if planned.action == "new" and planned.fills:
        _keep_differences(planned.fills, found)
    for name, value in found.items():
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
        key = (record.source, stored_id(record.external_id))
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
    imported = ValueExchange.objects.filter(network=network, external_id__isnull=False)
    known = set(imported.values_list("source", "external_id"))
    # The same value from the same giver, whatever id an older version gave it (ids are
    # derived from profile keys, and those were normalised differently before).
    known_facts = set(
        imported.values_list("source", "giver_id", "kind", "occurred_on", "description")
    )
    new_by_name: dict[str, list[PlannedContact]] = defaultdict(list)
    for planned in plan.contacts:
        if planned.action == "new":
            new_by_name[fold(" ".join(planned.record.full_name.split()))].append(planned)
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.source, stored_id(record.external_id))
        if key in known or key in seen:
            plan.values.append(PlannedValue(record, "exists"))
            continue
        seen.add(key)
        giver, why = _giver_of(record.giver, existing, new_by_key, new_by_name)
        if giver is None:
            plan.values.append(PlannedValue(record, "unmatched"))
            plan.skipped.append(RecordError(record.path, record.line, "giver", why))
            continue
        fact = (record.source, giver, record.kind, record.occurred_on, record.description)
        if isinstance(giver, int) and fact in known_facts:
            plan.values.append(PlannedValue(record, "exists"))
            continue
        plan.values.append(PlannedValue(record, "new", giver))
