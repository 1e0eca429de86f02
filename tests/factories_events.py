"""Factories for events and meetings there, with keyword defaults, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kithkin.models import Event, Network, User
from kithkin.services.events import EventFields, Met, add_event, meet_at_event
from tests.conftest import TODAY
from tests.factories import owner_of


def make_event(
    network: Network,
    name: str = "PyCon US 2026",
    *,
    starts_on: dt.date = TODAY - dt.timedelta(days=3),
    ends_on: dt.date | None = None,
    kind: str = "conference",
    status: str = "attended",
    tags: Sequence[str] = (),
    by: User | None = None,
    **fields: Any,
) -> Event:
    return add_event(
        network,
        by or owner_of(network),
        EventFields(
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            kind=kind,
            status=status,
            tags=list(tags),
            **fields,
        ),
    )


def meet(
    network: Network, event: Event, name: str = "Grace Hopper", *, by: User | None = None, **kw: Any
) -> Met:
    return meet_at_event(network, by or owner_of(network), event, name=name, **kw)
