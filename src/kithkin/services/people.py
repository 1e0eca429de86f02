"""Adding, changing, archiving and deleting people: names, circle, cadence, tags.

A person's contact points and affiliations have modules of their own
(``services.contact_points``, ``services.affiliations``); their functions are importable
from here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    Relationship,
    TrashedItem,
    User,
)
from kithkin.services import changes, trash, undo
from kithkin.services.accounts import is_time_zone
from kithkin.services.affiliations import add_affiliation as add_affiliation
from kithkin.services.affiliations import end_affiliation as end_affiliation
from kithkin.services.affiliations import get_or_create_organization
from kithkin.services.changes import edited
from kithkin.services.contact_points import add_contact_point as add_contact_point
from kithkin.services.contact_points import normalize_contact_point
from kithkin.services.contact_points import remove_contact_point as remove_contact_point
from kithkin.services.contact_rules import multi_line, organization_name, person_name, split_name
from kithkin.services.contact_rules import tag_names as tag_names
from kithkin.services.contact_rules import text as text_of
from kithkin.services.tags import get_or_create_tags as get_or_create_tags


@dataclass
class NewPerson:
    """What a user says about someone new. Every field but the name is optional."""

    full_name: str
    emails: Sequence[str] = ()
    phones: Sequence[str] = ()
    urls: Sequence[str] = ()
    organization: str = ""
    title: str = ""
    circle: str = ""
    cadence_days: int | None = None
    tags: Sequence[str] = ()
    headline: str = ""
    location: str = ""
    how_we_met: str = ""
    what_matters: str = ""
    notes: str = ""
    connected_on: dt.date | None = None
    introduced_by: Person | None = None


def find_circle(network: Network, name: str, field_name: str = "circle") -> Circle:
    circle = Circle.objects.filter(network=network, name__iexact=name.strip()).first()
    if circle is None:
        names = ", ".join(Circle.objects.filter(network=network).values_list("name", flat=True))
        raise InvalidInput(field_name, f"{name!r} is not a circle; choose one of: {names}")
    return circle


@dataclass
class PersonChanges:
    """What an edit form submits. None means 'leave as is'."""

    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    pronouns: str | None = None
    headline: str | None = None
    location: str | None = None
    time_zone: str | None = None  # validated IANA name, "" clears
    how_we_met: str | None = None
    what_matters: str | None = None
    notes: str | None = None  # Markdown, stored as typed
    circle: str | None = None  # circle name; "" = no circle
    cadence_days: int | None = None
    clear_cadence: bool = False
    tags: Sequence[str] | None = None  # replaces the person's tags (created as needed)
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    clear_birthday: bool = False


# Ten years: longer is no rhythm, and far-future dates overflow date arithmetic.
MAX_CADENCE_DAYS = 3650
EARLIEST_BIRTH_YEAR = 1900
# Fields edited as plain text, trimmed; CharFields are held to their max_length.
_TEXT_FIELDS = (
    "given_name",
    "family_name",
    "nickname",
    "pronouns",
    "headline",
    "location",
    "how_we_met",
    "what_matters",
)


def cadence(days: int, field_name: str) -> int:
    if days < 1:
        raise InvalidInput(field_name, "must be at least one day")
    if days > MAX_CADENCE_DAYS:
        raise InvalidInput(field_name, f"must be at most {MAX_CADENCE_DAYS} days (ten years)")
    return days


def full_name_of(typed: str, field_name: str = "name") -> str:
    """A full name as stored (services.contact_rules.person_name: visible, within 200)."""
    return person_name(typed, field_name)


def _split_name(full_name: str) -> tuple[str, str]:
    """(given, family) as add_person derives them, held to their columns' lengths."""
    return split_name(full_name)


def _contact_points(new: NewPerson, network: Network) -> list[ContactPoint]:
    points: list[ContactPoint] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, value: str, normalized: str, service: str = "") -> None:
        if (kind, normalized) not in seen:
            seen.add((kind, normalized))
            primary = not any(p.kind == kind for p in points)
            points.append(
                ContactPoint(
                    kind=kind,
                    value=value,
                    normalized=normalized,
                    service=service,
                    is_primary=primary,
                )
            )

    for kind, values in (("email", new.emails), ("phone", new.phones), ("url", new.urls)):
        for raw in values:
            add(*normalize_contact_point(network, kind, raw))
    return points


