"""The list of people: filtered, sorted, one page at a time, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, QuerySet

from kithkin.models import Affiliation, Network, Person, Tag
from kithkin.queries.checkins import CheckInStatus, check_in_status
from kithkin.queries.search import matching_person_ids
from kithkin.services.contact_rules import tag_key

STATUSES = {
    "": "everyone",
    "due": "due for a check-in",
    "overdue": "overdue",
    "never": "never contacted",
    "archived": "archived",
}
SORTS = {
    "relevance": "best match",
    "name": "name",
    "due": "due date",
    "recent": "last talked",
    "added": "recently added",
}
SEARCH_LIMIT = 500
# Search as you type starts at the second character: one letter matches most of a large
# network by prefix and ranking all of it costs more than it tells.
MIN_SEARCH_LENGTH = 2


@dataclass(frozen=True)
class PeopleFilter:
    text: str = ""
    circle: str = ""
    tag: str = ""
    organization_id: int | None = None
    status: str = ""  # one of STATUSES
    sort: str = "name"  # one of SORTS; a text search ranks by relevance unless told

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.circle or self.tag or self.organization_id or self.status)


@dataclass(frozen=True)
class PersonRow:
    person: Person
    status: CheckInStatus


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pages", max(1, math.ceil(self.total / self.per_page)))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _filtered(network: Network, today: dt.date, filters: PeopleFilter) -> QuerySet[Person]:
    people = Person.objects.filter(network=network, is_self=False)
    if filters.status == "archived":
        people = people.filter(archived_at__isnull=False)
    else:
        people = people.filter(archived_at__isnull=True)
    if filters.circle:
        people = people.filter(circle__name__iexact=filters.circle)
    if filters.tag:
        people = people.filter(tags__in=_tags_named(network, filters.tag)).distinct()
    if filters.organization_id:
        people = people.filter(
            affiliations__organization_id=filters.organization_id, affiliations__end_on__isnull=True
        ).distinct()
    if filters.status == "due":
        people = people.filter(check_in_due_on__lte=today)
    elif filters.status == "overdue":
        people = people.filter(check_in_due_on__lt=today)
    elif filters.status == "never":
        people = people.filter(last_interaction_at__isnull=True)
    return people


def _tags_named(network: Network, name: str) -> list[int]:
    """The network's tags ``name`` names, by the one rule of tag identity (case, accents
    and spacing aside: "#cafe" finds "Café"); older versions may have stored two."""
    wanted = tag_key(name.lstrip("#"))
    return [
        pk
        for pk, tag in Tag.objects.filter(network=network).values_list("pk", "name")
        if tag_key(tag) == wanted
    ]


_ORDER = {
    "name": ("full_name", "pk"),
    "due": (F("check_in_due_on").asc(nulls_last=True), "full_name", "pk"),
    # person_recent (migration 0013), read forwards
    "recent": (F("last_interaction_at").desc(nulls_last=True), "full_name", "pk"),
    "added": ("-created_at", "-pk"),  # person_added, read backwards
}


def _clamp(page: int, total: int, per_page: int) -> int:
    return max(1, min(page, max(1, math.ceil(total / per_page))))


def matching_people(network: Network, today: dt.date, filters: PeopleFilter) -> QuerySet[Person]:
    """Everyone the filters match (a text search: its best ``SEARCH_LIMIT``), unordered:
    what "select everything matching" acts on."""
    people = _filtered(network, today, filters)
    if filters.text.strip():
        ranked_ids = matching_person_ids(
            network, filters.text, limit=SEARCH_LIMIT, include_archived=filters.status == "archived"
        )
        people = people.filter(pk__in=ranked_ids)
    return people


def people_page(
    network: Network, today: dt.date, filters: PeopleFilter, *, page: int = 1, per_page: int = 50
) -> PeoplePage:
    people = _filtered(network, today, filters)
    ranked_ids: list[int] | None = None
    if len(filters.text.strip()) >= MIN_SEARCH_LENGTH:
        ranked_ids = matching_person_ids(
            network, filters.text, limit=SEARCH_LIMIT, include_archived=filters.status == "archived"
        )
        people = people.filter(pk__in=ranked_ids)
    details = (
        Person.objects.defer("search_text")
        .select_related("circle")
        .prefetch_related(
            "tags", Prefetch("affiliations", Affiliation.objects.select_related("organization"))
        )
    )
    if ranked_ids is not None and filters.sort == "relevance":
        # Rank by the search engine's order, then load only this page's rows.
        allowed = set(people.values_list("pk", flat=True))
        ordered = [pk for pk in ranked_ids if pk in allowed]
        total = len(ordered)
        page = _clamp(page, total, per_page)
        start = (page - 1) * per_page
        page_ids = ordered[start : start + per_page]
        by_id = {p.pk: p for p in details.filter(pk__in=page_ids)}
        found = [by_id[pk] for pk in page_ids]
    else:
        total = people.count()
        page = _clamp(page, total, per_page)
        start = (page - 1) * per_page
        order = _ORDER.get(filters.sort, _ORDER["name"])
        rows_query = (
            people.defer("search_text")
            .select_related("circle")
            .prefetch_related(
                "tags", Prefetch("affiliations", Affiliation.objects.select_related("organization"))
            )
        )
        found = list(rows_query.order_by(*order)[start : start + per_page])
    rows = [PersonRow(p, check_in_status(p, today, network.time_zone)) for p in found]
    return PeoplePage(rows=rows, total=total, page=page, per_page=per_page)


def list_people(
    network: Network,
    today: dt.date,
    *,
    circle: str | None = None,
    tag: str | None = None,
    due_only: bool = False,
    limit: int = 50,
) -> list[PersonRow]:
    """The CLI's `kith people`: the first ``limit`` people, most overdue first with due_only."""
    filters = PeopleFilter(
        circle=circle or "",
        tag=tag or "",
        status="due" if due_only else "",
        sort="due" if due_only else "name",
    )
    return people_page(network, today, filters, per_page=limit).rows
