"""The list of people, filtered and ordered; one page at a time, constant query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch

from kithkin.models import Affiliation, Network, Person
from kithkin.queries.checkins import CheckInStatus, check_in_status


@dataclass(frozen=True)
class PersonRow:
    person: Person
    status: CheckInStatus


def list_people(
    network: Network,
    today: dt.date,
    *,
    circle: str | None = None,
    tag: str | None = None,
    due_only: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[PersonRow]:
    people = Person.objects.filter(network=network, archived_at__isnull=True, is_self=False)
    if circle:
        people = people.filter(circle__name__iexact=circle)
    if tag:
        people = people.filter(tags__name__iexact=tag.lstrip("#"))
    if due_only:
        people = people.filter(check_in_due_on__lte=today).order_by(
            F("check_in_due_on").asc(), "full_name"
        )
    else:
        people = people.order_by("full_name", "pk")
    page = people.select_related("circle").prefetch_related(
        Prefetch("affiliations", Affiliation.objects.select_related("organization"))
    )[offset : offset + limit]
    return [PersonRow(p, check_in_status(p, today, network.time_zone)) for p in page]
