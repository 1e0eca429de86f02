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
    "strength": "strength",
}
SEARCH_LIMIT = 500
# People are counted up to this many: an exact count of a 90,000-person network reads
# every row of it on each page. Past it the list says "more than 1000" and pages on.
COUNT_LIMIT = 1000
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
    total: int  # exact, or COUNT_LIMIT when there are more (``total_exact`` False)
    page: int
    per_page: int
    has_next: bool = False
    total_exact: bool = True
    pages: int | None = field(init=False)  # None: more than COUNT_LIMIT, not counted

    def __post_init__(self) -> None:
        pages = max(1, math.ceil(self.total / self.per_page)) if self.total_exact else None
        object.__setattr__(self, "pages", pages)


def _filtered(network: Network, today: dt.date, filters: PeopleFilter) -> QuerySet[Person]:
    people = Person.objects.filter(network=network, is_self=False)
    if filters.status == "archived":
        people = people.filter(archived_at__isnull=False)
    else:
        people = people.filter(archived_at__isnull=True)
    if filters.circle:
        people = people.filter(circle__name__iexact=filters.circle)
    # Through subqueries rather than joins: no DISTINCT, so a page's ids are read alone.
    if filters.tag:
        tagged = Person.tags.through.objects.filter(tag_id__in=_tags_named(network, filters.tag))
        people = people.filter(pk__in=tagged.values("person_id"))
    if filters.organization_id:
        there = Affiliation.objects.filter(
            organization_id=filters.organization_id, end_on__isnull=True
        )
        people = people.filter(pk__in=there.values("person_id"))
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
    # The stored relationship strength, strongest first, none last: person_strength
    # (migration 0035), read forwards.
    "strength": (F("strength_score").desc(nulls_last=True), "full_name", "pk"),
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


def _details(ids: list[int]) -> list[Person]:
    """The people ``ids`` names, in that order, with what a row shows: only the page's rows
    are loaded and their tags and affiliations prefetched."""
    found = (
        Person.objects.filter(pk__in=ids)
        .defer("search_text")
        .select_related("circle", "strength")
        .prefetch_related(
            "tags", Prefetch("affiliations", Affiliation.objects.select_related("organization"))
        )
    )
    by_id = {p.pk: p for p in found}
    return [by_id[pk] for pk in ids if pk in by_id]


def _counted(people: QuerySet[Person]) -> tuple[int, bool]:
    """How many ``people`` holds, counted up to COUNT_LIMIT (a bounded subquery), and
    whether that is all of them."""
    counted = people.order_by()[: COUNT_LIMIT + 1].count()
    return min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT


def people_page(
    network: Network, today: dt.date, filters: PeopleFilter, *, page: int = 1, per_page: int = 50
) -> PeoplePage:
    """One page of the list: the page's ids are read from an index in order (people_listed,
    migration 0015, for the default sort by name), then only those rows are loaded; the
    matching people are counted up to COUNT_LIMIT. Five queries, whatever the network."""
    people = _filtered(network, today, filters)
    ranked_ids: list[int] | None = None
    if len(filters.text.strip()) >= MIN_SEARCH_LENGTH:
        ranked_ids = matching_person_ids(
            network, filters.text, limit=SEARCH_LIMIT, include_archived=filters.status == "archived"
        )
        people = people.filter(pk__in=ranked_ids)
    if ranked_ids is not None and filters.sort == "relevance":
        # Rank by the search engine's order (at most SEARCH_LIMIT), then load the page.
        allowed = set(people.values_list("pk", flat=True))
        ordered = [pk for pk in ranked_ids if pk in allowed]
        total = len(ordered)
        page = _clamp(page, total, per_page)
        start = (page - 1) * per_page
        rows = _details(ordered[start : start + per_page])
        return PeoplePage(
            rows=_rows(rows, today, network),
            total=total,
            page=page,
            per_page=per_page,
            has_next=start + per_page < total,
        )
    order = _ORDER.get(filters.sort, _ORDER["name"])
    ids = people.order_by(*order).values_list("pk", flat=True)
    total, exact = _counted(people)
    if exact:
        page = _clamp(page, total, per_page)
    page = max(1, page)
    start = (page - 1) * per_page
    page_ids = list(ids[start : start + per_page + 1])
    if not page_ids and page > 1:  # a page typed past the end: the last one, counted
        total, exact = people.count(), True
        page = _clamp(page, total, per_page)
        start = (page - 1) * per_page
        page_ids = list(ids[start : start + per_page + 1])
    has_next = len(page_ids) > per_page
    if not exact and not has_next and (page_ids or page == 1):
        total, exact = start + len(page_ids), True  # the last page: the count is known
    return PeoplePage(
        rows=_rows(_details(page_ids[:per_page]), today, network),
        total=total,
        page=page,
        per_page=per_page,
        has_next=has_next,
        total_exact=exact,
    )


def _rows(people: list[Person], today: dt.date, network: Network) -> list[PersonRow]:
    return [PersonRow(p, check_in_status(p, today, network.time_zone)) for p in people]


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
