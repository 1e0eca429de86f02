"""Relationship strength as derived state (``models.Strength``): the factors of
``kithkin.strength`` counted for many people at once, scored, and stored where they
changed.

- :func:`refresh` counts the factors of some people (or everyone) in one statement over
  their interactions of the last 15 thirty-day months (grouped by person and month, then
  summed per person over twelve months for today and twelve for 90 days ago: the trend)
  and one over the network's ledger of that time, scores both days by the network's
  weights, and writes the rows that changed (and each score on its Person row, which
  People sorts by) in one transaction. ``services.derived_state`` calls it for the
  people a change touched (an interaction logged, edited or deleted, value given or
  received, people merged), in the writer's transaction.
- The ``strength`` job computes every network again once a day, in its own time zone:
  recency decays and the windows move although nothing was written.
- New weights refresh everyone: at once in a network of up to ``INLINE_UP_TO`` people,
  else by the worker (the ``refresh_strength_task`` task).

Per network, not per member: a network has one *me* (``Person.is_self``), and its
interactions and ledger are that *me*'s whoever logged them (docs/strength.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django_tasks import task

from kithkin import access, clock, jobs
from kithkin import strength as formula
from kithkin.errors import InvalidInput
from kithkin.models import (
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    Strength,
    StrengthSettings,
    User,
    ValueExchange,
)
from kithkin.models.interactions import MEETING_KINDS, is_invitation
from kithkin.models.rows import insert_rows, update_rows
from kithkin.services import changes

MONTH_DAYS = 30
TREND_MONTHS = 3  # the trend compares with 90 days ago: three months back
SPAN_MONTHS = formula.MONTHS + TREND_MONTHS  # 15 months read for both days
INLINE_UP_TO = 2000
CHUNK = 5000


@dataclass(frozen=True)
class Window:
    """The instants that bound each 30-day month counted back from ``today`` (local):
    month ``i`` holds what happened on the local days (today - 30(i+1), today - 30i]."""

    today: dt.date
    time_zone: str

    def end_of(self, day: dt.date) -> dt.datetime:
        """The first instant after the local day ``day``."""
        start = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(), clock.zone(self.time_zone)
        )
        return start.astimezone(dt.UTC)

    def month(self, i: int) -> tuple[dt.datetime, dt.datetime]:
        return (
            self.end_of(self.today - dt.timedelta(days=MONTH_DAYS * (i + 1))),
            self.end_of(self.today - dt.timedelta(days=MONTH_DAYS * i)),
        )

    def months(self, first: int, last: int) -> tuple[dt.datetime, dt.datetime]:
        """From the start of month ``last`` to the end of month ``first``."""
        return self.month(last)[0], self.month(first)[1]

    def day_of(self, i: int) -> dt.date:
        return self.today - dt.timedelta(days=MONTH_DAYS * i)


def window_of(network: Network, today: dt.date | None = None) -> Window:
    return Window(today or clock.today_in(network.time_zone), network.time_zone)


def _talk(prefix: str = "interaction__") -> Q:
    """What counts as contact: not a note, not a LinkedIn invitation to connect."""
    return ~is_invitation(prefix) & ~Q(**{f"{prefix}kind": Interaction.Kind.NOTE})


def month_of(window: Window) -> Case:
    """Which of the 15 months (0: the latest) an interaction falls in: one CASE, whose
    first true branch ends it, instead of two comparisons per month and aggregate."""
    at = "interaction__occurred_at"
    return Case(
        *(When(**{f"{at}__gte": window.month(i)[0]}, then=Value(i)) for i in range(SPAN_MONTHS)),
        output_field=IntegerField(),
    )


def interaction_aggregates() -> dict[str, Any]:
    """Per person and month, over their ``InteractionParticipant`` rows: the contacts, the
    latest, the deep ones and those they started."""
    deep = Q(interaction__kind__in=MEETING_KINDS) | Q(interaction__mentorship__isnull=False)
    return {
        "contacts": Count("pk"),
        "latest": Max("interaction__occurred_at"),
        "deep": Count("pk", filter=deep),
        "inbound": Count("pk", filter=Q(interaction__direction=Interaction.Direction.INBOUND)),
    }


# Each person's interaction factors, today's and 90 days ago's: (contacts, latest, deep,
# inbound, months with contact) of the twelve months counted for each day.
Counted = tuple[int, dt.datetime | None, int, int, int]
# The months each day adds up, as a condition on the month: 0-11 today, 3-14 then.
_DAYS = (("<", formula.MONTHS), (">=", TREND_MONTHS))


# Some people's participations join their interactions in that order on SQLite: CROSS
# JOIN is SQLite's documented way to fix the order of a join. Left to itself, with the
# window's range on occurred_at and a few hundred people in the IN list, it walks every
# interaction of the window (or of the table) and probes each against every person: a
# mail sync's batch touching 500 people took 3.7 s, from the people 0.04 s.
_JOIN = 'FROM "kithkin_interactionparticipant" INNER JOIN "kithkin_interaction" ON'
_PEOPLE_FIRST = 'FROM "kithkin_interactionparticipant" CROSS JOIN "kithkin_interaction" ON'


def _counted(
    network: Network, window: Window, ids: list[int] | None
) -> dict[int, tuple[Counted, Counted]]:
    """Each person's factors from their interactions, for today and 90 days ago, in one
    statement: the ORM's aggregate grouped by person and month, summed by SQL again per
    person over each day's twelve months, so the database returns one row a person (not
    one a person and month) and Python sums nothing."""
    months = (
        _participations(network, window, ids)
        .annotate(month=month_of(window))
        .values("person_id", "month")
        .annotate(**interaction_aggregates())
        .values_list("person_id", "month", "contacts", "latest", "deep", "inbound")
    )
    inner, inner_params = months.query.sql_with_params()
    if ids is not None and connection.vendor == "sqlite":
        assert _JOIN in inner, "the ORM's join changed: see _PEOPLE_FIRST"
        inner = inner.replace(_JOIN, _PEOPLE_FIRST, 1)
    columns, params = [], []
    for operator, bound in _DAYS:
        when = f'm."month" {operator} %s'
        columns += [
            f"SUM(CASE WHEN {when} THEN m.contacts END)",
            f"MAX(CASE WHEN {when} THEN m.latest END)",
            f"SUM(CASE WHEN {when} THEN m.deep END)",
            f"SUM(CASE WHEN {when} THEN m.inbound END)",
            f"COUNT(CASE WHEN {when} THEN 1 END)",  # a (person, month) row has a contact
        ]
        params += [bound] * 5
    sql = f"SELECT m.person_id, {', '.join(columns)} FROM ({inner}) m GROUP BY m.person_id"
    found: dict[int, tuple[Counted, Counted]] = {}
    # Run as compiled, without the ORM's converters: fromisoformat reads SQLite's text of
    # an instant, PostgreSQL's driver gives instants already.
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        while chunk := cursor.fetchmany(5000):
            for pk, *values in chunk:
                found[pk] = (_day(values[:5]), _day(values[5:]))
    return found


def _day(values: list[Any]) -> Counted:
    contacts, latest, deep, inbound, months = values
    if isinstance(latest, str):
        latest = dt.datetime.fromisoformat(latest).replace(tzinfo=dt.UTC)
    # int(): PostgreSQL sums its counts (bigint) as numeric
    return (int(contacts or 0), latest, int(deep or 0), int(inbound or 0), months)


def _participations(network: Network, window: Window, ids: list[int] | None) -> Any:
    start, end = window.months(0, SPAN_MONTHS - 1)
    rows = InteractionParticipant.objects.filter(
        _talk(), interaction__occurred_at__gte=start, interaction__occurred_at__lt=end
    )
    if ids is None:
        return rows.filter(interaction__network=network)
    # By person only (as refresh_check_ins): with the network's condition too, SQLite walks
    # every interaction of the network (and see _PEOPLE_FIRST).
    return rows.filter(person_id__in=ids)


def ledger_aggregates(window: Window) -> dict[str, Any]:
    """Per person, over value exchanges with *me*: the weights and counts of each year."""
    found: dict[str, Any] = {}
    for day, (first, last) in (
        ("now", (0, formula.MONTHS - 1)),
        ("then", (TREND_MONTHS, SPAN_MONTHS - 1)),
    ):
        within = Q(occurred_on__gt=window.day_of(last + 1), occurred_on__lte=window.day_of(first))
        found[f"weight_{day}"] = Sum("weight", filter=within)
        found[f"count_{day}"] = Count("pk", filter=within)
        found[f"introductions_{day}"] = Count(
            "pk", filter=within & Q(kind=ValueExchange.Kind.INTRODUCTION)
        )
    return found


def _ledger(
    network: Network, window: Window, me: int, ids: list[int] | None
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """What I gave each person and what each gave me, by the ledger's aggregates."""
    oldest = window.day_of(SPAN_MONTHS)
    rows = ValueExchange.objects.filter(
        network=network, occurred_on__gt=oldest, occurred_on__lte=window.today
    )
    aggregates = ledger_aggregates(window)
    given_rows = rows.filter(giver_id=me)
    received_rows = rows.filter(receiver_id=me)
    if ids is not None:
        given_rows = given_rows.filter(receiver_id__in=ids)
        received_rows = received_rows.filter(giver_id__in=ids)
    given: dict[int, dict[str, Any]] = {
        row["receiver_id"]: dict(row)
        for row in given_rows.values("receiver_id").annotate(**aggregates)
    }
    received: dict[int, dict[str, Any]] = {
        row["giver_id"]: dict(row)
        for row in received_rows.values("giver_id").annotate(**aggregates)
    }
    return given, received


