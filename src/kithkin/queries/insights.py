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

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from kithkin import clock
from kithkin.models import (
    Attendance,
    Circle,
    FollowUp,
    Interaction,
    InteractionDay,
    KeptSpan,
    Network,
    Person,
    ValueExchange,
)
from kithkin.queries.dashboard import report

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


def _kinds_between(
    network: Network, spans: list[tuple[dt.datetime, dt.datetime]]
) -> dict[tuple[int, str], int]:
    """The network's interactions in each of ``spans`` (``[lower, upper)``, disjoint, in
    order; a few hours each) by kind, read from the rows in one grouped query along the
    (network, occurred_at) index: {(index of the span, kind): count}."""
    wanted = [(i, lower, upper) for i, (lower, upper) in enumerate(spans) if lower < upper]
    if not wanted:
        return {}
    within = Q()
    for _, lower, upper in wanted:
        within |= Q(occurred_at__gte=lower, occurred_at__lt=upper)
    which = Case(
        *(When(occurred_at__lt=upper, then=Value(i)) for i, _, upper in wanted),
        output_field=IntegerField(),
    )
    rows = (
        Interaction.objects.filter(within, network=network)
        .annotate(span=which)
        .values("span", "kind")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("span", "kind", "count")
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
    month_of = Case(
        *(When(day__lt=nearest[i + 1].date(), then=Value(i)) for i in range(len(months))),
        output_field=IntegerField(),
    )
    rows = (
        InteractionDay.objects.filter(
            network=network, day__gte=nearest[0].date(), day__lt=nearest[-1].date()
        )
        .annotate(month=month_of)
        .values("month", "kind")
        .annotate(total=Sum("count"))
        .order_by()
        .values_list("month", "kind", "total")
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
    def first_end_from(day: str) -> Case:
        return Case(
            *(When(**{f"{day}__lte": end}, then=Value(i)) for i, end in enumerate(ends)),
            output_field=IntegerField(),
        )

    spans = KeptSpan.objects.filter(network=network, end__gt=ends[0])
    kept: dict[int, list[int]] = defaultdict(lambda: [0] * len(ends))
    for day, sign in (("start", 1), ("end", -1)):
        rows = (
            spans.filter(**{f"{day}__lte": ends[-1]})
            .annotate(first=first_end_from(day))
            .values("circle_id", "first")
            .annotate(count=Count("pk"))
            .order_by()
            .values_list("circle_id", "first", "count")
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
    rows = FollowUp.objects.filter(
        network=network, due_on__gte=months[0], due_on__lte=today
    ).values_list("due_on", "done_at")
    on_time: dict[dt.date, int] = defaultdict(int)
    late: dict[dt.date, int] = defaultdict(int)
    still_open: dict[dt.date, int] = defaultdict(int)
    for due_on, done_at in rows:
        month = _month_of(due_on)
        if done_at is None:
            still_open[month] += 1
        elif clock.local_date(done_at, network.time_zone) <= due_on:
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
    queries: those connected on a date, grouped by it; the others by a CASE over the
    instants the months start at, along the people's (network, created_at) index (no
    function per row)."""
    months = months_until(today, count)
    bounds = _bounds(network, months)
    following = (months[-1] + dt.timedelta(days=32)).replace(day=1)
    sources = {
        "was_introduced": ExpressionWrapper(
            Q(introduced_by__isnull=False), output_field=BooleanField()
        ),
        "at_event": Exists(Attendance.objects.filter(person=OuterRef("pk"))),
    }
    people = Person.objects.filter(network=network, is_self=False)
    connected = (
        people.filter(connected_on__gte=months[0], connected_on__lt=following)
        .annotate(**sources)
        .values("connected_on", *sources)
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("connected_on", *sources, "count")
    )
    added_in = Case(
        *(
            When(created_at__gte=start, then=Value(i))
            for i, (_, start, _) in reversed(list(enumerate(bounds)))
        ),
        output_field=IntegerField(),
    )
    added = (
        people.filter(
            connected_on__isnull=True,
            created_at__gte=bounds[0][1],
            created_at__lt=bounds[-1][2],
        )
        .annotate(month=added_in, **sources)
        .values("month", *sources)
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("month", *sources, "count")
    )
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    rows = [(_month_of(day), *rest) for day, *rest in connected]
    rows += [(months[i], *rest) for i, *rest in added]
    for month, introduced, at_event, number in rows:
        source = SOURCES[0] if introduced else SOURCES[1] if at_event else SOURCES[2]
        counts[(month, source)] += number
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


def opportunities(network: Network) -> Chart:
    """Opportunities by outcome (status), split by source: through the network (someone
    brought it) or found yourself: ``queries.dashboard.report``'s figures."""
    found = report(network)
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


def compute(network: Network, today: dt.date) -> Stats:
    return Stats(
        network=network.name,
        today=today,
        charts=[
            interactions_by_month(network, today),
            cadence_kept(network, today),
            follow_ups_on_time(network, today),
            given_and_received(network, today),
            new_people(network, today),
            opportunities(network),
        ],
    )


def stats(network: Network, today: dt.date) -> Stats:
    """Every chart, computed now from the stored totals and the records: what was just
    logged is in it."""
    return compute(network, today)
