"""How the practice is going, as figures: the charts of the Dashboard and `kith stats`
(docs/insights.md says what each shows). Each chart is one function returning a
``Chart`` (its months or categories, and one series of numbers per line or bar colour);
the web draws exactly these numbers (``web/charts.py``) with a table of them behind, and
`kith stats` prints them. One or two aggregate queries per chart, whatever the size of
the network: the charts over a year of interactions read stored totals kept exact by
every write (``models.insights``), so ``stats`` computes every chart fresh.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth

from kithkin import clock
from kithkin.models import (
    Circle,
    Interaction,
    Network,
    Person,
    ValueExchange,
)
from kithkin.queries.dashboard import Report, report

MONTHS = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


@dataclass(frozen=True)
class Chart:
    """``labels`` along the x axis; one ``Series`` per bar colour (``kind`` "bars": stacked)
    or per line (``kind`` "lines"); ``unit`` says what a value counts."""

    key: str
    title: str
    summary: str
    kind: str  # bars or lines
    unit: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The table behind the chart: one row per label, one value per series."""
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @property
    def total(self) -> int:
        return sum(sum(s.values) for s in self.series)


@dataclass(frozen=True)
class Stats:
    network: str
    today: dt.date
    charts: list[Chart]

    def chart(self, key: str) -> Chart:
        return next(c for c in self.charts if c.key == key)