def factors_of(
    counted: Counted | None,
    given: dict[str, Any] | None,
    received: dict[str, Any] | None,
    window: Window,
    day: str,
) -> formula.Factors:
    """One person's factors on ``day`` ("now" or "then": 90 days ago) from their counted
    interactions of that day's twelve months and their ledger's aggregates."""
    contacts, latest, deep, inbound, months = counted or (0, None, 0, 0, 0)
    g, r = given or {}, received or {}
    days = None
    if latest is not None:
        first = 0 if day == "now" else TREND_MONTHS
        days = (window.day_of(first) - clock.local_date(latest, window.time_zone)).days
    return formula.Factors(
        days_since_last=days,
        interactions=contacts,
        deep=deep,
        months=months,
        they_reached_out=inbound,
        given_weight=g.get(f"weight_{day}") or 0,
        given_count=g.get(f"count_{day}") or 0,
        introductions=g.get(f"introductions_{day}") or 0,
        received_weight=r.get(f"weight_{day}") or 0,
        received_count=r.get(f"count_{day}") or 0,
    )


def weights_of(network: Network) -> formula.Weights:
    stored = StrengthSettings.objects.filter(network=network).values_list("weights", flat=True)
    return formula.Weights.of(next(iter(stored), {}))


def refresh(
    network: Network, person_ids: Iterable[int] | None = None, *, today: dt.date | None = None
) -> int:
    """Compute the strength of some people (or everyone) and store what changed, in one
    transaction; how many rows were written or removed. Everyone's is computed before the
    transaction begins (SQLite's write lock is taken at BEGIN: writers wait for the
    writing alone, not for the aggregate over a year of interactions)."""
    window = window_of(network, today)
    weights = weights_of(network)
    me = Person.objects.filter(network=network, is_self=True).values_list("pk", flat=True).first()
    if person_ids is None:
        computed = _compute(network, window, weights, me, None)
        with transaction.atomic():
            changed = _store(network, computed, None)
            StrengthSettings.objects.update_or_create(
                network=network, defaults={"refreshed_on": window.today}
            )
        return changed
    ids = sorted(set(person_ids) - {me})
    with transaction.atomic():
        return sum(
            _store(network, _compute(network, window, weights, me, chunk), chunk)
            for chunk in (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))
        )


