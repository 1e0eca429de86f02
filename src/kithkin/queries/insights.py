"""How the practice is going, as figures: the charts of the Dashboard and `kith stats`
(docs/insights.md says what each shows). Each chart is one function returning a
``Chart`` (its months or categories, and one series of numbers per line or bar colour);
the web draws exactly these numbers (``web/charts.py``) with a table of them behind, and
`kith stats` prints them. One or two aggregate queries per chart, whatever the size of
the network; ``stats`` reads them all and keeps them ten minutes (per network and day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from kithkin import clock
from kithkin.models import (
    Attendance,
    Circle,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    ValueExchange,
)
from kithkin.queries.dashboard import report

MONTHS = 12
CACHE_SECONDS = 600


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


def _start(network: Network, months: list[dt.date]) -> dt.datetime:
    return clock.local_noon(months[0], network.time_zone).replace(hour=0)


def _bounds(
    network: Network, months: list[dt.date]
) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """Each month with the instants it starts and ends at in the network's time zone."""
    starts = [*months, (months[-1] + dt.timedelta(days=32)).replace(day=1)]
    instants = [clock.local_noon(day, network.time_zone).replace(hour=0) for day in starts]
    return [(months[i], instants[i], instants[i + 1]) for i in range(len(months))]


def interactions_by_month(network: Network, today: dt.date, count: int = MONTHS) -> Chart:
    # One query a month over the (network, occurred_at) index: grouping a year of
    # interactions by a month computed per row cost seconds on SQLite at a million.
    months = months_until(today, count)
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for month, start, end in _bounds(network, months):
        rows = (
            Interaction.objects.filter(network=network, occurred_at__gte=start, occurred_at__lt=end)
            .values("kind")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[(month, row["kind"])] += row["count"]
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
    an interaction within their cadence before each month's end."""
    months = months_until(today, count)
    circles = list(Circle.objects.filter(network=network, cadence_days__isnull=False))
    people = dict(
        Person.objects.filter(
            network=network, circle__in=circles, archived_at__isnull=True, is_self=False
        ).values_list("pk", "circle_id")
    )
    cadence_of = {c.pk: c.cadence_days or 0 for c in circles}
    longest = max(cadence_of.values(), default=0)
    since = _start(network, months) - dt.timedelta(days=longest)
    # Each person's latest interaction in each month (and in the cadence before the first
    # month): one grouped read a month, by the interactions' time index.
    spans = [(months[0], since, _start(network, months))]
    spans += [(m, a, b) for m, a, b in _bounds(network, months)]
    contacts: dict[int, list[dt.date]] = defaultdict(list)
    for _, lower, upper in spans:
        rows = (
            InteractionParticipant.objects.filter(
                interaction__network=network,
                interaction__occurred_at__gte=lower,
                interaction__occurred_at__lt=upper,
                person__circle__in=circles,
                person__archived_at__isnull=True,
            )
            .values("person_id")
            .annotate(last=Max("interaction__occurred_at"))
            .order_by()
        )
        for row in rows:
            contacts[row["person_id"]].append(clock.local_date(row["last"], network.time_zone))
    series = []
    for circle in circles:
        members = [pk for pk, circle_id in people.items() if circle_id == circle.pk]
        if not members:
            continue
        values: list[int] = []
        for month in months:
            end = _month_end(month, today)
            window = end - dt.timedelta(days=cadence_of[circle.pk])
            kept = sum(1 for pk in members if any(window < d <= end for d in contacts.get(pk, ())))
            values.append(round(100 * kept / len(members)))
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
    introduced by someone, met at an event, or added or imported otherwise."""
    months = months_until(today, count)
    start = _start(network, months)
    zone = clock.zone(network.time_zone)
    rows = (
        Person.objects.filter(network=network, is_self=False)
        .filter(
            Q(connected_on__gte=months[0]) | Q(connected_on__isnull=True, created_at__gte=start)
        )
        .annotate(
            added=TruncMonth("created_at", tzinfo=zone),
            connected=TruncMonth("connected_on"),
            at_event=Exists(Attendance.objects.filter(person=OuterRef("pk"))),
        )
        .values("added", "connected", "introduced_by_id", "at_event")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[dt.date, str], int] = defaultdict(int)
    for row in rows:
        month = _month_of(row["connected"] or row["added"])
        source = (
            SOURCES[0]
            if row["introduced_by_id"] is not None
            else SOURCES[1]
            if row["at_event"]
            else SOURCES[2]
        )
        counts[(month, source)] += row["count"]
    total = sum(v for (m, _), v in counts.items() if m >= months[0])
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
    """Every chart, kept for ``CACHE_SECONDS`` per network and day: at a million
    interactions computing them costs seconds of CPU on SQLite (docs/performance.md), and
    figures by month may lag a few minutes."""
    key = f"kithkin:stats:{network.pk}:{today}:{network.time_zone}"
    found = cache.get(key)
    if found is None:
        found = compute(network, today)
        cache.set(key, found, CACHE_SECONDS)
    return found