def months_until(today: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    first = today.replace(day=1)
    found = []
    for _ in range(count):
        found.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return found[::-1]


def _label(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def _month_of(value: dt.date | dt.datetime) -> dt.date:
    return dt.date(value.year, value.month, 1)


def _midnight(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The instant ``day`` begins in ``zone``, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def _bounds(
    network: Network, months: list[dt.date]
) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each month with the instants it starts and ends at in the network's time zone."""
    zone = clock.zone(network.time_zone)
    starts = [*months, (months[-1] + dt.timedelta(days=32)).replace(day=1)]
    instants = [_midnight(day, zone) for day in starts]
    return [(months[i], instants[i], instants[i + 1]) for i in range(len(months))]


def _utc_midnight(instant: dt.datetime) -> dt.datetime:
    """The UTC midnight nearest ``instant``."""
    floor = instant.replace(hour=0, minute=0, second=0, microsecond=0)
    return floor if instant - floor <= dt.timedelta(hours=12) else floor + dt.timedelta(days=1)


def _grouped(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """The rows of one grouped statement. The charts' heaviest reads are written as plain
    SQL both engines run alike (CASE, EXISTS, GROUP BY by position) and return only
    numbers and text: the ORM spent more building their CASEs than the database running
    them."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _instant(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _bucket(column: str, op: str, limits: list[Any]) -> tuple[str, list[Any]]:
    """``CASE WHEN column <op> limits[0] THEN 0 WHEN ... THEN 1 ... END``: the index of the
    first limit a value is within (NULL past the last)."""
    whens = " ".join(f"WHEN {column} {op} %s THEN {i}" for i in range(len(limits)))
    return f"CASE {whens} END", list(limits)


def _kinds_between(
    network: Network, spans: list[tuple[dt.datetime, dt.datetime]]
) -> dict[tuple[int, str], int]:
    """The network's interactions in each of ``spans`` (``[lower, upper)``, disjoint, in
    order; a few hours each) by kind, read from the rows in one grouped query along the
    (network, occurred_at) index: {(index of the span, kind): count}."""
    wanted = [(i, lower, upper) for i, (lower, upper) in enumerate(spans) if lower < upper]
    if not wanted:
        return {}
    which = " ".join(f"WHEN occurred_at < %s THEN {i}" for i, _, _ in wanted)
    within = " OR ".join("(occurred_at >= %s AND occurred_at < %s)" for _ in wanted)
    params: list[Any] = [_instant(upper) for _, _, upper in wanted]
    params.append(network.pk)
    params += [_instant(t) for _, lower, upper in wanted for t in (lower, upper)]
    rows = _grouped(
        f"SELECT CASE {which} END, kind, COUNT(*) FROM kithkin_interaction "
        f"WHERE network_id = %s AND ({within}) GROUP BY 1, 2",
        params,
    )
    return {(i, kind): count for i, kind, count in rows}


def _interaction_counts(network: Network, months: list[dt.date]) -> dict[tuple[dt.date, str], int]:
    """Interactions per local month and kind: each month's whole UTC days from the stored
    totals (``InteractionDay``), corrected at each end by the rows between its local
    midnight and the nearest UTC midnight (none in UTC, an hour or two in Paris)."""
    bounds = _bounds(network, months)
    edges = [bounds[0][1], *(end for _, _, end in bounds)]
    nearest = [_utc_midnight(edge) for edge in edges]
    # The stored days summed per month in the database: a day belongs to the month whose
    # nearest UTC midnights enclose it.
    month_of, params = _bucket("day", "<", [_day(m.date()) for m in nearest[1:]])
    rows = _grouped(
        f"SELECT {month_of}, kind, SUM(count) FROM kithkin_interactionday "
        "WHERE network_id = %s AND day >= %s AND day < %s GROUP BY 1, 2",
        [*params, network.pk, _day(nearest[0].date()), _day(nearest[-1].date())],
    )
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for i, kind, total in rows:
        counts[(months[i], kind)] += total
    # An edge between two months moves the rows between it and its UTC midnight from the
    # month the stored day counted them in to the one they belong to.
    moved = _kinds_between(
        network, [(min(e, m), max(e, m)) for e, m in zip(edges, nearest, strict=True)]
    )
    for (i, kind), count in moved.items():
        before = months[i - 1] if i > 0 else None  # the month ending at this edge
        after = months[i] if i < len(months) else None  # the month starting at it
        # [edge, midnight): counted in ``before``, belong to ``after``; else the reverse.
        source, target = (before, after) if edges[i] < nearest[i] else (after, before)
        if source is not None:
            counts[(source, kind)] -= count
        if target is not None:
            counts[(target, kind)] += count
    return counts


def interactions_by_month(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    months = months_until(today, count)
    counts = _interaction_counts(network, months)
    series = [
        Series(str(label), [counts[(m, kind)] for m in months])
        for kind, label in Interaction.Kind.choices
        if any(counts[(m, kind)] for m in months)
    ]
    total = sum(counts.values())
    return Chart(
        "interactions",
        "Interactions per month",
        f"{total} interaction{'s' if total != 1 else ''} in {count} months, by kind.",
        "bars",
        "interactions",
        [_label(m) for m in months],
        series,
    )


def _month_end(month: dt.date, today: dt.date) -> dt.date:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return min(today, following - dt.timedelta(days=1))


def cadence_kept(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    """For each circle with a cadence: the share of its people (as they are now) who had
    an interaction within their cadence before each month's end (today for this month):
    the stored spans (``KeptSpan``) covering that day, from two grouped reads."""
    months = months_until(today, count)
    ends = [_month_end(month, today) for month in months]
    circles = list(Circle.objects.filter(network=network, cadence_days__isnull=False))
    # The circles are the network's: its people in them are counted from the index
    # person_in_circle alone.
    members = dict(
        Person.objects.filter(circle__in=circles, archived_at__isnull=True, is_self=False)
        .values("circle_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("circle_id", "count")
    )

    # Spans covering a day E: those begun by E less those ended by E (each begins before
    # it ends); spans ended before the first E count in neither. Each day is read as the
    # first E on or after it (a CASE: a few comparisons a row, a few rows back).
    kept: dict[int, list[int]] = defaultdict(lambda: [0] * len(ends))
    for column, sign in (("start", 1), ('"end"', -1)):
        first, params = _bucket(column, "<=", [_day(end) for end in ends])
        rows = _grouped(
            f"SELECT circle_id, {first}, COUNT(*) FROM kithkin_keptspan "
            f'WHERE network_id = %s AND "end" > %s AND {column} <= %s GROUP BY 1, 2',
            [*params, network.pk, _day(ends[0]), _day(ends[-1])],
        )
        for circle_id, first, number in rows:
            counts = kept[circle_id]
            for i in range(first, len(ends)):
                counts[i] += sign * number
    series = []
    for circle in circles:
        total = members.get(circle.pk, 0)
        if not total:
            continue
        values = [round(100 * n / total) for n in kept[circle.pk]]
        series.append(Series(circle.name, values))
    return Chart(
        "cadence",
        "Circles kept on cadence",
        "Share of each circle's people (%) in touch within the circle's cadence at each "
        "month's end.",
        "lines",
        "%",
        [_label(m) for m in months],
        series,
    )


def follow_ups_on_time(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    """Follow-ups due each month (up to today): done by their due date, done later, open."""
    months = months_until(today, count)
    # Plain rows (dates as each engine gives them), and each due day's end computed once:
    # the ORM's converters cost more than the comparisons.
    rows = _grouped(
        "SELECT due_on, done_at FROM kithkin_followup "
        "WHERE network_id = %s AND due_on >= %s AND due_on <= %s",
        [network.pk, _day(months[0]), _day(today)],
    )
    zone = clock.zone(network.time_zone)
    ends: dict[dt.date, dt.datetime] = {}
    on_time: dict[dt.date, int] = defaultdict(int)
    late: dict[dt.date, int] = defaultdict(int)
    still_open: dict[dt.date, int] = defaultdict(int)
    for due, done in rows:
        due_on = dt.date.fromisoformat(due) if isinstance(due, str) else due
        month = due_on.replace(day=1)
        if done is None:
            still_open[month] += 1
            continue
        done_at = dt.datetime.fromisoformat(done) if isinstance(done, str) else done
        if done_at.tzinfo is None:  # SQLite: UTC, stored without its offset
            done_at = done_at.replace(tzinfo=dt.UTC)
        if due_on not in ends:
            ends[due_on] = _midnight(due_on + dt.timedelta(days=1), zone)
        if done_at < ends[due_on]:  # done on or before its local due date
            on_time[month] += 1
        else:
            late[month] += 1
    done = sum(on_time.values())
    total = done + sum(late.values()) + sum(still_open.values())
    share = f"{round(100 * done / total)}%" if total else "none"
    return Chart(
        "follow_ups",
        "Follow-ups done on time",
        f"Follow-ups due each month: {share} of {total} done by their due date.",
        "bars",
        "follow-ups",
        [_label(m) for m in months],
        [
            Series("on time", [on_time[m] for m in months]),
            Series("late", [late[m] for m in months]),
            Series("not done", [still_open[m] for m in months]),
        ],
    )


def given_and_received(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    """Value given and received each month, by weight (1 small to 5 life-changing)."""
    months = months_until(today, count)
    rows = (
        ValueExchange.objects.filter(network=network, occurred_on__gte=months[0])
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(
            given=Sum("weight", filter=Q(giver__is_self=True), default=0),
            received=Sum("weight", filter=Q(receiver__is_self=True), default=0),
        )
        .order_by()
    )
    given: dict[dt.date, int] = defaultdict(int)
    received: dict[dt.date, int] = defaultdict(int)
    for row in rows:
        given[_month_of(row["month"])] += row["given"]
        received[_month_of(row["month"])] += row["received"]
    return Chart(
        "value",
        "Given and received",
        f"Value you gave ({sum(given.values())}) and received ({sum(received.values())}) "
        "each month, by weight.",
        "lines",
        "weight",
        [_label(m) for m in months],
        [
            Series("given", [given[m] for m in months]),
            Series("received", [received[m] for m in months]),
        ],
    )


# Where a new person came from, in the order the chart stacks them.
SOURCES = ("introduced", "met at an event", "added or imported")


def new_people(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    """People new each month (connected on, else added on), by where they came from:
    introduced by someone, met at an event, or added or imported otherwise. Two grouped
    reads along the person_new index: those connected on a date in the months, and the
    others added in them, each given its month by a CASE (no function per row)."""
    months = months_until(today, count)
    bounds = _bounds(network, months)
    following = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    sources = (
        "introduced_by_id IS NOT NULL, "
        "EXISTS (SELECT 1 FROM kithkin_attendance a WHERE a.person_id = p.id), COUNT(*)"
    )
    connected_in, params = _bucket(
        "connected_on", "<", [_day((m + dt.timedelta(days=32)).replace(day=1)) for m in months]
    )
    rows = _grouped(
        f"SELECT {connected_in}, {sources} FROM kithkin_person p WHERE network_id = %s "
        "AND connected_on >= %s AND connected_on < %s AND NOT is_self GROUP BY 1, 2, 3",
        [*params, network.pk, _day(months[0]), _day(following)],
    )
    added_in, params = _bucket("created_at", "<", [_instant(end) for _, _, end in bounds])
    rows += _grouped(
        f"SELECT {added_in}, {sources} FROM kithkin_person p WHERE network_id = %s "
        "AND connected_on IS NULL AND created_at >= %s AND created_at < %s AND NOT is_self "
        "GROUP BY 1, 2, 3",
        [*params, network.pk, _instant(bounds[0][1]), _instant(bounds[-1][2])],
    )
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for i, introduced, at_event, number in rows:
        source = SOURCES[0] if introduced else SOURCES[1] if at_event else SOURCES[2]
        counts[(months[i], source)] += number
    total = sum(counts.values())
    return Chart(
        "people",
        "New people per month",
        f"{total} new {'person' if total == 1 else 'people'} in {count} months, by source.",
        "bars",
        "people",
        [_label(m) for m in months],
        [Series(source, [counts[(m, source)] for m in months]) for source in SOURCES],
    )


def opportunities(network: Network, found: Report | None = None) -> Chart:
    """Opportunities by outcome (status), split by source: through the network (someone
    brought it) or found yourself: ``queries.dashboard.report``'s figures (``found``: that
    report, when the caller has it already)."""
    found = found or report(network)
    statuses = [s for s in found.by_status if s.total]
    return Chart(
        "opportunities",
        "Opportunities by source and outcome",
        f"{found.total.through_network} of {found.total.total} came through someone you know.",
        "bars",
        "opportunities",
        [str(s.label) for s in statuses],
        [
            Series("through your network", [s.through_network for s in statuses]),
            Series("found yourself", [s.direct for s in statuses]),
        ],
    )


def compute(network: Network, today: dt.date, found: Report | None = None) -> Stats:
    """Every chart; ``found``: the network's ``dashboard.report``, if read already."""
    return Stats(
        network=network.name,
        today=today,
        charts=[
            interactions_by_month(network, today),
            cadence_kept(network, today),
            follow_ups_on_time(network, today),
            given_and_received(network, today),
            new_people(network, today),
            opportunities(network, found),
        ],
    )


def stats(network: Network, today: dt.date, found: Report | None = None) -> Stats:
    """Every chart, computed now from the stored totals and the records: what was just
    logged is in it."""
    return compute(network, today, found)
