"""A window's birthdays and work anniversaries a page at a time, for the agenda's
Celebrate and the Milestones page: counted in SQL, and only the rows shown read and built.

Two weeks of a 30,000-person network hold about 1,100 of them (3,300 at 90,000), and
building them all to show ten cost more than the rest of Today. So, for each calendar year
the window touches (a window across New Year has two, each with its own occasion keys):

1. the birthdays and the anniversaries in it are counted by the database, through their
   indexes (``person_birthday``, ``affiliation_anniversary``);
2. the ones already celebrated that year are few (they are what the user logged): they
   are read by occasion key and taken off the count;
3. the first rows in occasion order are read — ``limit`` plus the celebrated ones, so
   that ``limit`` remain once those are skipped — and built.

The database sorts the way ``occasion_order`` does: by the day it falls on (29 February on
the 28th in a year without one), then the name compared as Python compares text (byte
order, not the database's language collation), then the person, then the occasion.

A window of a year or more holds every yearly occasion once; it is read whole.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Collate

from kithkin.models import Interaction, Network, Person
from kithkin.queries.occasion_dates import each_day
from kithkin.queries.occasions import (
    ANNIVERSARY,
    ANNIVERSARY_COLUMNS,
    BIRTHDAY_COLUMNS,
    Occasion,
    Unbuilt,
    anniversary_jobs,
    anniversary_row,
    anniversary_rows,
    birthday_key,
    birthday_people,
    birthday_row,
    birthday_rows,
    built,
    celebrated_flags,
    participants,
)

WHOLE_YEAR_DAYS = 364  # from here on a window may hold a yearly occasion twice


@dataclass(frozen=True)
class Celebrated:
    """What was celebrated in one year: (person, occasion key) pairs, from the interactions
    that carry a key."""

    pairs: frozenset[tuple[int, str]] = frozenset()
    people: frozenset[int] = frozenset()  # their people, to narrow the counts
    affiliations: frozenset[int] = frozenset()  # the anniversaries' jobs

    def done(self, row: Unbuilt) -> bool:
        return (row.person_id, row.key) in self.pairs


@dataclass
class _Page:
    total: int = 0
    rows: list[Unbuilt] = field(default_factory=list)


def celebrated_in(year: int) -> Celebrated:
    """The birthdays and work anniversaries celebrated in ``year``. Anniversary keys name
    their job, so every anniversary celebration is read (from the ``interaction_occasion``
    index of the interactions that celebrated something) and the year's kept: as many as
    the user logged, whatever the size of the network."""
    keyed = (
        Interaction.objects.filter(
            # ';' follows ':': every "anniversary:..." key is a range of the index
            Q(occasion__gte=f"{ANNIVERSARY}:", occasion__lt=f"{ANNIVERSARY};")
            | Q(occasion=birthday_key(year))
        )
        .exclude(occasion="")  # the index's condition, so the database uses it
        .order_by()
        .values_list("pk", "occasion")
    )
    celebrating = {pk: key for pk, key in keyed if key.endswith(f":{year}")}
    pairs = participants(celebrating)
    return Celebrated(
        pairs=frozenset(pairs),
        people=frozenset(person for person, _ in pairs),
        affiliations=frozenset(
            int(key.split(":")[1]) for key in celebrating.values() if key.startswith(ANNIVERSARY)
        ),
    )


def first_occasions(
    network: Network, start: dt.date, end: dt.date, limit: int, *, open_only: bool
) -> tuple[list[Occasion], int]:
    """The birthdays and work anniversaries from ``start`` to ``end``: the first ``limit``
    in ``occasion_order``, built, and how many there are. ``open_only``: those not
    celebrated yet only."""
    if (end - start).days >= WHOLE_YEAR_DAYS:
        rows = birthday_rows(network, start, end) + anniversary_rows(network, start, end)
        if open_only:
            rows = [r for r, done in zip(rows, celebrated_flags(rows), strict=True) if not done]
        return built(heapq.nsmallest(limit, rows, key=itemgetter(0))), len(rows)
    page = _Page()
    for first, last in _years(start, end):
        celebrated = celebrated_in(first.year) if open_only else Celebrated()
        _read(page, birthday_people(network, first, last), (first, last), celebrated, limit)
        jobs = anniversary_jobs(network, first, last, started_before=start)
        _read(page, jobs, (first, last), celebrated, limit)
    return built(heapq.nsmallest(limit, page.rows, key=itemgetter(0))), page.total


def _years(start: dt.date, end: dt.date) -> Iterable[tuple[dt.date, dt.date]]:
    """The window cut at each New Year."""
    while start <= end:
        last = min(end, dt.date(start.year, 12, 31))
        yield start, last
        start = last + dt.timedelta(days=1)


def _read(
    page: _Page,
    found: QuerySet[Any],
    window: tuple[dt.date, dt.date],
    celebrated: Celebrated,
    limit: int,
) -> None:
    """Count the birthdays or anniversaries ``found`` less the celebrated among them, and
    read their first rows in occasion order."""
    year = window[0].year
    row_of: Callable[[Any, dt.date, dt.date], Unbuilt | None]
    if found.model is Person:
        columns, row_of, order = BIRTHDAY_COLUMNS, birthday_row, _birthday_order(year)
        celebrated_ids = celebrated.people
    else:
        columns, row_of = ANNIVERSARY_COLUMNS, anniversary_row
        order = _anniversary_order(*window)
        celebrated_ids = celebrated.affiliations
    skipped = 0
    if celebrated_ids:
        for row in found.filter(pk__in=list(celebrated_ids)).values_list(*columns):
            unbuilt = row_of(row, *window)
            skipped += unbuilt is not None and celebrated.done(unbuilt)
    page.total += found.count() - skipped
    kept = 0
    for row in found.order_by(*order).values_list(*columns)[: limit + skipped]:
        unbuilt = row_of(row, *window)
        if unbuilt is not None and not celebrated.done(unbuilt) and kept < limit:
            page.rows.append(unbuilt)
            kept += 1


def _binary(expression: Any) -> Collate:
    """Text compared byte by byte, as Python compares it (the database's own collation
    would order names by language)."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


def _birthday_order(year: int) -> tuple[Any, ...]:
    day: Any = F("birthday_day")
    if not calendar.isleap(year):  # 29 February falls on the 28th: sort it there
        day = Case(
            When(birthday_month=2, birthday_day=29, then=Value(28)),
            default=day,
            output_field=IntegerField(),
        )
    return ("birthday_month", day, _binary(F("full_name")), "pk")


def _anniversary_order(first: dt.date, last: dt.date) -> tuple[Any, ...]:
    """By the "MM-DD" the ``affiliation_anniversary`` index holds, so the database walks
    the index in order and sorts only each day's few jobs by name, stopping at the limit
    (a whole window is 3,300 jobs at 90,000 people). Only a window holding 28 February of
    a year without a 29th reads '02-29' rows, and only then sorts them onto the 28th."""
    month_day: Any = F("start_month_day")  # the alias anniversary_jobs filters on
    if any(day.month == 2 and day.day == 28 for day in each_day(first, last)) and (
        not calendar.isleap(first.year)
    ):
        month_day = Case(
            When(start_month_day="02-29", then=Value("02-28")),
            default=month_day,
            output_field=CharField(),
        )
    return (
        month_day,
        _binary(F("person__full_name")),
        "person_id",
        _binary(Cast("pk", CharField())),  # the occasion's html_id holds its id as text
    )
