"""Adding and changing people, their contact points, organizations, tags and circle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock, normalize
from kithkin.errors import InvalidInput
from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    Network,
    Organization,
    Person,
    Tag,
    User,
)
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people


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

    for raw in new.emails:
        add(ContactPoint.Kind.EMAIL, *normalize.email(raw, "email"))
    for raw in new.phones:
        add(ContactPoint.Kind.PHONE, *normalize.phone(raw, network.phone_region, "phone"))
    for raw in new.urls:
        shown, key, service = normalize.url(raw, "url")
        kind = ContactPoint.Kind.URL if service == "website" else ContactPoint.Kind.SOCIAL
        add(kind, shown, key, service)
    return points


def get_or_create_organization(network: Network, name: str) -> Organization:
    organization = Organization.objects.filter(network=network, name__iexact=name.strip()).first()
    return organization or Organization.objects.create(network=network, name=name.strip())


def get_or_create_tags(network: Network, names: Sequence[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = raw.strip().lstrip("#")
        if not name:
            raise InvalidInput("tag", "must not be empty")
        if len(name) > 60:
            raise InvalidInput("tag", f"{name[:20]!r}... is longer than 60 characters")
        tag = Tag.objects.filter(network=network, name__iexact=name).first()
        tags.append(tag or Tag.objects.create(network=network, name=name))
    return tags


@transaction.atomic
def add_person(network: Network, actor: User, new: NewPerson) -> Person:
    """Create a person with everything known about them, or change nothing at all."""
    access.require_write(actor, network)
    full_name = " ".join(new.full_name.split())
    if not full_name:
        raise InvalidInput("name", "must not be empty")
    if len(full_name) > 200:
        raise InvalidInput("name", "is longer than 200 characters")
    if new.cadence_days is not None and new.cadence_days < 1:
        raise InvalidInput("every", "must be at least one day")
    # Validate every input before the first write.
    circle = find_circle(network, new.circle) if new.circle else None
    points = _contact_points(new, network)
    given, _, family = full_name.partition(" ")
    now = clock.now()
    person = Person.objects.create(
        network=network,
        full_name=full_name,
        given_name=given,
        family_name=family,
        circle=circle,
        cadence_days=new.cadence_days,
        headline=new.headline.strip(),
        location=new.location.strip(),
        how_we_met=new.how_we_met.strip(),
        what_matters=new.what_matters.strip(),
        notes=new.notes.strip(),
        connected_on=new.connected_on,
        introduced_by=new.introduced_by,
        created_at=now,
        updated_at=now,
    )
    for point in points:
        point.person = person
    ContactPoint.objects.bulk_create(points)
    if new.organization.strip():
        Affiliation.objects.create(
            person=person,
            organization=get_or_create_organization(network, new.organization),
            title=new.title.strip(),
        )
    elif new.title.strip() and not person.headline:
        person.headline = new.title.strip()
        person.save(update_fields=["headline"])
    if new.tags:
        person.tags.add(*get_or_create_tags(network, new.tags))
    refresh_check_ins(network, [person.pk])
    reindex_people(network, [person.pk])
    person.refresh_from_db()
    return person


@transaction.atomic
def snooze_person(
    network: Network, actor: User, person: Person, until: dt.date, *, today: dt.date
) -> Person:
    """Push the person's check-in to ``until`` (a snooze never brings it earlier)."""
    access.require_write(actor, network)
    if until <= today:
        raise InvalidInput("until", f"{until.isoformat()} is not after today ({today.isoformat()})")
    person.snoozed_until = until
    person.updated_at = clock.now()
    person.save(update_fields=["snoozed_until", "updated_at"])
    refresh_check_ins(network, [person.pk])
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
    if circle is not None:
        person.circle = find_circle(network, circle)
    if clear_cadence:
        person.cadence_days = None
    elif cadence_days is not None:
        if cadence_days < 1:
            raise InvalidInput("every", "must be at least one day")
        person.cadence_days = cadence_days
    person.updated_at = clock.now()
    person.save(update_fields=["circle", "cadence_days", "updated_at"])
    refresh_check_ins(network, [person.pk])
    person.refresh_from_db()
    return person


@transaction.atomic
def set_circle_cadence(
    network: Network, actor: User, circle: Circle, cadence_days: int | None
) -> int:
    """Change a circle's default cadence; everyone in it gets a new due date."""
    access.require_write(actor, network)
    if cadence_days is not None and cadence_days < 1:
        raise InvalidInput("every", "must be at least one day")
    circle.cadence_days = cadence_days
    circle.save(update_fields=["cadence_days"])
    return refresh_check_ins(network, circle.people.values_list("pk", flat=True))