@transaction.atomic
def add_person(network: Network, actor: User, new: NewPerson) -> Person:
    """Create a person with everything known about them, or change nothing at all."""
    access.require_write(actor, network)
    full_name = full_name_of(new.full_name)
    if new.cadence_days is not None:
        cadence(new.cadence_days, "every")
    # Validate every input before the first write.
    circle = find_circle(network, new.circle) if new.circle else joining_circle(network)
    if new.cadence_days is not None and not new.circle:
        circle = None  # their own rhythm, no circle implied
    points = _contact_points(new, network)
    given, family = _split_name(full_name)
    headline = text_of(Person, "headline", new.headline or "")
    location = text_of(Person, "location", new.location or "")
    organization = organization_name(new.organization) if new.organization.strip() else ""
    title = text_of(Affiliation, "title", new.title or "", "title")
    tags = tag_names(new.tags) if new.tags else []
    now = clock.now()
    person = Person.objects.create(
        network=network,
        full_name=full_name,
        given_name=given,
        family_name=family,
        circle=circle,
        cadence_days=new.cadence_days,
        headline=headline,
        location=location,
        how_we_met=multi_line(new.how_we_met),
        what_matters=multi_line(new.what_matters),
        notes=multi_line(new.notes),
        connected_on=new.connected_on,
        introduced_by=new.introduced_by,
        created_at=now,
        updated_at=now,
    )
    for point in points:
        point.person = person
    ContactPoint.objects.bulk_create(points)
    if organization:
        Affiliation.objects.create(
            person=person,
            organization=get_or_create_organization(network, organization),
            title=title,
        )
    elif title and not person.headline:
        person.headline = title
        person.save(update_fields=["headline"])
    if tags:
        person.tags.add(*get_or_create_tags(network, tags))
    changes.record(
        network,
        "person.created",
        actor=actor,
        record_id=person.pk,
        person_ids=[person.pk],
        data={"circle_id": person.circle_id},
    )
    person.refresh_from_db()
    return person


@transaction.atomic
def snooze_person(
    network: Network, actor: User, person: Person, until: dt.date, *, today: dt.date
) -> Person:
    """Push the person's check-in to ``until`` (a snooze never brings it earlier)."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if until <= today:
        raise InvalidInput("until", f"{until.isoformat()} is not after today ({today.isoformat()})")
    with undo.action(network, actor, "snooze", f"Snoozed {person.full_name} until {until:%-d %b}"):
        previous = person.snoozed_until
        undo.step("set_snooze", person=person.pk, until=previous.isoformat() if previous else None)
        person.snoozed_until = until
        person.updated_at = clock.now()
        person.save(update_fields=["snoozed_until", "updated_at"])
        values = edited({"snoozed_until": previous}, {"snoozed_until": until})
        _updated(network, actor, person, ["snoozed_until"], values)
    person.refresh_from_db()
    return person


@transaction.atomic
def set_cadence(
    network: Network,
    actor: User,
    person: Person,
    *,
    circle: str | None = None,
    cadence_days: int | None = None,
    clear_cadence: bool = False,
) -> Person:
    """Move a person to a circle and/or override how often to check in with them."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    before = {"circle": person.circle, "cadence_days": person.cadence_days}
    if circle is not None:
        person.circle = find_circle(network, circle)
    if clear_cadence:
        person.cadence_days = None
    elif cadence_days is not None:
        person.cadence_days = cadence(cadence_days, "every")
    person.updated_at = clock.now()
    person.save(update_fields=["circle", "cadence_days", "updated_at"])
    values = edited(before, {"circle": person.circle, "cadence_days": person.cadence_days})
    _updated(network, actor, person, ["circle", "cadence_days"], values)
    person.refresh_from_db()
    return person


def joining_circle(network: Network) -> Circle | None:
    """The circle people added without one join: the network's setting, else none."""
    if network.new_people_circle_id is None:
        return None
    return Circle.objects.filter(pk=network.new_people_circle_id, network=network).first()


@transaction.atomic
def set_new_people_circle(network: Network, actor: User, circle: str) -> Circle | None:
    """Choose the circle people added without one join ("" or "none": no circle)."""
    access.require_write(actor, network)
    name = circle.strip()
    chosen = None if name.lower() in {"", "none"} else find_circle(network, name)
    network.new_people_circle = chosen
    network.save(update_fields=["new_people_circle"])
    changes.network_updated(network, actor, ["new_people_circle"])
    return chosen


