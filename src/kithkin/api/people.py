"""A network's people: the list (the filters of `kith people` and the web's sorts, a cursor
page at a time), the person card, adding, editing, archiving, and a person's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from kithkin import access, clock
from kithkin.api import etags, paging
from kithkin.api.auth import grant
from kithkin.api.responses import reading, writing
from kithkin.models import Affiliation, Network, Person
from kithkin.queries.checkins import check_in_status
from kithkin.queries.interactions import interactions_listed
from kithkin.queries.people import TimelineEntry, person_card
from kithkin.queries.people_list import PeopleFilter, PersonRow, matching_people
from kithkin.queries.strength import of_person as strength_of
from kithkin.schemas.base import Page
from kithkin.schemas.interactions import TimelineEntryOut
from kithkin.schemas.people import PersonCardOut, PersonChange, PersonIn, PersonRowOut
from kithkin.schemas.strength import StrengthOut, nothing_yet
from kithkin.services.people import add_person, archive_person, update_person

router = Router(tags=["people"])

Key = paging.Key
Ordering = paging.Ordering
# The web's sorts, each a total order the indexes serve (person_name, person_due,
# person_recent, person_added).
ORDERINGS = {
    "name": Ordering("name", (Key("full_name"),)),
    "due": Ordering("due", (Key("check_in_due_on", nullable=True), Key("full_name"))),
    "recent": Ordering(
        "recent",
        (Key("last_interaction_at", descending=True, nullable=True), Key("full_name")),
    ),
    "added": Ordering("added", (Key("created_at", descending=True),), descending_id=True),
}
TIMELINE = Ordering("timeline", (Key("occurred_at", descending=True),), descending_id=True)

Sort = Literal["name", "due", "recent", "added"]
PersonStatus = Literal["due", "overdue", "never", "archived"]


def today_of(found: access.Grant) -> dt.date:
    """The caller's today, as the web and the CLI reckon it (their own time zone)."""
    return clock.today_in(found.actor.user.time_zone)


def card_of(network: Network, person: Person, today: dt.date) -> PersonCardOut:
    return PersonCardOut.of(person_card(network, person, today), network.time_zone)


@router.get("/people", response=paging.queried(Page[PersonRowOut]), summary="List people")
def list_people(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    q: str = Query("", description="Search text (name, organization, email, tag, notes)."),
    circle: str = Query("", description="A circle's name."),
    tag: str = Query("", description="A tag's name (case and accents aside)."),
    organization: int | None = Query(None, description="People there now (an id)."),
    status: PersonStatus | None = Query(
        None, description="due, overdue, never (contacted), archived."
    ),
    due: bool = Query(False, description="Only people due for a check-in (status=due)."),
    sort: Sort = Query("name", description="name, due (soonest), recent, added (newest)."),
    cursor: paging.Cursor = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
) -> Page[PersonRowOut]:
    """The people page: archived people only with status=archived; a search keeps its best
    matches, in the order asked."""
    found = grant(request)
    today = today_of(found)
    filters = PeopleFilter(
        text=q,
        circle=circle,
        tag=tag,
        organization_id=organization,
        status=status or ("due" if due else ""),
    )
    rows = (
        matching_people(found.network, today, filters)
        .defer("search_text")
        .select_related("circle", "strength")
        .prefetch_related(
            # only where they are now: all a row shows (Role)
            Prefetch(
                "affiliations",
                Affiliation.objects.filter(end_on__isnull=True).select_related("organization"),
            )
        )
    )
    people, following = paging.page_of(rows, ORDERINGS[sort], cursor, limit)
    zone = found.network.time_zone
    items = [PersonRowOut.of_row(PersonRow(p, check_in_status(p, today, zone))) for p in people]
    return paging.page(request, response, items, following)


@router.get("/people/{int:person_id}", response=reading(PersonCardOut), summary="A person")
def get_person(
    request: HttpRequest, network_id: Path[int], person_id: int, response: HttpResponse
) -> PersonCardOut:
    """The person card: contact points, tags, jobs, check-in, latest conversations, open
    follow-ups (``kith show --json``)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    return etags.tagged(response, card_of(found.network, person, today_of(found)))


@router.post("/people", response=writing(PersonCardOut, 201), summary="Add someone")
def add(
    request: HttpRequest, network_id: Path[int], new: PersonIn, response: HttpResponse
) -> Status[PersonCardOut]:
    """Add someone as `kith add` and the web's form do (same checks, same defaults)."""
    found = grant(request)
    person = add_person(found.network, found.actor.user, new.new_person())
    return Status(201, etags.tagged(response, card_of(found.network, person, today_of(found))))


@router.patch(
    "/people/{int:person_id}", response=etags.guarded(PersonCardOut), summary="Edit someone"
)
def edit(
    request: HttpRequest,
    network_id: Path[int],
    person_id: int,
    change: PersonChange,
    response: HttpResponse,
) -> PersonCardOut:
    """Change the fields the web's edit form has; only those sent change. Honours If-Match."""
    found = grant(request)
    today = today_of(found)
    person = access.person_for(found.actor.user, found.network, person_id)
    etags.require(request, lambda: etags.of_shape(card_of(found.network, person, today)))
    update_person(found.network, found.actor.user, person, change.changes())
    return etags.tagged(response, card_of(found.network, person, today))


@router.delete(
    "/people/{int:person_id}", response=etags.guarded(PersonCardOut), summary="Archive someone"
)
def archive(
    request: HttpRequest, network_id: Path[int], person_id: int, response: HttpResponse
) -> PersonCardOut:
    """Archive, as the web's Archive button does: never due, out of lists and search, still
    on record (``status=archived`` lists them). Honours If-Match."""
    found = grant(request)
    today = today_of(found)
    person = access.person_for(found.actor.user, found.network, person_id)
    etags.require(request, lambda: etags.of_shape(card_of(found.network, person, today)))
    archive_person(found.network, found.actor.user, person)
    return etags.tagged(response, card_of(found.network, person, today))


@router.get(
    "/people/{int:person_id}/timeline",
    response=paging.queried(Page[TimelineEntryOut]),
    summary="A person's timeline",
)
def timeline(
    request: HttpRequest,
    network_id: Path[int],
    person_id: int,
    response: HttpResponse,
    cursor: paging.Cursor = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
) -> Page[TimelineEntryOut]:
    """Their interactions, newest first, each with the others who took part."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    rows = interactions_listed(found.network, person=person)
    interactions, following = paging.page_of(rows, TIMELINE, cursor, limit)
    zone = found.network.time_zone
    items = [
        TimelineEntryOut.of_entry(
            TimelineEntry(
                interaction=item,
                others=sorted(p.full_name for p in item.participants.all() if p.pk != person.pk),
            ),
            zone,
        )
        for item in interactions
    ]
    return paging.page(request, response, items, following)


@router.get(
    "/people/{int:person_id}/strength",
    response=reading(StrengthOut),
    summary="A person's relationship strength, explained",
)
def strength(
    request: HttpRequest, network_id: Path[int], person_id: int, response: HttpResponse
) -> StrengthOut:
    """Their strength from me (0-100), the score 90 days ago and the trend, the words that
    explain it and the counts it comes from (docs/strength.md); 0 and no words when nothing
    counts yet. ``kith strength NAME --json``."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    shown = strength_of(found.network, person)
    result = StrengthOut.of(shown) if shown else nothing_yet(person.pk, person.full_name)
    return etags.tagged(response, result)
