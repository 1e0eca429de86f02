"""Events and the people met there (``services.events``, ``queries.events``), as the web's
Events pages and `kith event`, `kith met` do. Events are not deleted (the web does not)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access, clock
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.problems import problem
from kithkin.api.responses import reading, writing
from kithkin.models import Event, Network
from kithkin.queries.events import event_page, events_of, row_of
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.events import EventChange, EventDetailOut, EventIn, EventOut, MetIn, MetOut
from kithkin.schemas.followups import FollowUpOut
from kithkin.services import events as service
from kithkin.services.known_or_new import NearMatch

router = Router(tags=["events"])

SOONEST = Ordering("soonest", (Key("starts_on"), Key("name")))
LATEST = Ordering("latest", (Key("starts_on", descending=True), Key("name")))


class EventFilter(Clean):
    when: Literal["upcoming", "past", "all"] = Field(
        default="all",
        description="upcoming (to come or going on; soonest first), past (over; latest "
        "first), or all (latest first).",
    )


def _detail(network: Network, event: Event) -> EventDetailOut:
    return EventDetailOut.of_page(event_page(network, event))


@router.get("/events", response=queried(Page[EventOut]), summary="Events")
def list_events(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[EventFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[EventOut]:
    """Each with how many people I met there (`kith event list --upcoming|--past`)."""
    found = grant(request)
    today = clock.today_in(found.actor.user.time_zone)
    when = "" if filters.when == "all" else filters.when
    ordering = SOONEST if when == "upcoming" else LATEST
    rows, following = page_of(events_of(found.network, today, when), ordering, cursor, limit)
    items = [EventOut.of_row(row_of(e)) for e in rows]
    return page(request, response, items, following)


@router.post("/events", response=writing(EventDetailOut, 201), summary="Add an event")
def add_event(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: EventIn
) -> Status[EventDetailOut]:
    """A conference, workshop, seminar, meetup, webinar or social; ``organizer`` an
    organization's name, found or added."""
    found = grant(request)
    event = service.add_event(found.network, found.actor.user, new.fields())
    return Status(201, tagged(response, _detail(found.network, event)))


@router.get("/events/{int:event_id}", response=reading(EventDetailOut), summary="One event")
def get_event(
    request: HttpRequest, network_id: Path[int], event_id: int, response: HttpResponse
) -> EventDetailOut:
    """The event, its notes and tags, whom I met there and where each follow-up stands."""
    found = grant(request)
    event = access.event_for(found.actor.user, found.network, event_id)
    return tagged(response, _detail(found.network, event))


@router.patch("/events/{int:event_id}", response=guarded(EventDetailOut), summary="Change an event")
def change_event(
    request: HttpRequest,
    network_id: Path[int],
    event_id: int,
    response: HttpResponse,
    change: EventChange,
) -> EventDetailOut:
    """What is left out stays as it is. Honours ``If-Match`` (412 when it changed since it
    was read)."""
    found = grant(request)
    event = access.event_for(found.actor.user, found.network, event_id)
    before = _detail(found.network, event)
    require(request, lambda: of_shape(before))
    service.update_event(found.network, found.actor.user, event, change.fields(event, before.tags))
    return tagged(response, _detail(found.network, event))


@router.post(
    "/events/{int:event_id}/people", response=writing(MetOut, 201), summary="Met someone there"
)
def meet(
    request: HttpRequest, network_id: Path[int], event_id: int, met: MetIn
) -> Status[MetOut] | HttpResponse:
    """Records the attendance, logs an event conversation and owes them a follow-up within
    48 hours with a draft. A name close to people already known is 409, naming them (pass
    ``person``, or ``new`` true)."""
    found = grant(request)
    user = found.actor.user
    event = access.event_for(user, found.network, event_id)
    person = None if met.person is None else access.person_for(user, found.network, met.person)
    try:
        done = service.meet_at_event(
            found.network,
            user,
            event,
            person=person,
            name=met.name,
            note=met.note,
            email=met.email,
            organization=met.organization,
            on=met.on,
            new=met.new,
        )
    except NearMatch as near:
        named = "; ".join(f"{p.full_name} (#{p.pk})" for p in near.candidates)
        return problem(409, f"{near}: {named}. Send person (one of them) or new: true.")
    rows = event_page(found.network, event).met
    return Status(201, next(MetOut.of(r) for r in rows if r.person.id == done.person.pk))


@router.post(
    "/events/{int:event_id}/people/{int:person_id}/follow-up",
    response={**writing(FollowUpOut, 201), 200: FollowUpOut},
    summary="Owe a follow-up",
)
def follow_up(
    request: HttpRequest, network_id: Path[int], event_id: int, person_id: int
) -> Status[FollowUpOut]:
    """Owe someone met there a follow-up within 48 hours, with a draft; one already open
    from this event is answered as it is (200)."""
    found = grant(request)
    user = found.actor.user
    event = access.event_for(user, found.network, event_id)
    person = access.person_for(user, found.network, person_id)
    item, created = service.follow_up_after_meeting(found.network, user, event, person)
    return Status(201 if created else 200, FollowUpOut.of(item))
