"""Benchmark: what the change seam costs a write, in one process, interleaved.

    .venv/bin/python bench/change_seam.py [--people 30000] [--interactions 1000000] [--runs 40]

Logs a call through ``services.interactions.log_interaction`` (rolled back after each run)
two ways, alternating run by run so the machine's load falls on both alike: as it is (the
change row recorded, the derived state it feeds brought up to date by
``services.derived_state``), and with ``changes.record`` replaced by what logging did
before the seam (``checkins.count_added_interactions`` called directly, no change row).
Medians of CPU time (``time.process_time``) and wall time; the ratio is the seam's cost.
Target: within +10% of logging without it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import TODAY, prepare


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    prepare(args.people, args.interactions)

    from django.db import transaction
    from django.db.models import Count

    from kithkin.clock import local_noon
    from kithkin.models import Person, User
    from kithkin.services import changes
    from kithkin.services.checkins import count_added_interactions
    from kithkin.services.interactions import log_interaction

    user = User.objects.get(username="bench")
    network = user.current_network
    assert network is not None
    people = Person.objects.filter(network=network, is_self=False)
    busiest = people.annotate(n=Count("interactions")).order_by("-n").first()
    typical = people.filter(circle__name="regular").order_by("pk")[100]
    when = local_noon(TODAY, network.time_zone)
    seam = changes.record

    def without_seam(network: Any, kind: str, *, known: Any = None, **_: Any) -> None:
        """Logging before the seam: the added interaction counted directly, no row."""
        count_added_interactions(network, known.added.tallies, known.added.latest)

    def log_with(person: Person, record: Callable[..., Any]) -> tuple[float, float]:
        changes.record = record  # type: ignore[assignment]
        start_cpu, start = time.process_time(), time.perf_counter()
        try:
            with transaction.atomic():
                log_interaction(network, user, kind="call", people=[person], occurred_at=when)
                raise Rollback
        except Rollback:
            pass
        finally:
            changes.record = seam
        return (time.process_time() - start_cpu) * 1000, (time.perf_counter() - start) * 1000

    print(f"network: {people.count():,} people; busiest has {busiest.n:,} interactions\n")
    for name, person in (("typical person", typical), ("busiest person", busiest)):
        log_with(person, seam), log_with(person, without_seam)  # warm up
        samples: dict[str, list[tuple[float, float]]] = {"seam": [], "direct": []}
        for run in range(args.runs):
            order = [("seam", seam), ("direct", without_seam)]
            for label, record in order if run % 2 else reversed(order):
                samples[label].append(log_with(person, record))
        cpu = {k: statistics.median(s[0] for s in v) for k, v in samples.items()}
        wall = {k: statistics.median(s[1] for s in v) for k, v in samples.items()}
        ratio = cpu["seam"] / cpu["direct"]
        print(
            f"log a call, {name:15} with the seam: CPU {cpu['seam']:5.1f} ms, wall "
            f"{wall['seam']:5.1f} ms; without: CPU {cpu['direct']:5.1f} ms, wall "
            f"{wall['direct']:5.1f} ms; CPU ratio {ratio:.2f}  "
            f"{'met ' if ratio <= 1.10 else 'MISS'} (<= 1.10)"
        )


if __name__ == "__main__":
    main()