# A person's stored values: score, before, trend, factors, words.
Computed = dict[int, tuple[int, int, int, dict[str, Any], list[str]]]


def _compute(
    network: Network,
    window: Window,
    weights: formula.Weights,
    me: int | None,
    ids: list[int] | None,
) -> Computed:
    """The strength of ``ids`` (None: everyone) with anything that counts, now or then."""
    counted = _counted(network, window, ids)
    given, received = _ledger(network, window, me, ids) if me is not None else ({}, {})
    computed: Computed = {}
    for pk in counted.keys() | given.keys() | received.keys():
        if pk == me:
            continue
        now_counted, then_counted = counted.get(pk, (None, None))
        g, r = given.get(pk), received.get(pk)
        factors = factors_of(now_counted, g, r, window, "now")
        now = formula.score(factors, weights)
        then = formula.score(factors_of(then_counted, g, r, window, "then"), weights, words=False)
        if now.value or then.value:
            computed[pk] = (
                now.value,
                then.value,
                formula.trend(now.value, then.value),
                factors.as_dict(),
                list(now.words),
            )
    return computed


FIELDS = ("score", "before", "trend", "factors", "words")


def _store(network: Network, computed: Computed, ids: list[int] | None) -> int:
    """Write what was computed for ``ids`` (None: everyone): their Strength rows and the
    score on their Person row. How many Strength rows were written or removed."""
    now = clock.now()
    _store_scores(network, {pk: values[0] for pk, values in computed.items()}, ids)
    if ids is None:  # everyone: nearly every row changes (recency decays), so replace them
        gone_count, _ = Strength.objects.filter(network=network).delete()
        rows = [(pk, network.pk, *values, now) for pk, values in computed.items()]
        insert_rows(Strength, ("person", "network", *FIELDS, "computed_at"), rows)
        return len(rows) + gone_count
    stored = Strength.objects.filter(network=network, person_id__in=ids)
    current = {row[0]: tuple(row[1:]) for row in stored.values_list("person_id", *FIELDS)}
    gone = [pk for pk in current if pk not in computed]
    if gone:
        Strength.objects.filter(person_id__in=gone).delete()
    new, changed = [], []
    for pk, values in computed.items():
        stored_values = current.get(pk)
        if stored_values is None:
            new.append((pk, network.pk, *values, now))
        elif stored_values != values:
            changed.append((pk, *values, now))
    # executemany, not bulk_create: a full refresh writes 30,000 rows of JSON, which the
    # ORM compiles value by value (two thirds of the refresh's time).
    insert_rows(Strength, ("person", "network", *FIELDS, "computed_at"), new)
    update_rows(Strength, (*FIELDS, "computed_at"), changed)
    return len(new) + len(changed) + len(gone)


