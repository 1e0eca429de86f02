"""Events I attend and the people I meet there.

``meet_at_event`` is the practice "follow up after meeting" (DESIGN.md §1): it records who
I met, logs the conversation, and — for someone new, or someone known without an open
follow-up from this event — owes them a follow-up within 48 hours with a draft message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from kithkin import access, clock, weblinks
from kithkin.errors import InvalidInput
from kithkin.models import (
    Attendance,
    Event,
    FollowUp,
    Interaction,
    MessageTemplate,
    Network,
    Person,
    User,
)
from kithkin.services import changes, undo
from kithkin.services.affiliations import get_or_create_organization
from kithkin.services.drafts import DraftContext, render_draft
from kithkin.services.followups import add_follow_up
from kithkin.services.interactions import log_interaction, occurred_at_on
from kithkin.services.known_or_new import NearMatch as NearMatch  # raised by meet_at_event
from kithkin.services.known_or_new import find_or_add_person
from kithkin.services.people import PersonChanges, get_or_create_tags, update_person

FOLLOW_UP_WITHIN_DAYS = 2  # "within 48 hours", on the network's calendar


@dataclass
class EventFields:
    """What a user says about an event. Dates are checked; text is trimmed."""

    name: str
    starts_on: dt.date
    kind: str = Event.Kind.MEETUP
    ends_on: dt.date | None = None
    location: str = ""
    url: str = ""
    organizer: str = ""  # an organization's name, found or created; "" for none
    status: str = Event.Status.INTERESTED
    notes: str = ""  # Markdown
    tags: Sequence[str] = field(default_factory=list)


@dataclass
class Met:
    """What meeting someone at an event did."""

    person: Person
    created: bool  # a new person
    attendance: Attendance
    interaction: Interaction
    follow_up: FollowUp | None  # the open follow-up from this event (new or already there)
    follow_up_created: bool
    how_we_met_set: bool


def _text(value: str, name: str, limit: int | None = None) -> str:
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise InvalidInput(name, f"is longer than {limit} characters")
    return value


def _validated(network: Network, fields: EventFields, event: Event | None) -> dict[str, object]:
    name = " ".join(fields.name.split())
    if not name:
        raise InvalidInput("name", "must not be empty")
    if len(name) > 200:
        raise InvalidInput("name", "is longer than 200 characters")
    if fields.kind not in Event.Kind.values:
        raise InvalidInput("kind", f"{fields.kind!r} is not one of: {', '.join(Event.Kind.values)}")
    if fields.status not in Event.Status.values:
        raise InvalidInput(
            "status", f"{fields.status!r} is not one of: {', '.join(Event.Status.values)}"
        )
    ends_on = fields.ends_on if fields.ends_on != fields.starts_on else None
    if ends_on is not None and ends_on < fields.starts_on:
        raise InvalidInput(
            "end",
            f"{ends_on.isoformat()} is before the start ({fields.starts_on.isoformat()})",
        )
    url = weblinks.web_link(fields.url, "url")
    same = Event.objects.filter(network=network, name__iexact=name, starts_on=fields.starts_on)
    if event is not None:
        same = same.exclude(pk=event.pk)
    if same.exists():
        raise InvalidInput(
            "name", f"there is already an event called {name!r} on {fields.starts_on.isoformat()}"
        )
    organizer = " ".join(fields.organizer.split())
    if len(organizer) > 200:
        raise InvalidInput("organizer", "is longer than 200 characters")
    return {
        "name": name,
        "kind": fields.kind,
        "starts_on": fields.starts_on,
        "ends_on": ends_on,
        "location": _text(fields.location, "location", 200),
        "url": url,
        "status": fields.status,
        "notes": fields.notes.strip(),
        "organizer": organizer,
    }


@transaction.atomic
def add_event(network: Network, actor: User, fields: EventFields) -> Event:
    access.require_write(actor, network)
    values = _validated(network, fields, None)
    tags = get_or_create_tags(network, fields.tags) if fields.tags else []
    organizer = str(values.pop("organizer"))
    event = Event.objects.create(
        network=network,
        organizer=get_or_create_organization(network, organizer) if organizer else None,
        **values,
    )
    if tags:
        event.tags.set(tags)
    changes.record(network, "event.created", actor=actor, record_id=event.pk)
    return event


@transaction.atomic
def update_event(network: Network, actor: User, event: Event, fields: EventFields) -> Event:
    """Replace what is known about the event with ``fields`` (tags too)."""
    access.require_write(actor, network)
    if event.network_id != network.pk:
        raise InvalidInput("event", "that event is not in this network")
    values = _validated(network, fields, event)
    tags = get_or_create_tags(network, fields.tags) if fields.tags else []
    organizer = str(values.pop("organizer"))
    for name, value in values.items():
        setattr(event, name, value)
    event.organizer = get_or_create_organization(network, organizer) if organizer else None
    event.save()
    event.tags.set(tags)
    changes.record(
        network,
        "event.updated",
        actor=actor,
        record_id=event.pk,
        data={"fields": [*values, "organizer", "tags"]},
    )
    return event


def _me(network: Network) -> Person | None:
    return Person.objects.filter(network=network, is_self=True).first()


def follow_up_draft(network: Network, event: Event, person: Person, note: str) -> str:
    """The follow-up message for someone met at ``event``: a "Subject:" line, a blank line,
    the body (as ``drafts.draft_for_follow_up`` reads a stored draft)."""
    draft = render_draft(
        network,
        MessageTemplate.Kind.FOLLOW_UP,
        DraftContext(person=person, me=_me(network), event=event.name, last_topic=note),
    )
    return f"Subject: {draft.subject}\n\n{draft.body}"


def open_follow_up_from(network: Network, event: Event, person: Person) -> FollowUp | None:
    """The open follow-up owed to ``person`` that came from meeting them at ``event``."""
    return (
        FollowUp.objects.filter(
            network=network, people=person, done_at__isnull=True, interaction__event=event
        )
        .order_by("due_on", "id")
        .first()
    )


def _owe_follow_up(
    network: Network,
    actor: User,
    event: Event,
    person: Person,
    *,
    note: str,
    interaction: Interaction | None,
) -> FollowUp:
    today = clock.today_in(network.time_zone)
    return add_follow_up(
        network,
        actor,
        people=[person],
        title=f"Follow up with {person.full_name} after {event.name}",
        due_on=today + dt.timedelta(days=FOLLOW_UP_WITHIN_DAYS),
        interaction=interaction,
        draft=follow_up_draft(network, event, person, note),
    )


@transaction.atomic
def meet_at_event(
    network: Network,
    actor: User,
    event: Event,
    *,
    person: Person | None = None,
    name: str = "",
    note: str = "",
    email: str = "",
    organization: str = "",
    on: dt.date | None = None,
    new: bool = False,
) -> Met:
    """Record that I met someone at ``event``: ``person`` (someone known, as chosen), or
    ``name`` (found by email or exact name; else added, unless the name is close to
    people already known: NearMatch, unless ``new``).

    Records the attendance and its note, logs an event conversation linked to the event
    (on ``on``; by default today, or the event's last day once it is over), sets how we
    met if it is empty, and owes them a follow-up due within 48 hours with a draft — for
    someone already known, only if no follow-up from this event is open for them.
    ``email`` and ``organization`` describe someone new.
    """
    access.require_write(actor, network)
    if event.network_id != network.pk:
        raise InvalidInput("event", "that event is not in this network")
    if person is None and not name.strip():
        raise InvalidInput("name", "say who you met")
    note = note.strip()
    today = clock.today_in(network.time_zone)
    day = on if on is not None else min(today, event.last_day)
    occurred_at = occurred_at_on(day, today=today, time_zone=network.time_zone)
    how_we_met = f"Met at {event.name}"
    created = False
    if person is None:
        person, created = find_or_add_person(
            network,
            actor,
            name=name,
            email=email,
            organization=organization,
            new=new,
            how_we_met=how_we_met,
            connected_on=day,
        )
    else:
        access.require_in_network(network, person)
    if person.is_self:
        raise InvalidInput("name", "that is you; say who you met")
    how_we_met_set = created
    if not created and not person.how_we_met.strip():
        person = update_person(network, actor, person, PersonChanges(how_we_met=how_we_met))
        how_we_met_set = True
    attendance, new_attendance = Attendance.objects.get_or_create(
        event=event, person=person, defaults={"note": note}
    )
    noted = not new_attendance and note and note not in attendance.note
    if noted:
        attendance.note = f"{attendance.note}\n{note}".strip()
        attendance.save(update_fields=["note"])
    if new_attendance or noted:
        changes.record(
            network,
            "event.attended",
            actor=actor,
            record_id=event.pk,
            person_ids=[person.pk],
            data={"attendance_id": attendance.pk, "new": new_attendance},
        )
    with undo.unrecorded():  # meeting someone adds an attendance and a follow-up too
        interaction = log_interaction(
            network,
            actor,
            kind=Interaction.Kind.EVENT,
            people=[person],
            occurred_at=occurred_at,
            summary=note or how_we_met,
            event=event,
        )
    follow_up = None if created else open_follow_up_from(network, event, person)
    follow_up_created = follow_up is None
    if follow_up is None:
        follow_up = _owe_follow_up(
            network, actor, event, person, note=note, interaction=interaction
        )
    return Met(
        person=person,
        created=created,
        attendance=attendance,
        interaction=interaction,
        follow_up=follow_up,
        follow_up_created=follow_up_created,
        how_we_met_set=how_we_met_set,
    )


@transaction.atomic
def follow_up_after_meeting(
    network: Network, actor: User, event: Event, person: Person
) -> tuple[FollowUp, bool]:
    """Owe ``person``, met at ``event``, a follow-up within 48 hours with a draft (the
    agenda's "met" button). Returns it and whether it is new: an open one from this event
    is returned as it is."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if event.network_id != network.pk:
        raise InvalidInput("event", "that event is not in this network")
    existing = open_follow_up_from(network, event, person)
    if existing is not None:
        return existing, False
    interaction = (
        Interaction.objects.filter(network=network, event=event, participants=person)
        .order_by("-occurred_at", "-id")
        .first()
    )
    attendance = Attendance.objects.filter(event=event, person=person).first()
    if interaction is None and attendance is None:
        raise InvalidInput("person", f"{person.full_name} is not someone you met at {event.name}")
    note = attendance.note if attendance and attendance.note else ""
    if not note and interaction is not None and interaction.summary != f"Met at {event.name}":
        note = interaction.summary
    follow_up = _owe_follow_up(network, actor, event, person, note=note, interaction=interaction)
    return follow_up, True
