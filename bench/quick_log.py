"""Benchmark: the phone app's quick log on a large network, beside logging the same
interaction directly, in the same run; and the people list the phone keeps for its picker.

    .venv/bin/python bench/quick_log.py [--people 30000] [--interactions 1000000] [--runs 20]

Each run quick-logs a meeting with one person through ``services.quick_log.quick_log``
(the key looked up, stored, the interaction logged through ``log_interaction``) inside a
transaction that is rolled back, beside ``log_interaction`` alone: the difference is what
the key costs. A replay (the key already sent) is timed too: it answers without writing.
The picker is ``queries.quick_log.picker`` serialised as ``/log/people/`` sends it: its
time and its size, which the phone downloads and keeps. CPU time (``time.process_time``)
as well as wall time: the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import summary, timed
from network import prepare


class Rollback(Exception):
    pass


def cpu_ms(function: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.process_time()
        function()
        samples.append((time.process_time() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    prepare(args.people, args.interactions)

    from django.db import transaction

    from kithkin.clock import now
    from kithkin.models import Person, User
    from kithkin.queries.quick_log import picker
    from kithkin.services.interactions import log_interaction
    from kithkin.services.quick_log import quick_log

    user = User.objects.get(username="bench")
    network = user.current_network
    assert network is not None
    person = Person.objects.filter(network=network, circle__name="regular").order_by("pk")[100]

    def rolled_back(write: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                with transaction.atomic():
                    write()
                    raise Rollback
            except Rollback:
                pass

        return run

    def quick() -> object:
        return quick_log(
            network, user, key=uuid.uuid4(), person=person, kind="meeting", note="coffee"
        )

    def direct() -> object:
        return log_interaction(
            network, user, kind="meeting", people=[person], occurred_at=now(), summary="coffee"
        )

    sent = uuid.uuid4()

    def replay() -> None:
        with transaction.atomic():
            quick_log(network, user, key=sent, person=person, kind="meeting", note="coffee")
            for _ in range(args.runs):
                result = quick_log(network, user, key=sent, person=person, kind="meeting")
                assert result.replayed
            raise Rollback

    rows: list[tuple[str, list[float], float]] = []
    for name, function in (
        ("log_interaction (baseline)", rolled_back(direct)),
        ("quick_log, a new key", rolled_back(quick)),
    ):
        samples, _ = timed(function, args.runs, warm=True)
        rows.append((name, samples, cpu_ms(function, args.runs)))
    start = time.perf_counter()
    with contextlib.suppress(Rollback):
        replay()
    print(f"a replay of a sent key: {(time.perf_counter() - start) * 1000 / args.runs:.2f} ms")

    body: list[bytes] = []
    samples, _ = timed(
        lambda: body.append(json.dumps({"people": picker(network)}).encode()), args.runs, warm=True
    )
    rows.append(("picker (/log/people/ body)", samples, cpu_ms(lambda: picker(network), 5)))
    for name, samples, cpu in rows:
        print(f"{name:32} {summary(samples)}   cpu median {cpu:7.1f} ms")
    size = len(body[-1])
    print(f"picker body: {len(json.loads(body[-1])['people'])} people, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
