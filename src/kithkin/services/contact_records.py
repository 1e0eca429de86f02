"""The one write path for a person who comes from outside: a parsed ``ContactRecord``.

Every importer writes its people through ``write_contacts`` (``importers.apply`` hands it
thousands at once, in bulk statements), and ``save_contact_record`` creates or updates one
person from one record (CardDAV, a single card) through the same function. Both apply the
rules of ``services.contact_rules`` (names, lengths, what is invisible, tag identity) and
``queries.memberships.organization_key`` (organization identity).

What a record adds to someone already known is only what they lack: contact points they do
not have, a job at an organization they are not tied to, tags, and the blank fields among
headline, location, notes, nickname, the date we connected and the birthday. Nothing is
removed or overwritten, so saving the same record twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

from kithkin.errors import InvalidInput
from kithkin.fulltext import people_indexed_in_bulk
from kithkin.importers.records import ContactRecord
from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    Network,
    Organization,
    Person,
)
from kithkin.models.rows import PreparedRows, insert_prepared, insert_rows, prepare_rows
from kithkin.photos import PhotoImage
from kithkin.queries.memberships import organization_key
from kithkin.services.contact_rules import (
    fitting,
    limit,
    person_name,
    split_name,
    tag_key,
)
from kithkin.services.photos import write_photos
from kithkin.services.search_index import search_document
from kithkin.services.tags import ensure_tags

BATCH = 2000

# The blank fields a record may fill on someone known (besides the birthday).


class PointToAdd(Protocol):
    """A validated, normalised contact point (importers.plan.PlannedPoint)."""

    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def normalized(self) -> str: ...
    @property
    def service(self) -> str: ...
    @property
    def label(self) -> str: ...


class ContactToWrite(Protocol):
    """One person to create (``action`` "new") or add to (``person_id`` set), and what to
    add (importers.plan.PlannedContact). ``person_id`` is set on the new ones once written."""

    person_id: int | None

    @property
    def record(self) -> ContactRecord: ...
    @property
    def action(self) -> str: ...
    @property
    def points(self) -> Sequence[PointToAdd]: ...
    @property
    def jobs(self) -> Sequence[tuple[str, str]]: ...
    @property
    def fills(self) -> dict[str, object]: ...
    @property
    def tags(self) -> Sequence[str]: ...


@dataclass
class Written:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)


def _no_progress(step: str) -> None:
    return None


@dataclass
class PreparedContacts:
    """What ``write_contacts`` inserts, built without a query so that it can be built
    before the write transaction begins (``importers.apply``): the new people's rows,
    dates adapted (``models.rows.prepare_rows``), their circle set when written; and each
    contact's points, every value checked against its column."""

    people: PreparedRows
    points: dict[int, list[tuple[str, str, str, str, str]]]  # id(contact) -> points


def prepare_contacts(
    network: Network, contacts: Sequence[ContactToWrite], *, now: dt.datetime
) -> PreparedContacts:
    """The rows of ``write_contacts(network, contacts, now=now)``; InvalidInput for a value
    that does not fit its column, as the write would."""
    rows = [_new_person_row(network, c, now, None) for c in contacts if c.action == "new"]
    return PreparedContacts(
        people=prepare_rows(Person, PERSON_COLUMNS, rows),
        points={
            id(c): [_point_values(c.record, point) for point in c.points]
            for c in contacts
            if c.action in ("new", "update") and c.points
        },
    )


def write_contacts(
    network: Network,
    contacts: Sequence[ContactToWrite],
    *,
    now: dt.datetime,
    circle: Circle | None,
    progress: Callable[[str], None] = _no_progress,
    prepared: PreparedContacts | None = None,
) -> Written:
    """Write ``contacts`` in bulk statements: new people (joining ``circle``), then every
    contact point, job, tag and blank field. The caller holds the transaction, has checked
    access, and records the change (``services.changes``: the derived state follows).
    Values were cleaned by ``contact_rules``; one that does not fit its column is refused
    here (InvalidInput), never cut. ``prepared``: ``prepare_contacts`` of the same
    contacts and ``now``, made before the transaction."""
    progress("people")
    if prepared is None:
        prepared = prepare_contacts(network, contacts, now=now)
    written = Written()
    creating = [c for c in contacts if c.action == "new"]
    updating = [c for c in contacts if c.action == "update"]
    written.created = _create_people(network, creating, now, circle, prepared.people)
    written.updated = [c.person_id for c in updating if c.person_id is not None]
    changing = creating + updating
    progress("contact points")
    _add_points(changing, written.updated, prepared.points)
    progress("jobs and tags")
    _add_jobs(network, changing, now)
    _add_tags(network, changing)
    progress("details")
    _fill_fields(updating, now)
    write_photos(
        [
            (c.person_id, photo, c.record.source)
            for c in changing
            if c.person_id is not None and isinstance(photo := c.fills.get("photo"), PhotoImage)
        ],
        now=now,
    )
    return written


