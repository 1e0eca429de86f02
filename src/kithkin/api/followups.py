"""A network's follow-ups: the list (open, due or done), one, adding, editing, deleting,
and the two actions of the agenda: done and snooze — the services of the web and the CLI."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from kithkin import access
from kithkin.api import etags, paging
from kithkin.api.auth import grant
from kithkin.api.people import today_of
from kithkin.api.responses import reading, writing
from kithkin.dates import parse_date, parse_every
from kithkin.models import FollowUp, Network
from kithkin.queries.followups import follow_ups_listed
from kithkin.schemas.base import Page
from kithkin.schemas.followups import (
    FollowUpChange,
    FollowUpDoneOut,
    FollowUpIn,
    FollowUpOut,
    SnoozeIn,
)
from kithkin.services.followups import (
    KEEP,
    add_follow_up,
    complete_follow_up,
    delete_follow_up,
    edit_follow_up,
    snooze_follow_up,
)

router = Router(tags=["follow-ups"])

SOONEST = paging.Ordering("soonest", (paging.Key("due_on"),))
LATEST_DONE = paging.Ordering(
    "latest-done", (paging.Key("done_at", descending=True),), descending_id=True
)
DEFAULT_DUE = "+2d"  # as `kith follow-up` and the web's form


def shape_of(network: Network, pk: int) -> FollowUpOut:
    return FollowUpOut.of(FollowUp.objects.prefetch_related("people").get(network=network, pk=pk))


def _people(found: access.Grant, ids: list[int]) -> list[Any]:
    return [access.person_for(found.actor.user, found.network, pk) for pk in dict.fromkeys(ids)]


@router.get("/follow-ups", response=paging.queried(Page[FollowUpOut]), summary="List follow-ups")
def list_all(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    status: Literal["open", "due", "done"] = Query(
        "open", description="open (soonest first), due (by today), done (latest first)."
    ),
    person: int | None = Query(None, description="Only those owed to this person (an id)."),
    cursor: paging.Cursor = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
) -> Page[FollowUpOut]:
    found = grant(request)
    who = access.person_for(found.actor.user, found.network, person) if person is not None else None
    rows = follow_ups_listed(found.network, status=status, today=today_of(found), person=who)
    ordering = LATEST_DONE if status == "done" else SOONEST
    follow_ups, following = paging.page_of(rows, ordering, cursor, limit)
    return paging.page(request, response, [FollowUpOut.of(f) for f in follow_ups], following)


@router.get("/follow-ups/{int:follow_up_id}", response=reading(FollowUpOut), summary="A follow-up")
def get_one(
    request: HttpRequest, network_id: Path[int], follow_up_id: int, response: HttpResponse
) -> FollowUpOut:
    found = grant(request)
    item = access.follow_up_for(found.actor.user, found.network, follow_up_id)
    return etags.tagged(response, shape_of(found.network, item.pk))


@router.post("/follow-ups", response=writing(FollowUpOut, 201), summary="Add a follow-up")
def add(
    request: HttpRequest, network_id: Path[int], new: FollowUpIn, response: HttpResponse
) -> Status[FollowUpOut]:
    """Something I owe these people; due in two days unless ``due_on`` says otherwise;
    ``every`` repeats it (``2w``, ``monthly``)."""
    found = grant(request)
    item = add_follow_up(
        found.network,
        found.actor.user,
        people=_people(found, new.people),
        title=new.title,
        due_on=new.due_on or parse_date(DEFAULT_DUE, today_of(found)),
        every=parse_every(new.every) if new.every else None,
    )
    return Status(201, etags.tagged(response, shape_of(found.network, item.pk)))


@router.patch(
    "/follow-ups/{int:follow_up_id}",
    response=etags.guarded(FollowUpOut),
    summary="Edit a follow-up",
)
def edit(
    request: HttpRequest,
    network_id: Path[int],
    follow_up_id: int,
    change: FollowUpChange,
    response: HttpResponse,
) -> FollowUpOut:
    """Only the fields sent change; ``every`` null stops it repeating. Honours If-Match."""
    found = grant(request)
    item = access.follow_up_for(found.actor.user, found.network, follow_up_id)
    etags.require(request, lambda: etags.of_shape(shape_of(found.network, item.pk)))
    every: Any = KEEP
    if "every" in change.model_fields_set:
        every = parse_every(change.every) if change.every else None
    edit_follow_up(
        found.network,
        found.actor.user,
        item,
        title=change.title,
        due_on=change.due_on,
        every=every,
        people=_people(found, change.people) if change.people is not None else None,
    )
    return etags.tagged(response, shape_of(found.network, item.pk))


@router.delete(
    "/follow-ups/{int:follow_up_id}",
    response=etags.guarded(None, 204),
    summary="Delete a follow-up",
)
def delete(request: HttpRequest, network_id: Path[int], follow_up_id: int) -> Status[None]:
    """One you no longer owe (done keeps it in the history instead). Honours If-Match."""
    found = grant(request)
    item = access.follow_up_for(found.actor.user, found.network, follow_up_id)
    etags.require(request, lambda: etags.of_shape(shape_of(found.network, item.pk)))
    delete_follow_up(found.network, found.actor.user, item)
    return Status(204, None)


@router.post(
    "/follow-ups/{int:follow_up_id}/done",
    response=etags.guarded(FollowUpDoneOut),
    summary="Mark a follow-up done",
)
def done(request: HttpRequest, network_id: Path[int], follow_up_id: int) -> FollowUpDoneOut:
    """A recurring one is scheduled again: ``next`` is the new one. `kith undo` and the
    web's Undo take it back. Honours If-Match."""
    found = grant(request)
    item = access.follow_up_for(found.actor.user, found.network, follow_up_id)
    etags.require(request, lambda: etags.of_shape(shape_of(found.network, item.pk)))
    following = complete_follow_up(found.network, found.actor.user, item, today=today_of(found))
    return FollowUpDoneOut(
        done=shape_of(found.network, item.pk),
        next=shape_of(found.network, following.pk) if following is not None else None,
    )


@router.post(
    "/follow-ups/{int:follow_up_id}/snooze",
    response=etags.guarded(FollowUpOut),
    summary="Snooze a follow-up",
)
def snooze(
    request: HttpRequest,
    network_id: Path[int],
    follow_up_id: int,
    until: SnoozeIn,
    response: HttpResponse,
) -> FollowUpOut:
    """Put it off until a later day (a date, or words: ``tomorrow``, ``+2w``). Honours
    If-Match."""
    found = grant(request)
    today = today_of(found)
    item = access.follow_up_for(found.actor.user, found.network, follow_up_id)
    etags.require(request, lambda: etags.of_shape(shape_of(found.network, item.pk)))
    day = parse_date(until.until, today, "until")
    snooze_follow_up(found.network, found.actor.user, item, day, today=today)
    return etags.tagged(response, shape_of(found.network, item.pk))
