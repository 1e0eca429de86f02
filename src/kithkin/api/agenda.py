"""The reads that make Kithkin Kithkin: the agenda of any day, search, and the prep brief
before meeting someone — the same queries and shapes as `kith today|search|brief --json`."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Query, Router

from kithkin import access
from kithkin.api.auth import grant
from kithkin.api.paging import queried
from kithkin.api.people import today_of
from kithkin.api.responses import reading
from kithkin.queries.agenda import agenda as agenda_of
from kithkin.queries.brief import prep_brief
from kithkin.queries.plan import plan
from kithkin.queries.search import search as search_for
from kithkin.schemas.agenda import AgendaOut
from kithkin.schemas.brief import BriefOut
from kithkin.schemas.search import SearchOut

router = Router(tags=["agenda"])


@router.get("/agenda", response=queried(AgendaOut), summary="The agenda of a day")
def agenda(
    request: HttpRequest,
    network_id: Path[int],
    date: dt.date | None = Query(None, description="YYYY-MM-DD; default: the caller's today."),
) -> AgendaOut:
    """Today's plan, follow-ups due, check-ins within the day's budget, what comes next
    (`kith today --json`)."""
    found = grant(request)
    result = agenda_of(found.network, date or today_of(found))
    return AgendaOut.of(result, plan(result), found.network.name)


@router.get("/search", response=queried(SearchOut), summary="Search")
def search(
    request: HttpRequest,
    network_id: Path[int],
    q: str = Query("", description="Names, organizations, emails, tags, notes."),
    limit: int = Query(25, ge=1, le=500, description="At most this many people."),
) -> SearchOut:
    """People by name, organization, email, tag, notes and conversations, best first, and
    the organizations named (`kith search --json`)."""
    found = grant(request)
    return SearchOut.of(search_for(found.network, q, limit=limit), found.network.time_zone)


@router.get("/people/{int:person_id}/brief", response=reading(BriefOut), summary="A prep brief")
def brief(request: HttpRequest, network_id: Path[int], person_id: int) -> BriefOut:
    """What to remember before meeting them, on one screen (`kith brief --json`)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    return BriefOut.of(prep_brief(found.network, person, today_of(found)))