# People -----------------------------------------------------------------------------------

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


def fitted(
    record: ContactRecord, model: type[Person | ContactPoint | Affiliation], name: str, value: str
) -> str:
    """``value`` if it fits its column; else InvalidInput naming the record's file and line
    (a value the rules did not clean, such as a name the planner made up)."""
    if not value and name != "full_name":  # most optional values of an imported row
        return value
    if name != "full_name" or model is not Person:
        most = limit(model, name)
        if most is None or len(value) <= most:  # what fitting checks, without a call
            return value
    try:
        if model is Person and name == "full_name":
            return person_name(value, name)
        return fitting(model, name, value)
    except InvalidInput as exc:
        raise InvalidInput(f"{record.path}:{record.line}: {exc.field}", exc.message) from None


_PERSON_LIMITED = ("nickname", "given_name", "family_name", "headline", "location")


@functools.cache
def _person_limits() -> tuple[int, ...]:
    """The lengths of the Person columns in ``_PERSON_LIMITED``."""
    found = [limit(Person, name) for name in _PERSON_LIMITED]
    assert None not in found
    return cast(tuple[int, ...], tuple(found))


def _new_person_row(
    network: Network, planned: ContactToWrite, now: dt.datetime, circle_id: int | None
) -> tuple[object, ...]:
    record = planned.record
    derived_given, derived_family = split_name(record.full_name)
    birthday = planned.fills.get("birthday")
    year, month, day_of_month = birthday if isinstance(birthday, tuple) else (None, None, None)
    # What every record of the person fills (later records of one file fill what the
    # first left blank, and add their notes), the first record's name.
    filled = planned.fills
    full_name = fitted(record, Person, "full_name", record.full_name)
    nickname = str(filled.get("nickname") or "")
    headline = str(filled.get("headline") or "")
    location = str(filled.get("location") or "")
    given_name, family_name = record.given_name, record.family_name
    most = _person_limits()
    if not (  # every row of a file but a broken one: what fitted checks, in one test
        len(nickname) <= most[0]
        and len(given_name) <= most[1]
        and len(family_name) <= most[2]
        and len(headline) <= most[3]
        and len(location) <= most[4]
    ):  # the first value too long is refused, in this order
        for name, value in zip(
            _PERSON_LIMITED, (nickname, given_name, family_name, headline, location), strict=True
        ):
            fitted(record, Person, name, value)
    given_name = given_name or derived_given
    family_name = family_name or derived_family
    notes = str(filled.get("notes") or "")
    parts = [full_name, given_name, family_name, nickname, headline, location, notes]
    # Each part's words are found once for every row that repeats it (an organization,
    # a title): "org title" as two parts gives the words of the two joined by a space.
    for organization, title in planned.jobs:
        parts += (organization, title)
    parts += planned.tags
    for point in planned.points:
        parts += (point.value, point.normalized)
    document = search_document(*parts)
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
        notes,
        filled.get("connected_on"),
        now,
        now,
        document,
        circle_id,
    )


def _create_people(
    network: Network,
    creating: list[ContactToWrite],
    now: dt.datetime,
    circle: Circle | None,
    rows: PreparedRows,
) -> list[int]:
    """Insert the new people's rows (``prepare_contacts``), then read their ids back in
    insertion order: everyone this write creates shares its ``created_at`` and comes after
    the highest id before it, inside this transaction."""
    if not creating:
        return []
    assert len(rows.rows) == len(creating)
    if circle is not None:  # the last column
        rows = PreparedRows(Person, PERSON_COLUMNS, [(*r[:-1], circle.pk) for r in rows.rows])
    with people_indexed_in_bulk() as before:
        insert_prepared(rows)
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


@functools.cache
def _point_limits() -> tuple[int, int, int, int]:
    """The lengths of ContactPoint's service, label, value and normalized columns."""
    found = [limit(ContactPoint, name) for name in ("service", "label", "value", "normalized")]
    assert None not in found
    return cast(tuple[int, int, int, int], tuple(found))


