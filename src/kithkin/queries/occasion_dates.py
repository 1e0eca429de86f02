"""When yearly occasions fall: the date math of birthdays, work anniversaries and yearly
milestones, and the SQL filters that read only the rows falling in a window of days.
A 29 February falls on 28 February in years without one."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q


def occurrence_in(year: int, month: int, day: int) -> dt.date:
    """When a yearly (month, day) falls in ``year``: 29 February on 28 February in a year
    without one (and any day past a month's end on its last day)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


@functools.lru_cache(maxsize=4096)
def occurrence_between(month: int, day: int, start: dt.date, end: dt.date) -> dt.date | None:
    """The first day from ``start`` to ``end`` (both included) a yearly (month, day)
    falls on, or None. Cached: a window's thousand birthdays fall on a few dozen days."""
    for year in range(start.year, end.year + 1):
        on = occurrence_in(year, month, day)
        if start <= on <= end:
            return on
    return None


def next_occurrence(month: int, day: int, today: dt.date) -> dt.date:
    """The next time a yearly (month, day) falls, today included."""
    on = occurrence_between(month, day, today, today + dt.timedelta(days=366))
    assert on is not None  # every (month, day) falls within a year and a day
    return on


def nearest_occurrence(month: int, day: int, today: dt.date) -> dt.date:
    """The occurrence closest to ``today``, before or after (after on a tie)."""
    candidates = [occurrence_in(year, month, day) for year in range(today.year - 1, today.year + 2)]
    return min(candidates, key=lambda on: (abs((on - today).days), on < today))


def each_day(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def yearly_q(start: dt.date, end: dt.date, month_field: str, day_field: str) -> Q:
    """Rows whose yearly (month, day) falls from ``start`` to ``end``: one
    ``month = m AND day IN (...)`` per month, with 29 February when the window holds the
    28th of a February without a 29th."""
    end = min(end, start + dt.timedelta(days=366))  # a longer window holds every day
    by_month: dict[int, set[int]] = defaultdict(set)
    for day in each_day(start, end):
        by_month[day.month].add(day.day)
        if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
            by_month[2].add(29)
    query = Q(pk__in=[])
    for month, days in sorted(by_month.items()):
        query |= Q(**{month_field: month, f"{day_field}__in": sorted(days)})
    return query


def dates_q(start: dt.date, end: dt.date) -> Q:
    """Milestones dated (year, month, day) from ``start`` to ``end``."""
    by_month: dict[tuple[int, int], list[int]] = defaultdict(list)
    for day in each_day(start, end):
        by_month[(day.year, day.month)].append(day.day)
    query = Q(pk__in=[])
    for (year, month), days in sorted(by_month.items()):
        query |= Q(year=year, month=month, day__in=days)
    return query


def month_days_q(start: dt.date, end: dt.date, field: str) -> Q:
    """Rows whose "MM-DD" ``field`` falls from ``start`` to ``end`` in some year, as
    ``yearly_q`` has it (29 February with a 28 February of a year without one)."""
    if end >= start + dt.timedelta(days=365):
        return Q()
    if start.year == end.year:
        query = Q(**{f"{field}__range": (f"{start:%m-%d}", f"{end:%m-%d}")})
    else:
        query = Q(**{f"{field}__gte": f"{start:%m-%d}"}) | Q(**{f"{field}__lte": f"{end:%m-%d}"})
    if any(
        day.month == 2 and day.day == 28 and not calendar.isleap(day.year)
        for day in each_day(start, end)
    ):
        query |= Q(**{field: "02-29"})
    return query
