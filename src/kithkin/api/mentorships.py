"""Mentorships and their sessions (``services.mentorships``, ``queries.mentorships``), as
the web's Mentorships pages and `kith mentor|mentee` do: added, paused, resumed or ended
(never deleted), goals added, sessions logged."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access, clock
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.responses import reading, writing
from kithkin.models import Mentorship, Network, User
from kithkin.queries.mentorships import mentorship_detail, mentorships_of, summary_of
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.interactions import InteractionOut
from kithkin.schemas.mentorships import (
    GoalIn,
    MentorshipChange,
    MentorshipDetailOut,
    MentorshipIn,
    MentorshipOut,
    SessionIn,
)
from kithkin.services import mentorships as service
from kithkin.services.interactions import occurred_at_on

router = Router(tags=["mentorships"])

NEWEST = Ordering("started", (Key("started_on", descending=True),), descending_id=True)


class MentorshipFilter(Clean):
    all: bool = Field(default=False, description="Ended mentorships too.")


def _detail(network: Network, user: User, mentorship: Mentorship) -> MentorshipDetailOut:
    today = clock.today_in(user.time_zone)
    return MentorshipDetailOut.of_detail(
        mentorship_detail(network, mentorship), today, user.time_zone
    )


@router.get("/mentorships", response=queried(Page[MentorshipOut]), summary="Mentorships")
def list_mentorships(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[MentorshipFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[MentorshipOut]:
    """Who mentors me and whom I mentor, the newest first, each with its sessions counted
    and when the next is due (`kith mentor list [--all]`)."""
    found = grant(request)
    today = clock.today_in(found.actor.user.time_zone)
    rows = mentorships_of(found.network, include_ended=filters.all)
    items, following = page_of(rows, NEWEST, cursor, limit)
    zone = found.network.time_zone
    return page(
        request, response, [MentorshipOut.of(summary_of(m, zone), today) for m in items], following
    )


@router.post("/mentorships", response=writing(MentorshipDetailOut, 201), summary="Add a mentorship")
def add_mentorship(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: MentorshipIn
) -> Status[MentorshipDetailOut]:
    """``mentor`` mentors ``mentee`` (person ids; one of them may be me) from
    ``started_on`` (default today); 422 when the two already have one open."""
    found = grant(request)
    user = found.actor.user
    today = clock.today_in(user.time_zone)
    made = service.add_mentorship(
        found.network,
        user,
        mentor=access.person_for(user, found.network, new.mentor),
        mentee=access.person_for(user, found.network, new.mentee),
        goals=new.goals,
        cadence_days=new.cadence_days,
        started_on=new.started_on or today,
        today=today,
    )
    return Status(201, tagged(response, _detail(found.network, user, made)))


@router.get(
    "/mentorships/{int:mentorship_id}",
    response=reading(MentorshipDetailOut),
    summary="One mentorship",
)
def get_mentorship(
    request: HttpRequest, network_id: Path[int], mentorship_id: int, response: HttpResponse
) -> MentorshipDetailOut:
    """With its sessions, newest first."""
    found = grant(request)
    mentorship = access.mentorship_for(found.actor.user, found.network, mentorship_id)
    return tagged(response, _detail(found.network, found.actor.user, mentorship))


@router.patch(
    "/mentorships/{int:mentorship_id}",
    response=guarded(MentorshipDetailOut),
    summary="Pause, resume or end",
)
def change_mentorship(
    request: HttpRequest,
    network_id: Path[int],
    mentorship_id: int,
    response: HttpResponse,
    change: MentorshipChange,
) -> MentorshipDetailOut:
    """Honours ``If-Match`` (412 when it changed since it was read)."""
    found = grant(request)
    user = found.actor.user
    mentorship = access.mentorship_for(user, found.network, mentorship_id)
    require(request, lambda: of_shape(_detail(found.network, user, mentorship)))
    service.set_status(
        found.network, user, mentorship, change.status, today=clock.today_in(user.time_zone)
    )
    return tagged(response, _detail(found.network, user, mentorship))


@router.post(
    "/mentorships/{int:mentorship_id}/goals",
    response=writing(MentorshipDetailOut),
    summary="Add a goal",
)
def add_goal(
    request: HttpRequest,
    network_id: Path[int],
    mentorship_id: int,
    response: HttpResponse,
    new: GoalIn,
) -> MentorshipDetailOut:
    found = grant(request)
    user = found.actor.user
    mentorship = access.mentorship_for(user, found.network, mentorship_id)
    service.add_goal(found.network, user, mentorship, new.goal)
    return tagged(response, _detail(found.network, user, mentorship))


@router.post(
    "/mentorships/{int:mentorship_id}/sessions",
    response=writing(InteractionOut, 201),
    summary="Log a session",
)
def log_session(
    request: HttpRequest, network_id: Path[int], mentorship_id: int, new: SessionIn
) -> Status[InteractionOut]:
    """A meeting with the mentor and mentee (but me), linked to the mentorship: the next
    session is due a cadence later."""
    found = grant(request)
    user = found.actor.user
    mentorship = access.mentorship_for(user, found.network, mentorship_id)
    today = clock.today_in(user.time_zone)
    when = occurred_at_on(new.on, today=today, time_zone=user.time_zone, field="on")
    logged = service.log_session(
        found.network,
        user,
        mentorship,
        occurred_at=when,
        note=new.note,
        learned=new.learned,
        ask=new.ask,
    )
    return Status(201, InteractionOut.of(logged, user.time_zone))