def _point_values(record: ContactRecord, point: PointToAdd) -> tuple[str, str, str, str, str]:
    """(kind, service, label, value, normalized), each checked against its column."""
    service, label, value, normalized = point.service, point.label, point.value, point.normalized
    most_service, most_label, most_value, most_normalized = _point_limits()
    if (  # every point of a file but a broken one: what fitted checks, in one test
        len(service) <= most_service
        and len(label) <= most_label
        and len(value) <= most_value
        and len(normalized) <= most_normalized
    ):
        return (point.kind, service, label, value, normalized)
    return (
        point.kind,
        fitted(record, ContactPoint, "service", point.service),
        fitted(record, ContactPoint, "label", point.label),
        fitted(record, ContactPoint, "value", point.value),
        fitted(record, ContactPoint, "normalized", point.normalized),
    )


def _add_points(
    changing: list[ContactToWrite],
    known_people: list[int],
    prepared: dict[int, list[tuple[str, str, str, str, str]]],
) -> None:
    """Each new contact point; the first of its kind a person has becomes the primary."""
    kinds_held: set[tuple[int, str]] = set(
        ContactPoint.objects.filter(person_id__in=known_people).values_list("person_id", "kind")
    )
    rows = []
    for planned in changing:
        person_id = planned.person_id
        assert person_id is not None
        for kind, service, label, value, normalized in prepared.get(id(planned), ()):
            primary = (person_id, kind) not in kinds_held
            if primary:
                kinds_held.add((person_id, kind))
            rows.append((person_id, kind, service, label, value, normalized, primary))
    insert_rows(
        ContactPoint,
        ["person", "kind", "service", "label", "value", "normalized", "is_primary"],
        rows,
    )


def organizations_by_key(
    network: Network, names: Iterable[str], keys: dict[str, str] | None = None
) -> dict[str, int]:
    """The id of every organization ``names`` name (by organization_key), created in one
    statement where missing. Names were cleaned by ``contact_rules.organization_name``.
    ``keys``: their keys when the caller has them."""
    keys = keys or {}
    wanted = {
        keys.get(name) or organization_key(name): " ".join(name.split())
        for name in names
        if name.strip()
    }
    if not wanted:
        return {}
    organizations = Organization.objects.filter(network=network)
    # Names as written first (one indexed lookup), then every name by its key.
    found = {
        organization_key(name): pk
        for pk, name in organizations.filter(name__in=wanted.values()).values_list("pk", "name")
    }
    if not wanted.keys() <= found.keys():
        found = {organization_key(name): pk for pk, name in organizations.values_list("pk", "name")}
    missing = [
        Organization(network=network, name=_fits_organization(name))
        for key, name in wanted.items()
        if key not in found
    ]
    Organization.objects.bulk_create(missing, batch_size=BATCH)
    found.update(
        {
            organization_key(name): pk
            for pk, name in organizations.filter(name__in=[o.name for o in missing]).values_list(
                "pk", "name"
            )
        }
    )
    return found


def _fits_organization(name: str) -> str:
    return fitting(Organization, "name", name, "organization")


def _add_jobs(network: Network, changing: list[ContactToWrite], now: dt.datetime) -> None:
    # Thousands of jobs at a few hundred organizations: each name's key found once.
    key_of: dict[str, str] = {}
    for c in changing:
        for org, _ in c.jobs:
            if org not in key_of:
                key_of[org] = organization_key(org)
    organizations = organizations_by_key(network, key_of, key_of)
    insert_rows(
        Affiliation,
        ["person", "organization", "kind", "title", "created_at"],
        [
            (
                c.person_id,
                organizations[key_of[org]],
                Affiliation.Kind.EMPLOYMENT,
                fitted(c.record, Affiliation, "title", title),
                now,
            )
            for c in changing
            for org, title in c.jobs
            if org.strip()
        ],
    )


def _add_tags(network: Network, changing: list[ContactToWrite]) -> None:
    names = [tag for c in changing for tag in c.tags]
    if not names:
        return
    tags = ensure_tags(network, names)
    insert_rows(
        Person.tags.through,
        ["person", "tag"],
        [
            (c.person_id, tags[key].pk)
            for c in changing
            for key in dict.fromkeys(tag_key(tag) for tag in c.tags)
            if key in tags
        ],
    )


def _fill_fields(updating: list[ContactToWrite], now: dt.datetime) -> None:
    by_id = Person.objects.in_bulk([c.person_id for c in updating if c.fills])
    changed = []
    for planned in updating:
        person = by_id.get(planned.person_id or 0)
        if person is None:
            continue
        for name, value in planned.fills.items():
            if name == "photo":  # written beside the person (write_photos)
                continue
            if name == "birthday" and isinstance(value, tuple):
                person.birthday_year, person.birthday_month, person.birthday_day = value
            else:
                if isinstance(value, str):
                    fitted(planned.record, Person, name, value)
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


# One record -------------------------------------------------------------------------------
