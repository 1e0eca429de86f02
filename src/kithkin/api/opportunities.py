"""Opportunities, their shares and who would want them (``services.opportunities``,
``queries.opportunities``, ``queries.matching``), as the web's board and `kith opp` do.
Dates are shown in the caller's time zone, as `kith opp` shows them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.responses import reading, writing
from kithkin.models import Network, Opportunity, User
from kithkin.queries.matching import match_people
from kithkin.queries.opportunities import board, opportunity_detail
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.opportunities import (
    MatchesOut,
    OpportunityChange,
    OpportunityDetailOut,
    OpportunityIn,
    OpportunityOut,
    ShareChange,
    ShareIn,
    ShareOut,
)
from kithkin.services import opportunities as service

router = Router(tags=["opportunities"])

# The board's order: the soonest deadline first (none last), then the newest.
BOARD = Ordering(
    "board",
    (Key("deadline", nullable=True), Key("created_at", descending=True)),
    descending_id=True,
)


class BoardFilter(Clean):
    status: str = Field(
        default="", description="Only this status: " + ", ".join(Opportunity.Status.values)
    )
    kind: str = Field(
        default="", description="Only this kind: " + ", ".join(Opportunity.Kind.values)
    )
    for_me: bool | None = Field(default=None, description="Only mine (true) or only to share.")
    all: bool = Field(default=False, description="Won, lost and closed ones too.")


class MatchFilter(Clean):
    limit: int = Field(default=10, ge=1, le=100, description="How many people.")


def _detail(network: Network, user: User, item: Opportunity) -> OpportunityDetailOut:
    detail = opportunity_detail(network, item)
    return OpportunityDetailOut.of_detail(
        item, user.time_zone, tags=detail.tags, shares=detail.shares
    )


@router.get("/opportunities", response=queried(Page[OpportunityOut]), summary="The board")
def list_opportunities(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[BoardFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[OpportunityOut]:
    """Active ones (open, shared, pursuing) unless ``all`` or a ``status``; the soonest
    deadline first, then the newest (`kith opp list`)."""
    found = grant(request)
    rows = board(
        found.network,
        status=filters.status,
        kind=filters.kind,
        for_me=filters.for_me,
        show_all=filters.all,
        limit=None,
    )
    items, following = page_of(rows, BOARD, cursor, limit)
    zone = found.actor.user.time_zone
    return page(request, response, [OpportunityOut.of(i, zone) for i in items], following)


@router.post(
    "/opportunities", response=writing(OpportunityDetailOut, 201), summary="Add an opportunity"
)
def add_opportunity(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: OpportunityIn
) -> Status[OpportunityDetailOut]:
    """A job, client, event, speaking slot or grant; ``source`` who brought it (the
    dashboard counts what came through the network)."""
    found = grant(request)
    user = found.actor.user
    source = None if new.source is None else access.person_for(user, found.network, new.source)
    item = service.add_opportunity(found.network, user, new.new_opportunity(source))
    return Status(201, tagged(response, _detail(found.network, user, item)))


@router.get(
    "/opportunities/{int:opportunity_id}",
    response=reading(OpportunityDetailOut),
    summary="One opportunity",
)
def get_opportunity(
    request: HttpRequest, network_id: Path[int], opportunity_id: int, response: HttpResponse
) -> OpportunityDetailOut:
    """With whom it was shared, and what came of it."""
    found = grant(request)
    item = access.opportunity_for(found.actor.user, found.network, opportunity_id)
    return tagged(response, _detail(found.network, found.actor.user, item))


@router.patch(
    "/opportunities/{int:opportunity_id}",
    response=guarded(OpportunityDetailOut),
    summary="Change an opportunity's status",
)
def change_opportunity(
    request: HttpRequest,
    network_id: Path[int],
    opportunity_id: int,
    response: HttpResponse,
    change: OpportunityChange,
) -> OpportunityDetailOut:
    """Honours ``If-Match`` (412 when it changed since it was read)."""
    found = grant(request)
    user = found.actor.user
    item = access.opportunity_for(user, found.network, opportunity_id)
    require(request, lambda: of_shape(_detail(found.network, user, item)))
    service.set_status(found.network, user, item, change.status)
    return tagged(response, _detail(found.network, user, item))


@router.get(
    "/opportunities/{int:opportunity_id}/matches",
    response=queried(MatchesOut),
    summary="Who would want it",
)
def matches(
    request: HttpRequest, network_id: Path[int], opportunity_id: int, filters: Query[MatchFilter]
) -> MatchesOut:
    """Who in the network would most want it, best first, each with the reasons (`kith opp
    match`). Ranked, not paged: ``limit`` bounds it."""
    found = grant(request)
    item = access.opportunity_for(found.actor.user, found.network, opportunity_id)
    return MatchesOut.of(item, match_people(found.network, item, limit=filters.limit))


@router.post(
    "/opportunities/{int:opportunity_id}/shares",
    response=writing(ShareOut, 201),
    summary="Share it with someone",
)
def share(
    request: HttpRequest,
    network_id: Path[int],
    opportunity_id: int,
    response: HttpResponse,
    new: ShareIn,
) -> Status[ShareOut]:
    """Logs an outbound message with them ("Shared: …"); an open opportunity becomes
    shared. Sharing twice with the same person is 422."""
    found = grant(request)
    user = found.actor.user
    item = access.opportunity_for(user, found.network, opportunity_id)
    person = access.person_for(user, found.network, new.person)
    made = service.share_opportunity(found.network, user, item, person, note=new.note)
    return Status(201, tagged(response, ShareOut.of(made, user.time_zone)))


@router.get("/opportunity-shares/{int:share_id}", response=reading(ShareOut), summary="One share")
def get_share(
    request: HttpRequest, network_id: Path[int], share_id: int, response: HttpResponse
) -> ShareOut:
    found = grant(request)
    made = access.opportunity_share_for(found.actor.user, found.network, share_id)
    return tagged(response, ShareOut.of(made, found.actor.user.time_zone))


@router.patch(
    "/opportunity-shares/{int:share_id}",
    response=guarded(ShareOut),
    summary="What a share led to",
)
def change_share(
    request: HttpRequest,
    network_id: Path[int],
    share_id: int,
    response: HttpResponse,
    change: ShareChange,
) -> ShareOut:
    """Honours ``If-Match`` (412 when it changed since it was read)."""
    found = grant(request)
    user = found.actor.user
    made = access.opportunity_share_for(user, found.network, share_id)
    require(request, lambda: of_shape(ShareOut.of(made, user.time_zone)))
    service.set_share_outcome(found.network, user, made, change.outcome)
    return tagged(response, ShareOut.of(made, user.time_zone))
