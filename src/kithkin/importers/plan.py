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

from collections.abc import Iterable
from dataclasses import dataclass, field

from kithkin.fulltext import fold
from kithkin.importers import freshness
from kithkin.importers.plan_interactions import plan_interactions, plan_values
from kithkin.importers.planned import (
    MAX_CONTACT_POINTS,
    Budget,
    Existing,
    ImportPlan,
    Key,
    Merge,
    MergedRecord,
    PlannedContact,
    PlannedInteraction,
    PlannedPoint,
    PlannedValue,
    contact_points,
    load_existing,
    name_key,
)
from kithkin.importers.records import ContactRecord, MyJob, ParseResult, collecting_later
from kithkin.models import Affiliation, ContactPoint, Network
from kithkin.services.contact_rules import clean_record, fills

# What other modules import from here: the plan's types live in importers.planned.
__all__ = [
    "MAX_CONTACT_POINTS",
    "ImportPlan",
    "Merge",
    "MergedRecord",
    "PlannedContact",
    "PlannedInteraction",
    "PlannedPoint",
    "PlannedValue",
    "contact_points",
    "plan_import",
]


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


def _what(point: PlannedPoint) -> str:
    return f"{point.service or point.kind} {point.normalized}"


def _shared_in_file(prepared: list[tuple[ContactRecord, list[PlannedPoint]]]) -> set[Key]:
    """The keys of the file that records with different names carry."""
    first: dict[Key, str] = {}  # the name of the first record carrying each key
    shared: set[Key] = set()
    for record, points in prepared:
        name = name_key(record.full_name)
        for point in points:
            if first.setdefault(point.key, name) != name:
                shared.add(point.key)
    return shared


@dataclass
class _Identities:
    """Which keys of this import identify one person on their own (see the module's doc)."""

    existing: Existing
    shared_in_file: set[Key]  # given to records with different names

    def identify(self, key: Key) -> bool:
        kind, normalized = key
        if kind not in IDENTITY_KINDS:
            return False
        if key in self.shared_in_file or self.existing.holders.get(key, 0) > 1:
            return False
        return not (
            kind == ContactPoint.Kind.EMAIL and normalized.rsplit("@", 1)[0] in ROLE_MAILBOXES
        )


def _match_existing(
    record: ContactRecord,
    points: list[PlannedPoint],
    identifying: list[PlannedPoint],
    existing: Existing,
    profiles: set[Key],
) -> tuple[int | None, str]:
    """The person of the network ``record`` is, and why; (None, "") for no one.
    ``profiles``: the record's LinkedIn profiles (``_profiles``)."""
    for point in identifying:
        if point.key in existing.by_key:
            return existing.by_key[point.key], f"same {_what(point)}"
    name = name_key(record.full_name)
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
        name = name_key(planned.record.full_name)
        for point in points:
            self.by_key.setdefault(point.key, planned)
            if planned.person_id is None:
                self.new_by_key.setdefault(point.key, planned)
                self.new_by_name_key.setdefault((name, point.key), planned)
        name_only = not points and not record.organization.strip()
        if planned.person_id is None and (record.organization.strip() or name_only):
            self.new_by_name_org.setdefault((name, fold(record.organization)), planned)

    def match(
        self,
        record: ContactRecord,
        points: list[PlannedPoint],
        identifying: list[PlannedPoint],
        profiles: set[Key],
    ) -> tuple[PlannedContact | None, str]:
        """The person an earlier record of this import planned that ``record`` also is,
        and why: never someone under another name."""
        name = name_key(record.full_name)

        checked: dict[int, bool] = {}

        def same(planned: PlannedContact) -> bool:
            if id(planned) not in checked:
                checked[id(planned)] = name_key(planned.record.full_name) == name and not _conflict(
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
    network: Network,
    parsed: ParseResult,
    *,
    create_people: bool = False,
    seconds: float | None = None,
) -> ImportPlan:
    """The plan for ``parsed``. ``create_people``: someone in a meeting or an email who is not
    in the network yet becomes a new person (by default the interaction is 'unmatched').
    ``seconds``: stop with ImportFileError past that much time (the web's budget)."""
    with collecting_later():
        return _plan_import(network, parsed, create_people, seconds)


def _plan_import(
    network: Network, parsed: ParseResult, create_people: bool, seconds: float | None
) -> ImportPlan:
    budget = Budget(seconds, parsed)
    plan = ImportPlan(
        errors=list(parsed.errors),
        skipped=list(parsed.skipped),
        as_of=freshness.mark(network),  # before anything is read
        parsed=parsed,
        create_people=create_people,
    )
    existing = load_existing(network)
    prepared: list[tuple[ContactRecord, list[PlannedPoint]]] = []
    for record in parsed.contacts:
        budget.tick()
        if not clean_record(record, plan.errors):  # services.contact_rules: refused
            continue
        prepared.append((record, contact_points(record, network.phone_region, plan.errors)))
    identities = _Identities(existing, _shared_in_file(prepared))
    file = _Planned()
    # A network with no one to match by (a first import): every record's answer is no one.
    matchable = bool(
        existing.by_key or existing.by_name_org or existing.by_name_key or existing.by_name_only
    )
    for record, points in prepared:
        budget.tick()
        name = name_key(record.full_name)
        identifying = [p for p in points if identities.identify(p.key)]
        profiles = _profiles(p.key for p in points)
        person_id, matched_by = (
            _match_existing(record, points, identifying, existing, profiles)
            if matchable
            else (None, "")
        )
        earlier_plan = file.by_person.get(person_id) if person_id is not None else None
        if earlier_plan is not None and name_key(earlier_plan.record.full_name) != name:
            person_id, matched_by = None, ""  # two names in one file: two people
        if person_id is None:
            earlier, reason = file.match(record, points, identifying, profiles)
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
    plan_interactions(
        network, parsed.interactions, plan, existing, new_by_key, create_people, budget
    )
    plan_values(network, parsed.values, plan, existing, new_by_key)
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