def _store_scores(network: Network, scores: dict[int, int], ids: list[int] | None) -> None:
    """Each person's ``strength_score`` (People's sort by strength reads it from its
    index, person_strength) made equal to their stored score, None without one: only
    the people whose score moved are written."""
    people = Person.objects.filter(network=network, strength_score__isnull=False)
    if ids is not None:
        people = Person.objects.filter(network=network, pk__in=ids)
    current = dict(people.values_list("pk", "strength_score"))
    moved: list[tuple[int, int | None]] = [
        (pk, score) for pk, score in scores.items() if current.get(pk) != score
    ]
    moved += [(pk, None) for pk, score in current.items() if score is not None and pk not in scores]
    update_rows(Person, ("strength_score",), moved)


def set_weights(
    network: Network,
    actor: User,
    *,
    preset: str | None = None,
    weights: dict[str, object] | None = None,
) -> formula.Weights:
    """Choose the network's strength weights: a preset by name, or each factor's weight
    (0-10; a factor left out keeps its current weight). Everyone's strength is computed
    again (through the change seam)."""
    access.require_write(actor, network)
    if preset is not None:
        if preset not in formula.PRESETS:
            names = ", ".join(formula.PRESETS)
            raise InvalidInput("preset", f"must be one of {names}")
        chosen = formula.PRESETS[preset]
    else:
        merged: dict[str, object] = {**weights_of(network).as_dict(), **(weights or {})}
        unknown = set(merged) - set(formula.FACTORS)
        if unknown:
            raise InvalidInput("weights", f"unknown factor {sorted(unknown)[0]!r}")
        try:
            chosen = formula.Weights.of(merged)
        except ValueError as error:
            raise InvalidInput("weights", str(error)) from None
        if not any(chosen.as_dict().values()):
            raise InvalidInput("weights", "at least one factor must count")
    with transaction.atomic():
        StrengthSettings.objects.update_or_create(
            network=network, defaults={"weights": chosen.as_dict()}
        )
        changes.network_updated(network, actor, ["strength_weights"])
    return chosen


def refresh_everyone(network: Network) -> None:
    """After new weights: everyone's strength again, now in a small network, else by the
    worker (the stored scores stay meanwhile, and the daily job would also catch it)."""
    StrengthSettings.objects.update_or_create(network=network, defaults={"refreshed_on": None})
    if Person.objects.filter(network=network).count() <= INLINE_UP_TO:
        refresh(network)
    else:
        refresh_strength_task.enqueue(network.pk)


@task()
def refresh_strength_task(network_id: int) -> int:
    """The worker's task: every strength of a network again."""
    network = Network.objects.filter(pk=network_id).first()
    return refresh(network) if network is not None else 0


@jobs.job("strength", every=dt.timedelta(hours=1))
def refresh_daily(now: dt.datetime) -> int:
    """Every network whose strengths were not computed today (in its zone) yet: recency
    decays and the months move on although nothing was written. Claimed per network and
    day, so two workers never compute the same one."""
    done = 0
    for network in Network.objects.all():
        today = now.astimezone(clock.zone(network.time_zone)).date()
        refreshed = (
            StrengthSettings.objects.filter(network=network)
            .values_list("refreshed_on", flat=True)
            .first()
        )
        if refreshed == today:
            continue
        key = f"strength:{network.pk}:{today.isoformat()}"
        if not jobs.claim(key):
            continue
        refresh(network, today=today)
        jobs.finish(key)
        done += 1
    return done
