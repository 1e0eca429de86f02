"""Benchmark: warm-intro paths, the charts and the Dashboard (issue 17), beside the agenda
query measured in the same run.

    .venv/bin/python bench/insights_paths.py [--people 30000] [--interactions 1000000]
        [--runs 5] [--targets 8]

On the cached benchmark network (bench/network.py; copy /work/main/bench/.cache/<dir> into
this worktree's bench/.cache/ rather than generating it). Figures:

- ``path query``: ``queries.paths.paths_to`` for ``--targets`` people with the most ties
  and the organizations with the most people now, the median over targets and runs —
  target <= 200 ms. Its first hop reads the stored ``strength.scores`` (refreshed first
  when the cache predates them);
- ``charts computed``: every chart of the Dashboard from the database (``insights.compute``:
  the stored monthly totals and the records, nothing kept between calls);
- ``Dashboard p95``: GET /dashboard/ through Django as the bench user, ``--runs`` x 4
  requests, every chart computed fresh for each — target p95 <= 100 ms;
- ``Dashboard after a change``: the same page right after a logged interaction, median
  (the interaction is in the charts).

Wall-clock medians with the process's CPU time beside them (a shared machine: compare the
ratio to the agenda query of the same run).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import summary, timed
from network import TODAY, prepare


def cpu_timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    function()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--targets", type=int, default=8)
    args = parser.parse_args()
    prepare(args.people, args.interactions, allowed_hosts="testserver,localhost")

    from django.core.cache import cache
    from django.db import transaction
    from django.db.models import Count
    from django.test import Client

    from kithkin.models import Affiliation, Network, Person, Relationship, User
    from kithkin.queries import insights
    from kithkin.queries.agenda import SECTIONS, agenda
    from kithkin.queries.paths import Target, paths_to
    from kithkin.services.interactions import log_interaction

    network = Network.objects.get(name__startswith="Bench")
    user = User.objects.get(username="bench")
    from kithkin.models import Strength
    from kithkin.services import strength as strength_service

    if not Strength.objects.filter(network=network).exists():
        # A cache made before strength was stored: the first hop reads the real scores.
        start = time.perf_counter()
        strength_service.refresh(network)
        print(f"strength refreshed first: {time.perf_counter() - start:.1f} s")
    print(
        f"network: {Person.objects.filter(network=network).count():,} people, "
        f"{Relationship.objects.filter(network=network).count():,} relationships, "
        f"{Affiliation.objects.filter(person__network=network).count():,} affiliations"
    )
    agenda_ms, _ = timed(
        lambda: agenda(network, TODAY, defer=frozenset(SECTIONS)), args.runs, warm=True
    )
    baseline = statistics.median(agenda_ms)
    print(f"agenda query (baseline)            {summary(agenda_ms)}")

    def line(
        name: str, value: float, cpu: float, target: float | None, what: str = "median"
    ) -> None:
        verdict = (
            ""
            if target is None
            else (f"   target <= {target:.0f} ms: {'met' if value <= target else 'MISSED'}")
        )
        print(
            f"{name:34} {what} {value:8.1f} ms   cpu {cpu:8.1f} ms   "
            f"{value / baseline:5.1f}x the agenda query{verdict}"
        )

    # Targets: the people with the most relationships, the organizations with most people.
    busiest = list(
        Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
        .annotate(ties=Count("relationships_from") + Count("relationships_to"))
        .order_by("-ties", "pk")
        .values_list("pk", flat=True)[: args.targets // 2]
    )
    organizations = list(
        Affiliation.objects.filter(person__network=network, end_on__isnull=True)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organization_id", flat=True)[: args.targets - len(busiest)]
    )
    from kithkin.models import Organization

    targets = [Target(person=Person.objects.get(pk=pk)) for pk in busiest] + [
        Target(organization=Organization.objects.get(pk=pk)) for pk in organizations
    ]
    walls: list[float] = []
    cpus: list[float] = []
    found = []
    for target in targets:
        wall, cpu = cpu_timed(
            lambda target=target: found.append(paths_to(network, user, target, today=TODAY)),
            args.runs,
        )
        walls += wall
        cpus += cpu
    sizes = [len(s.paths) for s in found]
    line("path query", statistics.median(walls), statistics.median(cpus), 200)
    print(
        f"{'':34} worst {max(walls):.1f} ms; {len(targets)} targets; paths found per "
        f"target: median {statistics.median(sizes):.0f}, max {max(sizes)}"
    )

    wall, cpu = cpu_timed(lambda: insights.compute(network, TODAY), max(2, args.runs // 2))
    line("charts computed (no cache)", statistics.median(wall), statistics.median(cpu), None)

    client = Client()
    client.force_login(user)
    cache.clear()
    assert client.get("/dashboard/").status_code == 200  # the first view computes
    samples, cpu_samples = cpu_timed(
        lambda: client.get("/dashboard/").status_code == 200 or sys.exit("dashboard failed"),
        args.runs * 4,
    )
    line("Dashboard", p95(samples), statistics.median(cpu_samples), 100, what="p95   ")
    print(
        f"{'':34} median {statistics.median(samples):.1f} ms; cpu p95 {p95(cpu_samples):.1f} ms; "
        f"{len(samples)} requests, every chart computed for each"
    )

    someone = Person.objects.filter(network=network, is_self=False).order_by("pk").first()
    assert someone is not None
    changed = []
    with transaction.atomic():  # the interactions logged are rolled back
        for _ in range(max(2, args.runs // 2)):
            log_interaction(
                network, user, kind="note", people=[someone], summary="bench",
                occurred_at=insights.clock.now(),
            )  # fmt: skip
            start = time.perf_counter()
            client.get("/dashboard/")
            changed.append((time.perf_counter() - start) * 1000)
        transaction.set_rollback(True)
    line("Dashboard after a change", statistics.median(changed), 0.0, None)


if __name__ == "__main__":
    main()
