"""Interactions as lists: a network's, or one person's, each with everyone who took part."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from kithkin import clock
from kithkin.models import Interaction, InteractionParticipant, Network, Person


def _midnight(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=clock.zone(zone))


def interactions_listed(
    network: Network,
    *,
    person: Person | None = None,
    kind: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Interaction]:
    """Unordered (the caller pages it), participants prefetched. ``since``/``until`` are
    days in the network's time zone, both included. A person's are read through the
    participant table first: walking the network's by date to find them read hundreds of
    thousands of rows on PostgreSQL."""
    rows = Interaction.objects.filter(network=network).prefetch_related("participants")
    if person is not None:
        rows = rows.filter(
            pk__in=InteractionParticipant.objects.filter(person=person).values("interaction_id")
        )
    if kind is not None:
        rows = rows.filter(kind=kind)
    zone = network.time_zone
    if since is not None:
        rows = rows.filter(occurred_at__gte=_midnight(since, zone))
    if until is not None:
        rows = rows.filter(occurred_at__lt=_midnight(until + dt.timedelta(days=1), zone))
    return rows
