"""Reads about opportunities: the board, one opportunity with its shares, the agenda's
"worth sharing" section and the person page's panel. Matching is ``queries.matching``;
the "who you know" report is ``queries.dashboard``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, Q, QuerySet

from kithkin import clock
from kithkin.models import Network, Opportunity, OpportunityShare, Person, Tag
from kithkin.queries.agenda_items import AgendaItem, PersonRef, Section

if TYPE_CHECKING:
    from kithkin.queries.matching import Match

# The board shows these unless asked for every status.
ACTIVE = (
    Opportunity.Status.OPEN,
    Opportunity.Status.SHARED,
    Opportunity.Status.PURSUING,
)
# Worth sharing: opportunities still going that I have not finished sharing.
SHAREABLE = (Opportunity.Status.OPEN, Opportunity.Status.SHARED)

AGENDA_SHOWN = 5  # opportunities on the agenda
AGENDA_MATCHED = 6  # opportunities the agenda names matches for (stored; ~20 ms each to match)
AGENDA_MATCHES = 3  # matches named per opportunity
LIST_LIMIT = 200
PANEL_LIMIT = 10


def board(
    network: Network,
    *,
    status: str = "",
    kind: str = "",
    for_me: bool | None = None,
    show_all: bool = False,
    limit: int | None = LIST_LIMIT,
) -> QuerySet[Opportunity]:
    """The opportunity board, soonest deadline first, then the newest. Active ones only
    (open, shared, pursuing) unless ``show_all`` or a ``status`` says otherwise.
    ``limit`` None: not cut (the API pages it by its own keys)."""
    found = Opportunity.objects.filter(network=network)
    if status:
        found = found.filter(status=status)
    elif not show_all:
        found = found.filter(status__in=ACTIVE)
    if kind:
        found = found.filter(kind=kind)
    if for_me is not None:
        found = found.filter(for_me=for_me)
    found = (
        found.select_related("organization", "source")
        .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
        .order_by(F("deadline").asc(nulls_last=True), "-created_at", "-id")
    )
    return found if limit is None else found[:limit]


@dataclass
class OpportunityDetail:
    opportunity: Opportunity
    tags: list[str]
    shares: list[OpportunityShare]


def opportunity_detail(network: Network, opportunity: Opportunity) -> OpportunityDetail:
    return OpportunityDetail(
        opportunity=opportunity,
        tags=list(opportunity.tags.order_by("name").values_list("name", flat=True)),
        shares=list(
            OpportunityShare.objects.filter(opportunity=opportunity, opportunity__network=network)
            .select_related("person")
            .order_by("-shared_at", "-id")
        ),
    )


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def why_now(opportunity: Opportunity, today: dt.date, time_zone: str) -> str:
    """'deadline in 9 days', 'deadline today', else 'added 3 days ago'."""
    if opportunity.deadline is not None:
        left = (opportunity.deadline - today).days
        if left == 0:
            return "deadline today"
        if left == 1:
            return "deadline tomorrow"
        return f"deadline in {left} days ({opportunity.deadline:%-d %B})"
    added = (today - clock.local_date(opportunity.created_at, time_zone)).days
    if added <= 0:
        return "added today"
    if added == 1:
        return "added yesterday"
    return f"added {added} days ago"


def to_share(network: Network, today: dt.date) -> QuerySet[Opportunity]:
    """Opportunities to share (not for me), still open or shared, deadline not past, in
    the agenda's order: the soonest deadline first, then the newest."""
    return (
        Opportunity.objects.filter(network=network, for_me=False, status__in=SHAREABLE)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .select_related("organization")
        .order_by(F("deadline").asc(nulls_last=True), "-created_at", "-id")
    )


def agenda_matches(network: Network, opportunity: Opportunity) -> list[Match]:
    """The matches the agenda names for ``opportunity``: its top ``AGENDA_MATCHES``, the
    strong ones not shared with yet (what ``services.opportunity_matches`` stores).
    Matching is imported here: the agenda reads stored matches and need not load it."""
    from kithkin.queries.matching import match_people, strong

    return strong(match_people(network, opportunity, limit=AGENDA_MATCHES))


def describe(full_name: str, reasons: list[str]) -> str:
    """A match in words: 'Grace Hopper (tags: rust; close circle)'."""
    return f"{full_name} ({'; '.join(reasons)})"


def _named(network: Network, opportunities: list[Opportunity]) -> dict[int, list[PersonRef]]:
    """The stored matches of ``opportunities`` with their people's names, one query; an
    opportunity with nothing stored (or naming someone gone) is left out."""
    stored = {o.pk: o.agenda_matches for o in opportunities if o.agenda_matches is not None}
    ids = {row[0] for rows in stored.values() for row in rows}
    names = dict(
        Person.objects.filter(network=network, pk__in=ids).values_list("pk", "full_name")
        if ids
        else ()
    )
    return {
        pk: [PersonRef(row[0], names[row[0]]) for row in rows]
        for pk, rows in stored.items()
        if all(row[0] in names for row in rows)
    }


def opportunities_to_share(network: Network, today: dt.date) -> Section:
    """Opportunities to share (not for me), still open or shared, deadline not past, with
    at least one strong match not shared with yet. The ``AGENDA_MATCHED`` with the soonest
    deadline (then the newest) are matched; the first ``AGENDA_SHOWN`` with a strong match
    show, each naming its top three matches and why. The matches are read as stored on the
    opportunity (``services.opportunity_matches``), computed only where none are."""
    candidates = list(to_share(network, today)[:AGENDA_MATCHED])
    named = _named(network, candidates)
    items = []
    for opportunity in candidates:
        if opportunity.pk in named:
            people = named[opportunity.pk]
            reasons = [row[2] for row in opportunity.agenda_matches or []]
        else:
            top = agenda_matches(network, opportunity)
            people = [PersonRef(m.person.pk, m.person.full_name) for m in top]
            reasons = [m.reasons for m in top]
        if not people:
            continue
        items.append(
            AgendaItem(
                key=f"opportunities-{opportunity.pk}",
                title=f"Share {opportunity.title}",
                people=people,
                reason=why_now(opportunity, today, network.time_zone),
                on=opportunity.deadline,
                record_id=opportunity.pk,
                draft_kind="opportunity",
                detail="; ".join(
                    describe(person.name, why) for person, why in zip(people, reasons, strict=True)
                ),
            )
        )
    return Section(
        key="opportunities",
        title="Worth sharing",
        note="Opportunities someone in your network would want, and who.",
        items=items[:AGENDA_SHOWN],
        total=len(items),
    )


@dataclass
class PersonOpportunities:
    brought: list[Opportunity]  # opportunities they brought me
    shared: list[OpportunityShare]  # opportunities I shared with them


def person_panel(network: Network, person: Person, today: dt.date) -> PersonOpportunities | None:
    """What the person page shows about opportunities, or None for nothing."""
    brought = list(
        Opportunity.objects.filter(network=network, source=person).order_by("-created_at", "-id")[
            :PANEL_LIMIT
        ]
    )
    shared = list(
        OpportunityShare.objects.filter(opportunity__network=network, person=person)
        .select_related("opportunity")
        .order_by("-shared_at", "-id")[:PANEL_LIMIT]
    )
    if not brought and not shared:
        return None
    return PersonOpportunities(brought=brought, shared=shared)
