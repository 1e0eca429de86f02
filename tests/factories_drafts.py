"""Factories for drafts and the prep brief: events I attended, ties between people."""

from __future__ import annotations

import datetime as dt

from kithkin.models import Attendance, Event, Network, Person, Relationship


def me_of(network: Network) -> Person:
    return Person.objects.get(network=network, is_self=True)


def met_at(
    network: Network,
    person: Person,
    name: str = "PyCon 2026",
    *,
    on: dt.date = dt.date(2026, 2, 14),
    status: str = Event.Status.ATTENDED,
) -> Event:
    event, _ = Event.objects.get_or_create(
        network=network, name=name, starts_on=on, defaults={"status": status}
    )
    Attendance.objects.get_or_create(event=event, person=person)
    return event


def relate(network: Network, a: Person, b: Person, kind: str = "colleague") -> Relationship:
    return Relationship.objects.create(network=network, from_person=a, to_person=b, kind=kind)
