"""Mentorship factories with keyword defaults; they build through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kithkin import clock
from kithkin.models import Interaction, Mentorship, Network, Person, User
from kithkin.services.mentorships import add_mentorship, log_session
from tests.conftest import TODAY
from tests.factories import owner_of


def me(network: Network) -> Person:
    return Person.objects.get(network=network, is_self=True)


def make_mentorship(
    network: Network,
    *,
    mentor: Person | None = None,
    mentee: Person | None = None,
    goals: Sequence[str] = ("Learn to lead a team",),
    cadence_days: int | None = 30,
    started_on: dt.date = dt.date(2026, 1, 1),
    by: User | None = None,
) -> Mentorship:
    """``mentor`` mentors ``mentee``; whichever is left out is *me*."""
    return add_mentorship(
        network,
        by or owner_of(network),
        mentor=mentor or me(network),
        mentee=mentee or me(network),
        goals=list(goals),
        cadence_days=cadence_days,
        started_on=started_on,
        today=TODAY,
    )


def make_session(
    network: Network,
    mentorship: Mentorship,
    *,
    on: dt.date,
    note: str = "We talked",
    learned: str = "",
    ask: str = "",
    by: User | None = None,
) -> Interaction:
    return log_session(
        network,
        by or owner_of(network),
        mentorship,
        occurred_at=clock.local_noon(on, network.time_zone),
        note=note,
        learned=learned,
        ask=ask,
    )