@transaction.atomic
def set_circle_cadence(
    network: Network, actor: User, circle: Circle, cadence_days: int | None
) -> int:
    """Change a circle's default cadence; everyone in it gets a new due date. Returns how
    many due dates moved."""
    access.require_write(actor, network)
    if cadence_days is not None:
        cadence(cadence_days, "every")
    circle.cadence_days = cadence_days
    circle.save(update_fields=["cadence_days"])
    before = dict(circle.people.values_list("pk", "check_in_due_on"))
    changes.record(
        network,
        "circle.updated",
        actor=actor,
        record_id=circle.pk,
        person_ids=before,
        data={"fields": ["cadence_days"]},
    )
    after = Person.objects.filter(pk__in=list(before)).values_list("pk", "check_in_due_on")
    return sum(1 for pk, due in after if due != before[pk])


@transaction.atomic
def update_person(network: Network, actor: User, person: Person, changes: PersonChanges) -> Person:
    """Change what is known about someone. Every value is checked before the first write, so
    an invalid one changes nothing, not even the ``person`` object handed in.

    Renaming someone whose given and family names were derived from their full name (as
    add_person does) derives them again, unless the same edit sets them.
    """
    access.require_write(actor, network)
    access.require_in_network(network, person)
    values = _edited_values(network, person, changes)
    tags = tag_names(changes.tags, "tags") if changes.tags is not None else None
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    before = {name: getattr(person, name) for name in changed}
    after = {name: values[name] for name in changed}
    values["updated_at"] = clock.now()
    for name, value in values.items():
        setattr(person, name, value)
    person.save(update_fields=list(values))
    if tags is not None:
        held = set(person.tags.values_list("name", flat=True))
        person.tags.set(get_or_create_tags(network, tags, "tags"))
        now_held = set(person.tags.values_list("name", flat=True))
        if now_held != held:
            changed.append("tags")
            before["tags"], after["tags"] = held, now_held
    _updated(network, actor, person, changed, edited(before, after))
    person.refresh_from_db()
    return person


def _updated(
    network: Network,
    actor: User,
    person: Person,
    fields: list[str],
    values: dict[str, list[object]] | None = None,
) -> None:
    """Record that ``fields`` of ``person`` changed (no field: nothing did), and from what
    to what (``values``, ``changes.edited``)."""
    if fields:
        changes.record(
            network,
            "person.updated",
            actor=actor,
            record_id=person.pk,
            person_ids=[person.pk],
            data={"fields": fields},
            values=values,
        )


def _edited_values(network: Network, person: Person, changes: PersonChanges) -> dict[str, object]:
    """The model fields to save, validated; nothing is written or set here."""
    values: dict[str, object] = {}
    if changes.full_name is not None:
        values["full_name"] = full_name_of(changes.full_name, "full_name")
    for name in _TEXT_FIELDS:
        typed = getattr(changes, name)
        if typed is not None:
            values[name] = _text(name, typed)
    if changes.notes is not None:
        values["notes"] = changes.notes.replace("\x00", "")
    if (
        changes.given_name is None
        and changes.family_name is None
        and values.get("full_name", person.full_name) != person.full_name
        and (person.given_name, person.family_name) == _split_name(person.full_name)
    ):
        values["given_name"], values["family_name"] = _split_name(str(values["full_name"]))
    if changes.time_zone is not None:
        values["time_zone"] = _time_zone(changes.time_zone)
    if changes.circle is not None:
        values["circle"] = find_circle(network, changes.circle) if changes.circle.strip() else None
    if changes.clear_cadence:
        values["cadence_days"] = None
    elif changes.cadence_days is not None:
        values["cadence_days"] = cadence(changes.cadence_days, "cadence_days")
    if changes.clear_birthday:
        values.update(birthday_year=None, birthday_month=None, birthday_day=None)
    elif changes.birthday is not None:
        values.update(_birthday(changes.birthday, clock.today_in(network.time_zone)))
    return values


def _text(name: str, typed: str) -> str:
    """A one-line field held to its column, or multi-line text (a TextField) trimmed."""
    if _max_length(name) is None:
        return multi_line(typed)
    return text_of(Person, name, typed)


