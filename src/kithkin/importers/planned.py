"""What an import plan holds (new, updated and unchanged people, interactions, value,
every merge with its reason), a record's validated contact points, what the network
already holds, and the plan's time budget. The matching itself is in ``importers.plan``.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from kithkin import normalize, refs
from kithkin.errors import InvalidInput
from kithkin.fulltext import fold
from kithkin.importers.records import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    MyJob,
    ParseResult,
    RecordError,
    ValueRecord,
)
from kithkin.models import Affiliation, ContactPoint, Network, Person
from kithkin.services.contact_rules import CURRENT_FIELDS

Key = tuple[str, str]  # (kind, normalized)


@functools.lru_cache(maxsize=65_536)
def name_key(text: str) -> str:
    """A name as matching compares it: case, accents and spacing aside (cached: each
    record's name is compared several times)."""
    return fold(" ".join(text.split()))


@dataclass(frozen=True)
class PlannedPoint:
    kind: str
    value: str
    normalized: str
    service: str = ""
    label: str = ""
    # (kind, normalized): matching reads it a dozen times per point, so it is built once.
    key: Key = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", (self.kind, self.normalized))

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
    # Where the network's changes stood before the plan read it (importers.freshness), and
    # what it was made from: the apply plans again from these if the network changed since.
    as_of: str | None = field(default=None, compare=False)
    parsed: ParseResult | None = field(default=None, repr=False, compare=False)
    create_people: bool = field(default=False, compare=False)

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
    total = (
        len(record.emails)
        + len(record.phones)
        + len(record.urls)
        + len(record.addresses)
        + len(record.chats)
    )
    if total <= MAX_CONTACT_POINTS:  # every record but a broken or hostile one
        return record
    kinds = ("emails", "phones", "urls", "addresses", "chats")
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
class Existing:
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


def load_existing(network: Network) -> Existing:
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
        by_name[name_key(full_name)].append(pk)
        names[pk] = full_name
        for key in points_of.get(pk, ()):
            by_name_key[(name_key(full_name), key)].append(pk)
        for org in orgs_of.get(pk, set()):
            by_name_org.setdefault((name_key(full_name), org), pk)
        if pk not in points_of and pk not in orgs_of:
            by_name_only.setdefault(name_key(full_name), pk)
    return Existing(
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


class Budget:
    """A hard limit on planning time, checked every ``EVERY`` records: the web plans an
    upload inside a request (``seconds``); `kith import` has no limit (None)."""

    EVERY = 256

    def __init__(self, seconds: float | None, parsed: ParseResult) -> None:
        self.seconds = seconds
        self.until = None if seconds is None else time.monotonic() + seconds
        records = parsed.contacts or parsed.interactions or parsed.values
        self.path = records[0].path if records else "the file"
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        checked = self.until is not None and self.count % self.EVERY == 0
        if checked and time.monotonic() > self.until:  # type: ignore[operator]
            raise ImportFileError(
                self.path,
                f"matching it to the network took longer than {self.seconds:g} s, so it "
                "was stopped: nothing was written. Split the file, or import it with "
                "`kith import` on the server.",
            )
