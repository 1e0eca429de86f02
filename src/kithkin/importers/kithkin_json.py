"""Restore a Kithkin JSON export into an empty network, in one transaction.

A restore is an import like any other: the file may come from anywhere, so every value is
checked as the other importers check theirs (``services.contact_rules`` for names, tags
and lengths; web addresses as ``normalize.url`` reads them; every kind, status and other
choice against the model) and the first bad one refuses the whole file, naming its JSON
path ("people[3].contact_points[0].kind"). Nothing is cut to fit and nothing is written
unless everything is."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, models, transaction

from kithkin import access, clock, normalize, weblinks
from kithkin.errors import InvalidInput
from kithkin.exporters.kithkin_json import (
    EVENT_FIELDS,
    EXCHANGE_FIELDS,
    FORMAT,
    MENTORSHIP_FIELDS,
    MILESTONE_FIELDS,
    NETWORK_FIELDS,
    OPPORTUNITY_FIELDS,
    PERSON_FIELDS,
    READABLE_VERSIONS,
    SHARE_FIELDS,
    TEMPLATE_FIELDS,
    VERSION,
)
from kithkin.importers.records import ImportFileError
from kithkin.models import (
    Affiliation,
    Attendance,
    Circle,
    ContactPoint,
    Event,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Mentorship,
    MessageTemplate,
    Milestone,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    Relationship,
    Tag,
    User,
    ValueExchange,
)
from kithkin.photos import PhotoError, PhotoImage, decode_base64, reencode
from kithkin.services import changes
from kithkin.services.accounts import is_time_zone
from kithkin.services.contact_rules import organization_name, person_name, tag_key, tag_name
from kithkin.services.derived_state import Known
from kithkin.services.photos import write_photos

T = TypeVar("T")


@dataclass(frozen=True)
class RestoreSummary:
    people: int
    interactions: int
    follow_ups: int


def read_document(data: bytes, path: str) -> dict[str, Any]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(path, f"is not Kithkin JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(path, 'is not a Kithkin export (no "format": "kithkin")')
    if document.get("version") not in READABLE_VERSIONS:
        raise ImportFileError(
            path,
            f"is version {document.get('version')!r}; this Kithkin reads "
            f"{', '.join(map(str, READABLE_VERSIONS))} (it writes {VERSION})",
        )
    return document


class _Refused(Exception):
    """A value of the document that may not be stored; ``where`` is its JSON path."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _clean(model: type[models.Model], name: str, value: Any, where: str) -> Any:
    """``value`` for ``model.name`` as the column takes it, checked like any other import:
    its type, its length (contact_rules: never cut), its choices, dates that exist."""
    column: Any = model._meta.get_field(name)
    if value is None:
        if not column.null:
            raise _Refused(where, "must not be null")
        return None
    if isinstance(column, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise _Refused(where, f"must be text, not {_shown(value)}")
        value = value.replace("\x00", "")
        if column.max_length is not None and len(value) > column.max_length:
            raise _Refused(where, f"is longer than {column.max_length} characters")
        choices = [str(key) for key, _ in column.flatchoices] if column.choices else []
        if choices and value not in choices and (value or not column.blank):
            raise _Refused(where, f"{_shown(value)} is not one of: {', '.join(choices)}")
        if not value and not column.blank:
            raise _Refused(where, "must not be empty")
        return value
    if isinstance(column, models.BooleanField) and not isinstance(value, bool):
        raise _Refused(where, f"must be true or false, not {_shown(value)}")
    if isinstance(column, models.IntegerField) and (
        isinstance(value, bool) or not isinstance(value, int)
    ):
        raise _Refused(where, f"must be a whole number, not {_shown(value)}")
    if isinstance(column, models.DateField | models.DateTimeField) and not isinstance(value, str):
        raise _Refused(where, f"must be an ISO date, not {_shown(value)}")
    try:
        return column.clean(value, None)
    except ValidationError as exc:
        raise _Refused(where, "; ".join(exc.messages)[:200]) from None


def _web_address(value: str, where: str, *, key: bool = False) -> str:
    """The URL to store, by the one rule for stored URLs (``weblinks.web_link``: http,
    https or mailto, read as a browser reads it); a profile or website of a person
    (``key``) must also be one every importer would take (``normalize.url``)."""
    if value:
        try:
            if key:
                normalize.url(value)
            return weblinks.web_link(value)
        except InvalidInput as exc:
            raise _Refused(where, exc.message[:200]) from None
    return value


def _rule(check: Callable[[str, str], str], value: str, where: str) -> str:
    try:
        return check(value, "value")
    except InvalidInput as exc:
        raise _Refused(where, exc.message) from None


class _Reader:
    """Reads the document's records with their JSON paths, checking every value."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def table(self, name: str, *, optional: bool = False) -> list[tuple[str, dict[str, Any]]]:
        """The records of a table, each with its path ("people[3]")."""
        if optional and name not in self.document:
            return []
        items = self.document.get(name)
        if not isinstance(items, list):
            raise _Refused(name, "is missing or not a list")
        rows = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise _Refused(f"{name}[{index}]", "is not an object")
            rows.append((f"{name}[{index}]", item))
        return rows

    @staticmethod
    def list_of(item: dict[str, Any], name: str, where: str) -> list[tuple[str, Any]]:
        values = _need(item, name, where)
        if not isinstance(values, list):
            raise _Refused(_at(where, name), "must be a list")
        return [(f"{_at(where, name)}[{index}]", value) for index, value in enumerate(values)]

    @staticmethod
    def fields(
        model: type[models.Model], item: dict[str, Any], names: list[str], where: str
    ) -> dict[str, Any]:
        """Every field an export writes is required: a missing one is refused by name."""
        return {
            name: _clean(model, name, _need(item, name, where), f"{where}.{name}") for name in names
        }


def _at(where: str, name: str) -> str:
    """The JSON path of ``name`` inside ``where`` ("" is the document itself)."""
    return f"{where}.{name}" if where else name


def _need(item: dict[str, Any], name: str, where: str) -> Any:
    if name not in item:
        raise _Refused(_at(where, name), "is missing")
    return item[name]


def _ref(refs: Mapping[Any, T], item: dict[str, Any], name: str, where: str) -> T | None:
    """The record ``item[name]`` refers to by its local id (None when null)."""
    key = _need(item, name, where)
    return _pick(refs, key, f"{where}.{name}") if key is not None else None


def _pick(refs: Mapping[Any, T], key: Any, where: str) -> T:
    try:
        return refs[key]
    except (KeyError, TypeError):
        raise _Refused(where, f"refers to {_shown(key)}, which the file does not hold") from None


@transaction.atomic
def restore(
    network: Network, actor: User, document: dict[str, Any], path: str, *, dry_run: bool = False
) -> RestoreSummary:
    """Restore ``document`` into the empty ``network``, all or nothing. Every value is checked
    as any import checks it (names, lengths, URLs, contact point kinds, every choice): the
    first bad one refuses the file with its JSON path ("people[3].contact_points[0].kind").
    ``dry_run``: the same checks, then everything is rolled back."""
    access.require_write(actor, network)
    if (
        Person.objects.filter(network=network, is_self=False).exists()
        or network.interactions.exists()
    ):
        raise ImportFileError(
            path,
            "a Kithkin export is restored into an empty network: "
            "make one with `kith network new NAME` and switch to it",
        )
    try:
        with transaction.atomic():
            summary = _restore(network, actor, _Reader(document))
            if dry_run:
                transaction.set_rollback(True)
    except _Refused as exc:
        network.refresh_from_db()
        raise ImportFileError(path, str(exc)) from None
    except (IntegrityError, DataError) as exc:
        network.refresh_from_db()
        raise ImportFileError(path, f"the database refused it: {exc}") from None
    if dry_run:
        network.refresh_from_db()
    return summary


def _restore(network: Network, actor: User, reader: _Reader) -> RestoreSummary:
    document = reader.document
    settings = _need(document, "network", "")
    if not isinstance(settings, dict):
        raise _Refused("network", "is not an object")
    for name in NETWORK_FIELDS:
        if name in settings:  # version 1 had the first three only
            setattr(network, name, _clean(Network, name, settings[name], f"network.{name}"))
    if not is_time_zone(network.time_zone):
        raise _Refused("network.time_zone", f"{_shown(network.time_zone)} is not a time zone")
    network.phone_region = _rule(normalize.region, network.phone_region, "network.phone_region")
    network.save()
    Circle.objects.filter(network=network).delete()
    circles: dict[str, Circle] = {}
    for where, item in reader.table("circles"):
        values = reader.fields(Circle, item, ["name", "rank", "cadence_days"], where)
        circles[values["name"]] = Circle.objects.create(network=network, **values)
    tags: dict[str, Tag] = {}  # by tag_key: one tag per name, whatever its case or accents
    for where, name in reader.list_of(document, "tags", ""):
        cleaned = _rule(tag_name, name if isinstance(name, str) else "", where)
        if tag_key(cleaned) not in tags:
            tags[tag_key(cleaned)] = Tag.objects.create(network=network, name=cleaned)

    def tagged(item: dict[str, Any], where: str) -> list[Tag]:
        return [
            _pick(tags, tag_key(name) if isinstance(name, str) else name, at)
            for at, name in reader.list_of(item, "tags", where)
        ]

    orgs: dict[int, Organization] = {}
    for where, item in reader.table("organizations"):
        values = reader.fields(
            Organization, item, ["name", "kind", "website", "notes", "created_at"], where
        )
        values["name"] = _rule(organization_name, values["name"], f"{where}.name")
        values["website"] = _web_address(values["website"], f"{where}.website")
        org = Organization.objects.create(network=network, **values)
        org.tags.set(tagged(item, where))
        orgs[_need(item, "id", where)] = org
    people = _restore_people(network, reader, circles, orgs, tagged)
    Relationship.objects.bulk_create(
        Relationship(
            network=network,
            from_person=_pick(people, _need(r, "from", where), f"{where}.from"),
            to_person=_pick(people, _need(r, "to", where), f"{where}.to"),
            **reader.fields(Relationship, r, ["kind", "note"], where),
        )
        for where, r in reader.table("relationships")
    )
    events, mentorships, milestones = _restore_before_interactions(
        network, reader, people, orgs, tagged
    )
    interactions: dict[int, Interaction] = {}
    for where, item in reader.table("interactions"):
        values = reader.fields(Interaction, item, INTERACTION_FIELDS, where)
        for name in ("questions_answered_at", "occasion"):  # absent from version 1
            if name in item:
                values[name] = _clean(Interaction, name, item[name], f"{where}.{name}")
        interaction = Interaction.objects.create(
            network=network,
            created_by=actor,
            event=_ref(events, item, "event", where) if "event" in item else None,
            mentorship=_ref(mentorships, item, "mentorship", where)
            if "mentorship" in item
            else None,
            milestone=_ref(milestones, item, "milestone", where) if "milestone" in item else None,
            **values,
        )
        InteractionParticipant.objects.bulk_create(
            InteractionParticipant(interaction=interaction, person=_pick(people, ref, at))
            for at, ref in reader.list_of(item, "participants", where)
        )
        interactions[_need(item, "id", where)] = interaction
    follow_ups = reader.table("follow_ups")
    for where, item in follow_ups:
        follow_up = FollowUp.objects.create(
            network=network,
            created_by=actor,
            interaction=_ref(interactions, item, "interaction", where),
            **reader.fields(
                FollowUp,
                item,
                ["title", "due_on", "recurrence", "done_at", "draft", "created_at"],
                where,
            ),
        )
        follow_up.people.set(
            [_pick(people, ref, at) for at, ref in reader.list_of(item, "people", where)]
        )
    _restore_after_interactions(network, actor, reader, people, orgs, tagged, interactions)
    changes.record(
        network,
        "import.applied",
        actor=actor,
        person_ids=[person.pk for person in people.values()],
        data={
            "format": "kithkin-json",
            "created": len(people),
            "interactions": len(interactions),
            "follow_ups": len(follow_ups),
        },
        known=Known(everyone=True),  # restored into an empty network: everyone is new
    )
    return RestoreSummary(len(people), len(interactions), len(follow_ups))


INTERACTION_FIELDS = ["kind", "occurred_at", "direction", "summary", "learned"]
INTERACTION_FIELDS += ["next_questions", "source", "external_id", "created_at"]
AFFILIATION_FIELDS = ["kind", "title", "start_on", "end_on", "renews_on", "created_at"]
# What a contact point holds: the document's key and the column.
POINT_FIELDS = {"kind": "kind", "service": "service", "label": "label", "value": "value"}
POINT_FIELDS |= {"normalized": "normalized", "primary": "is_primary"}


def _restore_people(
    network: Network,
    reader: _Reader,
    circles: dict[str, Circle],
    orgs: dict[int, Organization],
    tagged: Callable[[dict[str, Any], str], list[Tag]],
) -> dict[int, Person]:
    """People with their contact points and affiliations; *me* is the network's own."""
    people: dict[int, Person] = {}
    photos: list[tuple[int, PhotoImage, str]] = []
    me = Person.objects.get(network=network, is_self=True)
    rows = reader.table("people")
    for where, item in rows:
        values = reader.fields(Person, item, PERSON_FIELDS, where)
        values["full_name"] = _rule(person_name, values["full_name"], f"{where}.full_name")
        if values["time_zone"] and not is_time_zone(values["time_zone"]):
            raise _Refused(
                f"{where}.time_zone", f"{_shown(values['time_zone'])} is not a time zone"
            )
        circle = _need(item, "circle", where)
        values["circle"] = _pick(circles, circle, f"{where}.circle") if circle else None
        if _need(item, "is_self", where) is True:
            for name, value in values.items():
                setattr(me, name, value)
            me.save()
            person = me
        else:
            person = Person.objects.create(network=network, **values)
        person.tags.set(tagged(item, where))
        ContactPoint.objects.bulk_create(
            _contact_point(reader, person, point, at)
            for at, point in reader.list_of(item, "contact_points", where)
        )
        for at, job in reader.list_of(item, "affiliations", where):
            if not isinstance(job, dict):
                raise _Refused(at, "is not an object")
            Affiliation.objects.create(
                person=person,
                organization=_pick(orgs, _need(job, "organization", at), f"{at}.organization"),
                **reader.fields(Affiliation, job, AFFILIATION_FIELDS, at),
            )
        people[_need(item, "id", where)] = person
        if item.get("photo") is not None:
            photos.append((person.pk, _photo(item["photo"], f"{where}.photo"), "kithkin-json"))
    write_photos(photos, now=clock.now())
    for where, item in rows:
        introducer = _ref(people, item, "introduced_by", where)
        if introducer is not None:
            Person.objects.filter(pk=people[item["id"]].pk).update(introduced_by=introducer)
    return people


def _photo(value: Any, where: str) -> PhotoImage:
    """A person's photo: base64 of an image, re-encoded as every photo from outside is."""
    if not isinstance(value, str):
        raise _Refused(where, f"must be base64 text, not {_shown(value)}")
    try:
        return reencode(decode_base64(value))
    except PhotoError as exc:
        raise _Refused(where, str(exc)) from None


def _contact_point(reader: _Reader, person: Person, point: Any, where: str) -> ContactPoint:
    if not isinstance(point, dict):
        raise _Refused(where, "is not an object")
    values = {
        column: _clean(ContactPoint, column, _need(point, key, where), f"{where}.{key}")
        for key, column in POINT_FIELDS.items()
    }
    if values["kind"] in {ContactPoint.Kind.URL, ContactPoint.Kind.SOCIAL}:
        values["value"] = _web_address(values["value"], f"{where}.value", key=True)
    return ContactPoint(person=person, **values)


def _restore_before_interactions(
    network: Network,
    reader: _Reader,
    people: dict[int, Person],
    orgs: dict[int, Organization],
    tagged: Callable[[dict[str, Any], str], list[Tag]],
) -> tuple[dict[int, Event], dict[int, Mentorship], dict[int, Milestone]]:
    """Events (with who I met there), mentorships and milestones: what interactions
    point at. Absent from version 1 files."""
    events: dict[int, Event] = {}
    for where, item in reader.table("events", optional=True):
        values = reader.fields(Event, item, EVENT_FIELDS, where)
        values["url"] = _web_address(values["url"], f"{where}.url")
        event = Event.objects.create(
            network=network, organizer=_ref(orgs, item, "organizer", where), **values
        )
        event.tags.set(tagged(item, where))
        events[_need(item, "id", where)] = event
    Attendance.objects.bulk_create(
        Attendance(
            event=_pick(events, _need(a, "event", where), f"{where}.event"),
            person=_pick(people, _need(a, "person", where), f"{where}.person"),
            **reader.fields(Attendance, a, ["note", "created_at"], where),
        )
        for where, a in reader.table("attendances", optional=True)
    )
    mentorships = {
        _need(item, "id", where): Mentorship.objects.create(
            network=network,
            mentor=_pick(people, _need(item, "mentor", where), f"{where}.mentor"),
            mentee=_pick(people, _need(item, "mentee", where), f"{where}.mentee"),
            **reader.fields(Mentorship, item, MENTORSHIP_FIELDS, where),
        )
        for where, item in reader.table("mentorships", optional=True)
    }
    milestones = {
        _need(item, "id", where): Milestone.objects.create(
            network=network,
            person=_pick(people, _need(item, "person", where), f"{where}.person"),
            **reader.fields(Milestone, item, MILESTONE_FIELDS, where),
        )
        for where, item in reader.table("milestones", optional=True)
    }
    return events, mentorships, milestones


def _restore_after_interactions(
    network: Network,
    actor: User,
    reader: _Reader,
    people: dict[int, Person],
    orgs: dict[int, Organization],
    tagged: Callable[[dict[str, Any], str], list[Tag]],
    interactions: dict[int, Interaction],
) -> None:
    """Message templates, the value ledger and opportunities with their shares."""
    MessageTemplate.objects.bulk_create(
        MessageTemplate(network=network, **reader.fields(MessageTemplate, t, TEMPLATE_FIELDS, w))
        for w, t in reader.table("message_templates", optional=True)
    )
    ValueExchange.objects.bulk_create(
        ValueExchange(
            network=network,
            created_by=actor,
            giver=_pick(people, _need(v, "giver", w), f"{w}.giver"),
            receiver=_pick(people, _need(v, "receiver", w), f"{w}.receiver"),
            introduced_to=_ref(people, v, "introduced_to", w),
            interaction=_ref(interactions, v, "interaction", w),
            thanked_in=_ref(interactions, v, "thanked_in", w),
            **reader.fields(ValueExchange, v, EXCHANGE_FIELDS, w),
        )
        for w, v in reader.table("value_exchanges", optional=True)
    )
    opportunities: dict[int, Opportunity] = {}
    for where, item in reader.table("opportunities", optional=True):
        values = reader.fields(Opportunity, item, OPPORTUNITY_FIELDS, where)
        values["url"] = _web_address(values["url"], f"{where}.url")
        opportunity = Opportunity.objects.create(
            network=network,
            organization=_ref(orgs, item, "organization", where),
            source=_ref(people, item, "source", where),
            **values,
        )
        opportunity.tags.set(tagged(item, where))
        opportunities[_need(item, "id", where)] = opportunity
    OpportunityShare.objects.bulk_create(
        OpportunityShare(
            opportunity=_pick(opportunities, _need(sh, "opportunity", w), f"{w}.opportunity"),
            person=_pick(people, _need(sh, "person", w), f"{w}.person"),
            interaction=_ref(interactions, sh, "interaction", w),
            **reader.fields(OpportunityShare, sh, SHARE_FIELDS, w),
        )
        for w, sh in reader.table("opportunity_shares", optional=True)
    )
