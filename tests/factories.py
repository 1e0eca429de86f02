"""Factories with keyword defaults: each builds through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kithkin import clock
from kithkin.dates import Every
from kithkin.models import FollowUp, Interaction, Membership, Network, Person, User
from kithkin.services.accounts import create_user
from kithkin.services.followups import add_follow_up
from kithkin.services.interactions import log_interaction
from kithkin.services.people import NewPerson, add_person

__all__ = ["Network", "Person", "User"]


def make_user(
    username: str = "owner", *, full_name: str = "Olive Owner", time_zone: str = "Europe/Paris"
) -> User:
    return create_user(
        username=username, full_name=full_name, time_zone=time_zone, email=f"{username}@example.org"
    )


def network_of(user: User) -> Network:
    assert user.current_network is not None
    return user.current_network


def owner_of(network: Network) -> User:
    return (
        Membership.objects.filter(network=network, role="owner").select_related("user").first().user
    )  # type: ignore[union-attr]


def make_member(network: Network, username: str, *, role: str = "editor") -> User:
    user = make_user(username, full_name=f"{username.title()} Member")
    Membership.objects.create(user=user, network=network, role=role)
    return user


def make_person(
    network: Network, full_name: str = "Ada Lovelace", *, by: User | None = None, **fields: Any
) -> Person:
    return add_person(network, by or owner_of(network), NewPerson(full_name=full_name, **fields))


def log(
    network: Network,
    people: Person | Sequence[Person],
    *,
    on: dt.date,
    kind: str = "call",
    by: User | None = None,
    **fields: Any,
) -> Interaction:
    participants = [people] if isinstance(people, Person) else list(people)
    return log_interaction(
        network,
        by or owner_of(network),
        kind=kind,
        people=participants,
        occurred_at=clock.local_noon(on, network.time_zone),
        **fields,
    )


def linkedin_message(
    network: Network, person: Person, *, on: dt.date, direction: str, invitation: bool = False
) -> Interaction:
    """A LinkedIn message with ``person`` (or, with ``invitation``, an invitation to
    connect: it says who reached out first and is no conversation)."""
    kind = "invitation" if invitation else "msg"
    same_day = Interaction.objects.filter(network=network, participants=person).count()
    return log(
        network,
        person,
        on=on,
        kind="message",
        direction=direction,
        source="linkedin",
        external_id=f"{kind}/{person.pk}/{on}/{direction}/{same_day}",
    )


def make_follow_up(
    network: Network,
    people: Person | Sequence[Person],
    title: str = "Send the paper",
    *,
    due_on: dt.date,
    every: Every | None = None,
    by: User | None = None,
) -> FollowUp:
    participants = [people] if isinstance(people, Person) else list(people)
    return add_follow_up(
        network,
        by or owner_of(network),
        people=participants,
        title=title,
        due_on=due_on,
        every=every,
    )
