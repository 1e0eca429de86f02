"""Ledger factories with keyword defaults: each builds through the real services."""

from __future__ import annotations

import datetime as dt

from kithkin.models import Network, Person, User, ValueExchange
from kithkin.services import ledger
from tests.conftest import TODAY
from tests.factories import owner_of


def me(network: Network) -> Person:
    return Person.objects.get(network=network, is_self=True)


def gave(
    network: Network,
    person: Person,
    kind: str = "advice",
    description: str = "Reviewed her talk",
    *,
    on: dt.date = TODAY,
    weight: int = 2,
    by: User | None = None,
) -> ValueExchange:
    """I gave ``person`` something."""
    return ledger.give(
        network,
        by or owner_of(network),
        person,
        kind,
        description,
        on=on,
        weight=weight,
        today=TODAY,
    )


def received(
    network: Network,
    person: Person,
    kind: str = "referral",
    description: str = "Introduced me to the hiring manager",
    *,
    on: dt.date = TODAY,
    weight: int = 2,
    by: User | None = None,
) -> ValueExchange:
    """``person`` gave me something."""
    return ledger.got(
        network,
        by or owner_of(network),
        person,
        kind,
        description,
        on=on,
        weight=weight,
        today=TODAY,
    )


def imported(
    network: Network,
    person: Person,
    *,
    on: dt.date,
    kind: str = "endorsement",
    external_id: str = "endorsement/1",
) -> ValueExchange:
    """An endorsement as the LinkedIn import writes it."""
    return ValueExchange.objects.create(
        network=network,
        giver=person,
        receiver=me(network),
        kind=kind,
        description="Python",
        occurred_on=on,
        source="linkedin",
        external_id=external_id,
    )
