"""Milestones and challenges (``services.milestones``, ``queries.milestones``): the ones on
record, the occasions coming up (birthdays and work anniversaries too), recording,
celebrating and removing one, as the web's Milestones page and `kith milestone` do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access, clock
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.responses import reading, writing
from kithkin.models import Milestone
from kithkin.queries import milestones as queries
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.interactions import InteractionOut
from kithkin.schemas.milestones import CelebrationIn, MilestoneIn, MilestoneOut, OccasionOut
from kithkin.services import milestones as service

router = Router(tags=["milestones"])

# By person, then by date (a yearly one without a year last among theirs).
BY_PERSON = Ordering(
    "person",
    (Key("person"), Key("year", nullable=True), Key("month"), Key("day")),
)


class MilestoneFilter(Clean):
    person: int | None = Field(default=None, description="Only this person's.")


class UpcomingFilter(Clean):
    days: int = Field(default=14, ge=1, le=366, description="How many days ahead.")
    person: int | None = Field(default=None, description="Only this person's.")


@router.get("/milestones", response=queried(Page[MilestoneOut]), summary="Milestones")
def list_milestones(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[MilestoneFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[MilestoneOut]:
    """The milestones and challenges on record (not birthdays from profiles), by person
    then date (`kith milestone list`)."""
    network = grant(request).network
    rows = Milestone.objects.filter(network=network).select_related("person")
    if filters.person is not None:
        rows = rows.filter(person_id=filters.person)
    found, following = page_of(rows, BY_PERSON, cursor, limit)
    return page(request, response, [MilestoneOut.of(m) for m in found], following)


@router.get(
    "/milestones/upcoming", response=queried(list[OccasionOut]), summary="Occasions coming up"
)
def list_upcoming(
    request: HttpRequest, network_id: Path[int], filters: Query[UpcomingFilter]
) -> list[OccasionOut]:
    """On the network's calendar: every occasion from today to ``days`` ahead, celebrated or not, soonest first:
    birthdays, work anniversaries, milestones and challenges (`kith milestone list
    --upcoming`). Bounded by ``days``, not paged."""
    found = grant(request)
    today = clock.today_in(found.network.time_zone)
    occasions = queries.upcoming(found.network, today, filters.days, person_id=filters.person)
    return [OccasionOut.of(o, today) for o in occasions]


@router.post("/milestones", response=writing(MilestoneOut, 201), summary="Record a milestone")
def add_milestone(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: MilestoneIn
) -> Status[MilestoneOut]:
    """A milestone to celebrate (new job, promotion, launch...) or a challenge to offer
    help with (layoff, illness, move): ``on`` YYYY-MM-DD, or MM-DD for a yearly one."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, new.person)
    today = clock.today_in(found.network.time_zone)
    milestone = service.add_milestone(
        found.network,
        found.actor.user,
        person=person,
        kind=new.kind,
        on=service.parse_on(new.on, today),
        recurs_yearly=new.yearly,
        title=new.title,
        note=new.note,
    )
    return Status(201, tagged(response, MilestoneOut.of(milestone)))


@router.get(
    "/milestones/{int:milestone_id}", response=reading(MilestoneOut), summary="One milestone"
)
def get_milestone(
    request: HttpRequest, network_id: Path[int], milestone_id: int, response: HttpResponse
) -> MilestoneOut:
    found = grant(request)
    milestone = access.milestone_for(found.actor.user, found.network, milestone_id)
    return tagged(response, MilestoneOut.of(milestone))


@router.delete(
    "/milestones/{int:milestone_id}", response=guarded(None, 204), summary="Remove a milestone"
)
def remove_milestone(
    request: HttpRequest, network_id: Path[int], milestone_id: int
) -> Status[None]:
    """Honours ``If-Match`` (412 when it changed since it was read)."""
    found = grant(request)
    milestone = access.milestone_for(found.actor.user, found.network, milestone_id)
    require(request, lambda: of_shape(MilestoneOut.of(milestone)))
    service.remove_milestone(found.network, found.actor.user, milestone)
    return Status(204, None)


@router.post(
    "/milestones/{int:milestone_id}/celebrate",
    response=writing(InteractionOut, 201),
    summary="Celebrate a milestone",
)
def celebrate(
    request: HttpRequest, network_id: Path[int], milestone_id: int, celebration: CelebrationIn
) -> Status[InteractionOut]:
    """Congratulate them (a yearly one: its occurrence nearest today) or offer help with a
    challenge; the interaction logged is the answer."""
    found = grant(request)
    milestone = access.milestone_for(found.actor.user, found.network, milestone_id)
    logged = service.celebrate_milestone(
        found.network,
        found.actor.user,
        milestone,
        today=clock.today_in(found.network.time_zone),
        note=celebration.note,
        kind=celebration.kind,
    )
    return Status(201, InteractionOut.of(logged, found.actor.user.time_zone))
