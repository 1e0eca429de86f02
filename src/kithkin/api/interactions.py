"""A network's interactions: the list (newest first; by person, kind, dates), one, and
logging one as `kith log` and the web do. Interactions are not edited or deleted in the
web (`kith undo` takes back the last one logged), so not here either."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from kithkin import access, clock
from kithkin.api import etags, paging
from kithkin.api.auth import grant
from kithkin.api.people import today_of
from kithkin.api.responses import reading, writing
from kithkin.errors import InvalidInput
from kithkin.models import Interaction
from kithkin.queries.interactions import interactions_listed
from kithkin.schemas.base import Page
from kithkin.schemas.interactions import InteractionDetailOut, InteractionIn
from kithkin.services.interactions import log_interaction, occurred_at_on

router = Router(tags=["interactions"])

NEWEST_FIRST = paging.Ordering(
    "newest", (paging.Key("occurred_at", descending=True),), descending_id=True
)


@router.get(
    "/interactions",
    response=paging.queried(Page[InteractionDetailOut]),
    summary="List interactions",
)
def list_all(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    person: int | None = Query(None, description="Only those this person (an id) took part in."),
    kind: Interaction.Kind | None = Query(None, description="meeting, call, email..."),
    since: dt.date | None = Query(None, description="From this day on (the network's days)."),
    until: dt.date | None = Query(None, description="Up to and including this day."),
    cursor: paging.Cursor = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
) -> Page[InteractionDetailOut]:
    """Newest first, each with everyone who took part."""
    found = grant(request)
    network, zone = found.network, found.network.time_zone
    who = access.person_for(found.actor.user, network, person) if person is not None else None
    rows = interactions_listed(network, person=who, kind=kind, since=since, until=until)
    interactions, following = paging.page_of(rows, NEWEST_FIRST, cursor, limit)
    items = [InteractionDetailOut.of_interaction(item, zone) for item in interactions]
    return paging.page(request, response, items, following)


def _one(found: access.Grant, interaction_id: int) -> InteractionDetailOut:
    interaction = access.interaction_for(found.actor.user, found.network, interaction_id)
    loaded = Interaction.objects.prefetch_related("participants").get(pk=interaction.pk)
    return InteractionDetailOut.of_interaction(loaded, found.network.time_zone)


@router.get(
    "/interactions/{int:interaction_id}",
    response=reading(InteractionDetailOut),
    summary="An interaction",
)
def get_one(
    request: HttpRequest, network_id: Path[int], interaction_id: int, response: HttpResponse
) -> InteractionDetailOut:
    return etags.tagged(response, _one(grant(request), interaction_id))


@router.post(
    "/interactions", response=writing(InteractionDetailOut, 201), summary="Log an interaction"
)
def log(
    request: HttpRequest, network_id: Path[int], new: InteractionIn, response: HttpResponse
) -> Status[InteractionDetailOut]:
    """As `kith log`: it resets the check-in of everyone in it and counts the questions
    noted for them as asked."""
    found = grant(request)
    user, network, today = found.actor.user, found.network, today_of(found)
    if new.on is not None and new.occurred_at is not None:
        raise InvalidInput("on", "give either on (a day) or occurred_at (an instant)")
    if new.occurred_at is not None:
        zone = user.time_zone or network.time_zone
        occurred_at_on(clock.local_date(new.occurred_at, zone), today=today, time_zone=zone)
        when = new.occurred_at
    else:
        when = occurred_at_on(new.on, today=today, time_zone=user.time_zone or network.time_zone)
    people = [access.person_for(user, network, pk) for pk in dict.fromkeys(new.people)]
    interaction = log_interaction(
        network,
        user,
        kind=new.kind,
        people=people,
        occurred_at=when,
        summary=new.summary,
        learned=new.learned,
        next_questions=new.next_questions,
        direction=new.direction,
    )
    return Status(201, etags.tagged(response, _one(found, interaction.pk)))
