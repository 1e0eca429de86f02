"""Benchmark: the insights of issue 17, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/insights.py [--people 30000] [--interactions 1000000] [--runs 3]
        [--only strength_full,strength_one]

On the cached benchmark network (bench/network.py; copy /work/main/bench/.cache/<dir> into
this worktree's bench/.cache/ rather than generating it). Figures, one function each in
``FIGURES`` (add a figure by adding a function and a line there):

- ``strength_full``: every person's strength computed and stored from nothing
  (``services.strength.refresh``: the grouped aggregate over 15 months of interactions, the
  ledger's, the formula for today and 90 days ago, 30,000 rows written) — target <= 10 s
  and <= 3x the raw SQL aggregate computing the same factors (the baseline below);
- ``strength_one``: one interaction logged with the busiest person, then their strength
  computed again as the change seam does (``refresh(network, [person])``) — target <= 50 ms
  for the refresh; the note gives the whole logging write, seam included. Rolled back.
- ``people_by_strength``: the first page of People sorted by strength — target <= 1.3x
  the same page sorted by last talked, measured alternately in the same run.

The baseline of ``strength_full`` is one hand-written SQL statement per table (the
participants joined to their interactions, grouped by person and month; the ledger
grouped by the other person) computing the same factors with the same bounds, fetched whole: what the
database alone needs. Timings are wall-clock medians with the process's CPU time beside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import prepare


@dataclass(frozen=True)
class Context:
    network: Any
    user: Any
    runs: int


@dataclass(frozen=True)
class Figure:
    name: str
    samples: list[float]  # ms
    cpu_ms: float
    target_ms: float
    baseline_ms: float | None = None  # measured in the same run
    max_ratio: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool:
        ratio_ok = self.max_ratio is None or (
            self.baseline_ms is not None and self.median <= self.max_ratio * self.baseline_ms
        )
        return self.median <= self.target_ms and ratio_ok


def cpu_timed(
    function: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU samples (ms) of ``function``, after one warm-up run."""
    if before is not None:
        before()
    function()
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def raw_strength_aggregate(network: Any) -> int:
    """The factors of ``services.strength`` for everyone, in hand-written SQL of the same
    shape: each person's contacts, latest contact, deep and inbound contacts by 30-day
    month (15 of them), and the ledger's weights and counts both ways. Returns the rows
    fetched."""
    from django.db import connection

    from kithkin.models import Person
    from kithkin.models.interactions import MEETING_KINDS
    from kithkin.services.strength import SPAN_MONTHS, TREND_MONTHS, window_of
    from kithkin.strength import MONTHS

    window = window_of(network)
    ops = connection.ops

    def at(value: Any) -> Any:
        return ops.adapt_datetimefield_value(value)

    # The month of each interaction (0: the latest), as services.strength groups them.
    month = "CASE " + " ".join(f"WHEN i.occurred_at >= %s THEN {i}" for i in range(SPAN_MONTHS))
    params = [at(window.month(i)[0]) for i in range(SPAN_MONTHS)]
    kinds = ", ".join(f"'{kind}'" for kind in MEETING_KINDS)
    start, end = window.months(0, SPAN_MONTHS - 1)
    interactions = (
        f"SELECT p.person_id, {month} END AS month, COUNT(*), MAX(i.occurred_at), "
        f"COUNT(CASE WHEN i.kind IN ({kinds}) OR i.mentorship_id IS NOT NULL THEN 1 END), "
        "COUNT(CASE WHEN i.direction = 'inbound' THEN 1 END) "
        "FROM kithkin_interactionparticipant p "
        "JOIN kithkin_interaction i ON i.id = p.interaction_id "
        "WHERE i.network_id = %s AND i.occurred_at >= %s AND i.occurred_at < %s "
        "AND i.kind <> 'note' "
        "AND NOT (i.source = 'linkedin' AND i.external_id LIKE 'invitation/%%') "
        "GROUP BY p.person_id, month"
    )
    me = Person.objects.get(network=network, is_self=True).pk
    ledger_columns, ledger_params = [], []
    for first, last in ((0, MONTHS - 1), (TREND_MONTHS, SPAN_MONTHS - 1)):
        within = "v.occurred_on > %s AND v.occurred_on <= %s"
        ledger_columns += [
            f"SUM(CASE WHEN {within} THEN v.weight END)",
            f"COUNT(CASE WHEN {within} THEN 1 END)",
            f"COUNT(CASE WHEN {within} AND v.kind = 'introduction' THEN 1 END)",
        ]
        ledger_params += [
            ops.adapt_datefield_value(window.day_of(last + 1)),
            ops.adapt_datefield_value(window.day_of(first)),
        ] * 3
    ledger = (
        "SELECT CASE WHEN v.giver_id = %s THEN v.receiver_id ELSE v.giver_id END, "
        f"v.giver_id = %s, {', '.join(ledger_columns)} "
        "FROM kithkin_valueexchange v WHERE v.network_id = %s "
        "AND (v.giver_id = %s OR v.receiver_id = %s) "
        "AND v.occurred_on > %s AND v.occurred_on <= %s GROUP BY 1, 2"
    )
    fetched = 0
    with connection.cursor() as cursor:
        cursor.execute(interactions, [*params, network.pk, at(start), at(end)])
        fetched += len(cursor.fetchall())
        cursor.execute(
            ledger,
            [
                me,
                me,
                *ledger_params,
                network.pk,
                me,
                me,
                ops.adapt_datefield_value(window.day_of(SPAN_MONTHS)),
                ops.adapt_datefield_value(window.today),
            ],
        )
        fetched += len(cursor.fetchall())
    return fetched


