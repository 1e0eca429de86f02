"""Benchmark: logging an interaction on a large network, beside a raw SQL insert of the
same rows measured in the same run.

    .venv/bin/python bench/log_interaction.py [--people 30000] [--interactions 1000000] [--runs 30]

Each run logs a call with one person through ``kithkin.services.interactions
.log_interaction`` (the interaction, its participant, earlier questions answered, the
person's due date and interaction tally recounted, the undo record) inside a transaction
that is rolled back, so every run starts from the same network. Two people: a typical one
and the busiest (the most interactions: their tally is the largest to recount). The
baseline inserts the same interaction and participant rows with raw SQL and rolls back.
Each is timed as wall time and as this process's CPU time (``time.process_time``): on a
shared machine the wall time measures the neighbours too. Target (issue #12): <= 20 ms
at 30k/1M.
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


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    prepare(args.people, args.interactions)

    from django.db import connection, transaction
    from django.db.models import Count

    from kithkin.clock import local_noon
    from kithkin.models import Person, User
    from kithkin.services.interactions import log_interaction

    user = User.objects.get(username="bench")
    network = user.current_network
    assert network is not None
    people = Person.objects.filter(network=network, is_self=False)
    busiest = people.annotate(n=Count("interactions")).order_by("-n").first()
    typical = people.filter(circle__name="regular").order_by("pk")[100]
    when = local_noon(TODAY, network.time_zone)

    def log_with(person: Person) -> None:
        try:
            with transaction.atomic():
                log_interaction(network, user, kind="call", people=[person], occurred_at=when)
                raise Rollback
        except Rollback:
            pass

    def raw_insert(person: Person) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO kithkin_interaction (network_id, kind, occurred_at, direction,"
                    " summary, learned, next_questions, occasion, source, created_at)"
                    " VALUES (%s, 'call', %s, 'mutual', '', '', '', '', 'manual', %s)",
                    [network.pk, when, when],
                )
                cursor.execute(
                    "INSERT INTO kithkin_interactionparticipant (interaction_id, person_id)"
                    " VALUES ((SELECT MAX(id) FROM kithkin_interaction), %s)",
                    [person.pk],
                )
                raise Rollback
        except Rollback:
            pass

    def cpu_ms(function: Callable[[], None]) -> float:
        """The median CPU milliseconds of ``function`` over the runs."""
        samples = []
        for _ in range(args.runs):
            start = time.process_time()
            function()
            samples.append((time.process_time() - start) * 1000)
        return statistics.median(samples)

    print(f"network: {people.count():,} people; busiest has {busiest.n:,} interactions\n")
    results, cpu = {}, {}
    for name, person in (("typical person", typical), ("busiest person", busiest)):
        results[name], _ = timed(lambda p=person: log_with(p), args.runs, warm=True)
        cpu[name] = cpu_ms(lambda p=person: log_with(p))
        print(f"log a call, {name:15}   {summary(results[name])}   CPU {cpu[name]:6.1f} ms")
    raw_ms, _ = timed(lambda: raw_insert(typical), args.runs, warm=True)
    raw_cpu = cpu_ms(lambda: raw_insert(typical))
    print(f"  baseline: raw SQL insert      {summary(raw_ms)}   CPU {raw_cpu:6.1f} ms")
    for name, samples in results.items():
        ratio = statistics.median(samples) / statistics.median(raw_ms)
        print(f"  {name}: {ratio:.1f}x the raw insert")
    print()
    for name, samples in results.items():
        met = statistics.median(samples) <= 20
        print(f"{'met ' if met else 'MISS'}  log a call with the {name} <= 20 ms (median)")
        met = cpu[name] <= 20
        print(f"{'met ' if met else 'MISS'}  log a call with the {name} <= 20 ms of CPU (median)")


if __name__ == "__main__":
    main()
