"""Factories for milestones, birthdays and work anniversaries, through the real services."""

from __future__ import annotations

import datetime as dt

from kithkin.models import Affiliation, Milestone, Network, Person, User
from kithkin.services.affiliations import add_affiliation
from kithkin.services.milestones import add_milestone
from kithkin.services.people import PersonChanges, update_person
from tests.factories import make_person, owner_of


def with_birthday(
    network: Network, person: Person, month: int, day: int, *, year: int | None = None
) -> Person:
    return update_person(
        network, owner_of(network), person, PersonChanges(birthday=(year, month, day))
    )


def born(
    network: Network,
    full_name: str,
    month: int,
    day: int,
    *,
    year: int | None = None,
) -> Person:
    """A new person whose birthday is on record."""
    return with_birthday(network, make_person(network, full_name), month, day, year=year)


def make_job(
    network: Network,
    person: Person,
    organization: str = "Babbage & Co",
    *,
    start_on: dt.date,
    title: str = "Engineer",
    end_on: dt.date | None = None,
) -> Affiliation:
    return add_affiliation(
        network,
        owner_of(network),
        person,
        organization=organization,
        title=title,
        start_on=start_on,
        end_on=end_on,
    )


def make_milestone(
    network: Network,
    person: Person,
    kind: str = "promotion",
    *,
    on: dt.date | tuple[int | None, int, int],
    yearly: bool = False,
    title: str = "",
    note: str = "",
    by: User | None = None,
) -> Milestone:
    date = (on.year, on.month, on.day) if isinstance(on, dt.date) else on
    return add_milestone(
        network,
        by or owner_of(network),
        person=person,
        kind=kind,
        on=date,
        recurs_yearly=yearly,
        title=title,
        note=note,
    )