def strength_full_figure(context: Context) -> Figure:
    from kithkin.models import Person, Strength
    from kithkin.services import strength

    base_wall, base_cpu = cpu_timed(lambda: raw_strength_aggregate(context.network), context.runs)
    rows = raw_strength_aggregate(context.network)

    def empty() -> None:  # from nothing: no stored row, no score on anyone's row
        Strength.objects.filter(network=context.network).delete()
        Person.objects.filter(network=context.network).update(strength_score=None)

    wall, cpu = cpu_timed(lambda: strength.refresh(context.network), context.runs, empty)
    stored = Strength.objects.filter(network=context.network).count()
    baseline, base_cpu_ms = statistics.median(base_wall), statistics.median(base_cpu)
    return Figure(
        "full strength refresh",
        wall,
        statistics.median(cpu),
        10_000,
        baseline,
        3.0,
        f"raw SQL aggregate {baseline:.0f} ms, cpu {base_cpu_ms:.0f} ms ({rows:,} rows); "
        f"by CPU {statistics.median(cpu) / base_cpu_ms:.2f}x; {stored:,} strengths stored",
    )


def strength_one_figure(context: Context) -> Figure:
    """Log one interaction with the busiest person, then refresh their strength as the
    seam does; both inside a transaction rolled back after each sample."""
    from django.db import transaction
    from django.db.models import Count

    from kithkin import clock
    from kithkin.models import InteractionParticipant, Person
    from kithkin.services import strength
    from kithkin.services.interactions import log_interaction

    busiest = (
        InteractionParticipant.objects.filter(interaction__network=context.network)
        .exclude(person__is_self=True)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    person = Person.objects.get(pk=busiest["person_id"])
    logging, refreshing, cpu = [], [], []
    for _ in range(context.runs + 1):
        with transaction.atomic():
            start = time.perf_counter()
            log_interaction(
                context.network,
                context.user,
                kind="call",
                people=[person],
                occurred_at=clock.now(),
            )
            logged = time.perf_counter()
            start_cpu = time.process_time()
            strength.refresh(context.network, [person.pk])
            cpu.append((time.process_time() - start_cpu) * 1000)
            refreshing.append((time.perf_counter() - logged) * 1000)
            logging.append((logged - start) * 1000)
            transaction.set_rollback(True)
    return Figure(
        "incremental refresh, one interaction",
        refreshing[1:],
        statistics.median(cpu[1:]),
        50,
        note=(
            f"{busiest['n']:,} interactions of theirs; logging it, seam included: "
            f"median {statistics.median(logging[1:]):.1f} ms"
        ),
    )


def people_by_strength_figure(context: Context) -> Figure:
    """The first page of People sorted by strength against the same page sorted by last
    talked, measured alternately in the same run (``queries.people_list.people_page``:
    both read a stored column's index, person_strength and person_recent)."""
    from kithkin import clock
    from kithkin.queries.people_list import PeopleFilter, people_page

    today = clock.today_in(context.network.time_zone)
    runs = max(context.runs * 10, 20)
    by_strength, by_recent, cpu = [], [], []
    for sort in ("strength", "recent") * 2:
        people_page(context.network, today, PeopleFilter(sort=sort))  # warm
    for _ in range(runs):
        for sort, samples in (("strength", by_strength), ("recent", by_recent)):
            start, start_cpu = time.perf_counter(), time.process_time()
            page = people_page(context.network, today, PeopleFilter(sort=sort))
            if sort == "strength":
                cpu.append((time.process_time() - start_cpu) * 1000)
            samples.append((time.perf_counter() - start) * 1000)
            assert len(page.rows) == 50
    baseline = statistics.median(by_recent)
    return Figure(
        "People sorted by strength, first page",
        by_strength,
        statistics.median(cpu),
        100,
        baseline,
        1.3,
        f"by last talked {baseline:.1f} ms ({runs} runs each, alternating)",
    )


FIGURES: dict[str, Callable[[Context], Figure]] = {
    "strength_full": strength_full_figure,
    "strength_one": strength_one_figure,
    "people_by_strength": people_by_strength_figure,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(FIGURES), help="Figures, comma-separated.")
    args = parser.parse_args()
    prepare(args.people, args.interactions, allowed_hosts="testserver,localhost")

    from kithkin.models import Network, Person, User

    network = Network.objects.get(name__startswith="Bench")
    user = User.objects.get(username="bench")
    print(f"network: {Person.objects.filter(network=network).count():,} people")
    context = Context(network, user, args.runs)
    for name in args.only.split(","):
        if not name.strip():
            continue
        figure = FIGURES[name.strip()](context)
        ratio = (
            f"   {figure.median / figure.baseline_ms:5.2f}x the baseline (<= {figure.max_ratio}x)"
            if figure.baseline_ms
            else ""
        )
        print(
            f"{figure.name:38} median {figure.median:9.1f} ms   cpu {figure.cpu_ms:9.1f} ms"
            f"{ratio}   target <= {figure.target_ms:,.0f} ms: "
            f"{'met' if figure.met else 'MISSED'}" + (f"   ({figure.note})" if figure.note else ""),
            flush=True,
        )


if __name__ == "__main__":
    main()