def _time_zone(typed: str) -> str:
    name = typed.strip()
    if name and not is_time_zone(name):
        raise InvalidInput(
            "time_zone", f"{name[:70]!r} is not a time zone name such as Europe/Paris"
        )
    return name


def _max_length(field_name: str) -> int | None:
    """The column's limit for a CharField of Person, None for a TextField."""
    limit: int | None = getattr(Person._meta.get_field(field_name), "max_length", None)
    return limit


def _birthday(value: tuple[int | None, int, int], today: dt.date) -> dict[str, int | None]:
    year, month, day = value
    shown = f"{year:04d}-{month:02d}-{day:02d}" if year is not None else f"--{month:02d}-{day:02d}"
    try:
        # Without a year, check against a leap year: 29 February is someone's birthday.
        born = dt.date(2000 if year is None else year, month, day)
    except (ValueError, OverflowError):
        raise InvalidInput("birthday", f"{shown} is not a date") from None
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= today.year:
        raise InvalidInput("birthday", f"the year must be between {EARLIEST_BIRTH_YEAR} and now")
    if year is not None and born > today:
        raise InvalidInput("birthday", f"{shown} is in the future")
    return {"birthday_year": year, "birthday_month": month, "birthday_day": day}


@transaction.atomic
def archive_person(network: Network, actor: User, person: Person) -> Person:
    """Put someone away: never due for a check-in, not in search or lists, still on record."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if person.is_self:
        raise InvalidInput("person", "you cannot archive yourself")
    if person.archived_at is None:
        person.archived_at = person.updated_at = clock.now()
        person.save(update_fields=["archived_at", "updated_at"])
        changes.record(
            network, "person.archived", actor=actor, record_id=person.pk, person_ids=[person.pk]
        )
    person.refresh_from_db()
    return person


@transaction.atomic
def unarchive_person(network: Network, actor: User, person: Person) -> Person:
    """Bring someone back; their check-in is due again as if they had never left."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if person.archived_at is not None:
        person.archived_at = None
        person.updated_at = clock.now()
        person.save(update_fields=["archived_at", "updated_at"])
        changes.record(
            network, "person.restored", actor=actor, record_id=person.pk, person_ids=[person.pk]
        )
    person.refresh_from_db()
    return person


@transaction.atomic
def delete_person(network: Network, actor: User, person: Person) -> TrashedItem:
    """Move someone to the trash (``services.trash``: restorable for 30 days). Interactions
    and follow-ups that were theirs alone go with them; shared ones stay with the other
    people; people they introduced stay."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if person.is_self:
        raise InvalidInput("person", "you cannot delete yourself from your own network")
    interaction_ids = set(
        InteractionParticipant.objects.filter(person=person).values_list(
            "interaction_id", flat=True
        )
    )
    shared_interactions = InteractionParticipant.objects.filter(
        interaction_id__in=interaction_ids
    ).exclude(person=person)
    owed = FollowUp.people.through.objects
    follow_up_ids = set(owed.filter(person=person).values_list("followup_id", flat=True))
    shared_follow_ups = owed.filter(followup_id__in=follow_up_ids).exclude(person=person)
    touched = {
        *shared_interactions.values_list("person_id", flat=True),
        *shared_follow_ups.values_list("person_id", flat=True),
        *Person.objects.filter(introduced_by=person).values_list("pk", flat=True),
        *Relationship.objects.filter(from_person=person).values_list("to_person_id", flat=True),
        *Relationship.objects.filter(to_person=person).values_list("from_person_id", flat=True),
    }
    only_theirs = interaction_ids - set(
        shared_interactions.values_list("interaction_id", flat=True)
    )
    owed_only = follow_up_ids - set(shared_follow_ups.values_list("followup_id", flat=True))
    touched.discard(person.pk)
    deleted = person.pk
    item = trash.trash(
        network,
        actor,
        kind="person",
        record=person,
        name=person.full_name,
        roots=[
            person,
            *Interaction.objects.filter(pk__in=only_theirs),
            *FollowUp.objects.filter(pk__in=owed_only),
        ],
        person_ids=[deleted, *touched],
    )
    changes.record(
        network,
        "person.deleted",
        actor=actor,
        record_id=deleted,
        person_ids=[deleted, *touched],
        data={"trash_id": item.pk},
    )
    return item
