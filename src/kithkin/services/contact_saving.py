"""One contact record written at a time (a card a phone PUTs over CardDAV, a form): the
same rules and the same bulk writer as an import (``contact_records.write_contacts``), in
one transaction; ``replacing`` makes the person say no more than the record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.importers.planned import PlannedPoint, contact_points
from kithkin.importers.records import ContactRecord, RecordError
from kithkin.models import Affiliation, ContactPoint, Network, Person, Photo, User
from kithkin.queries.memberships import organization_key
from kithkin.services import changes
from kithkin.services.contact_records import fitted, write_contacts
from kithkin.services.contact_rules import clean_record, current_fields, fills, tag_key
from kithkin.services.people import joining_circle


@dataclass
class ContactToSave:
    """What one record adds to one person (a ContactToWrite)."""

    record: ContactRecord
    action: str  # new, update, unchanged
    person_id: int | None = None
    points: list[PlannedPoint] = field(default_factory=list)
    jobs: list[tuple[str, str]] = field(default_factory=list)
    fills: dict[str, object] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.points or self.jobs or self.fills or self.tags)


@dataclass(frozen=True)
class SavedContact:
    person: Person
    created: bool
    changed: bool  # False: the person already had everything the record says


def _points(network: Network, record: ContactRecord) -> list[PlannedPoint]:
    """The record's contact points, validated and normalised as every importer does
    (importers.plan.contact_points); the first bad one refuses the record."""
    errors: list[RecordError] = []
    planned = contact_points(record, network.phone_region, errors)
    _refuse(errors)
    return planned


def _refuse(errors: list[RecordError]) -> None:
    if errors:
        raise InvalidInput(errors[0].field, errors[0].message)


@transaction.atomic
def save_contact_record(
    network: Network,
    actor: User,
    record: ContactRecord,
    *,
    person: Person | None = None,
    replacing: bool = False,
) -> SavedContact:
    """Create a person from ``record``, or add to ``person`` what the record says and they
    lack (see the module's docstring), in one transaction. Every value is checked by the
    rules every importer applies before the first write; a bad one refuses the whole record
    (InvalidInput naming the field). New people join the network's circle for new people.

    ``replacing`` (CardDAV: the card is the whole truth a contacts program edited): first
    withdraw from ``person`` what the record no longer says -- contact points, tags, the
    current job it showed, a photo it no longer carries or carries changed -- and overwrite
    the names, notes, headline, location and birthday with the record's; then add as
    above."""
    access.require_write(actor, network)
    if person is not None:
        access.require_in_network(network, person)
        person = Person.objects.select_for_update().get(pk=person.pk)
    record = replace(record)  # cleaned here; the caller's stays as it was
    errors: list[RecordError] = []
    clean_record(record, errors)
    _refuse(errors)
    points = _points(network, record)
    withdrawn: list[str] = []
    if person is not None and replacing:
        withdrawn = _withdraw(person, record, points)
    if person is None:
        planned = ContactToSave(
            record=record,
            action="new",
            points=points,
            jobs=[(record.organization, record.title)] if record.organization else [],
            fills=fills(record, None),
            tags=list(record.tags),
        )
    else:
        planned = _additions(person, record, points)
    now = clock.now()
    written = write_contacts(network, [planned], now=now, circle=joining_circle(network))
    touched = written.created + written.updated
    assert planned.person_id is not None
    if written.created:
        changes.record(
            network,
            "person.created",
            actor=actor,
            record_id=planned.person_id,
            person_ids=[planned.person_id],
        )
    elif written.updated or withdrawn:
        fields = sorted({*_fields_added(planned), *withdrawn})
        changes.record(
            network,
            "person.updated",
            actor=actor,
            record_id=planned.person_id,
            person_ids=[planned.person_id],
            data={"fields": fields},
        )
    return SavedContact(
        person=Person.objects.get(pk=planned.person_id),
        created=bool(written.created),
        changed=bool(touched or withdrawn),
    )


_REPLACED = ("full_name", "given_name", "family_name", "nickname", "notes", "location")


def _withdraw(person: Person, record: ContactRecord, points: list[PlannedPoint]) -> list[str]:
    """Make ``person`` say no more than ``record`` (``save_contact_record(replacing=True)``):
    the fields changed, as ``person.updated`` names them."""
    changed: list[str] = []
    wanted = {(p.kind, p.normalized): p.label for p in points}
    held = list(ContactPoint.objects.filter(person=person))
    gone = [p.pk for p in held if (p.kind, p.normalized) not in wanted]
    relabelled = [p for p in held if wanted.get((p.kind, p.normalized), p.label) != p.label]
    for point in relabelled:
        point.label = wanted[(point.kind, point.normalized)]
    if gone or relabelled:
        ContactPoint.objects.filter(pk__in=gone).delete()
        ContactPoint.objects.bulk_update(relabelled, ["label"])
        changed.append("contact_points")
    tags = {tag_key(name) for name in record.tags}
    dropped = [tag for tag in person.tags.all() if tag_key(tag.name) not in tags]
    if dropped:
        person.tags.remove(*dropped)
        changed.append("tags")
    current = (
        Affiliation.objects.filter(person=person, end_on__isnull=True)
        .select_related("organization")
        .order_by("pk")
        .first()
    )
    if current is not None:
        if not record.organization or organization_key(record.organization) != organization_key(
            current.organization.name
        ):
            current.end_on = max(clock.now().date(), current.start_on or dt.date.min)
            current.save(update_fields=["end_on"])
            changed.append("affiliations")
        elif current.title != record.title:
            current.title = fitted(record, Affiliation, "title", record.title)
            current.save(update_fields=["title"])
            changed.append("affiliations")
    values: dict[str, object] = {name: getattr(record, name) for name in _REPLACED}
    values["full_name"] = values["full_name"] or person.full_name
    if not record.organization:
        values["headline"] = record.headline
    year, month, day = record.birthday or (None, None, None)
    values.update(birthday_year=year, birthday_month=month, birthday_day=day)
    columns: list[str] = []  # only these are written: the row's derived columns (last
    # talked, strength, due date) may have moved since ``person`` was read
    for name, value in values.items():
        if isinstance(value, str):
            fitted(record, Person, name, value)
        if getattr(person, name) != value:
            setattr(person, name, value)
            columns.append(name)
            changed.append("birthday" if name.startswith("birthday_") else name)
    if record.photo is not None and record.photo.is_photo(person.photo_digest):
        record.photo = None  # the photo it was served, sent back: unchanged
    elif person.photo_digest:  # another photo (given below, as to anyone without), or none
        Photo.objects.filter(person=person).delete()
        person.photo_digest = ""
        columns.append("photo_digest")
        changed.append("photo")
    if changed:
        person.updated_at = clock.now()
        person.save(update_fields=[*columns, "updated_at"])
    return sorted(set(changed))


def _fields_added(planned: ContactToSave) -> list[str]:
    """The names of what a record added to someone known, as ``person.updated`` says them."""
    fields = list(planned.fills)
    for present, name in (
        (planned.points, "contact_points"),
        (planned.jobs, "affiliations"),
        (planned.tags, "tags"),
    ):
        if present:
            fields.append(name)
    return fields


def _additions(person: Person, record: ContactRecord, points: list[PlannedPoint]) -> ContactToSave:
    """What ``record`` adds to ``person``: only what they lack."""
    held = set(ContactPoint.objects.filter(person=person).values_list("kind", "normalized"))
    orgs = {
        organization_key(name)
        for name in Affiliation.objects.filter(person=person).values_list(
            "organization__name", flat=True
        )
    }
    tags = {tag_key(name) for name in person.tags.values_list("name", flat=True)}
    planned = ContactToSave(record=record, action="unchanged", person_id=person.pk)
    planned.points = [p for p in points if (p.kind, p.normalized) not in held]
    if record.organization and organization_key(record.organization) not in orgs:
        planned.jobs.append((record.organization, record.title))
    planned.fills = fills(record, current_fields(person))
    planned.tags = [tag for tag in record.tags if tag_key(tag) not in tags]
    if planned.changes:
        planned.action = "update"
    return planned
