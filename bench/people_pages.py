"""Benchmark: People, Organizations, Milestones and name lookup at a network's size,
wall time and CPU time per request side by side (the machine may be shared: CPU time is
the steadier figure), beside the login page in the same run.

    .venv/bin/python bench/people_pages.py [--people 30000] [--interactions 1000000] [--runs 30]

Run it at 30,000 and at 90,000 people (``--people 90000 --interactions 3000000``) and
compare: the target is a growth of at most 1.3x, and p95 <= 100 ms at 30,000.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import prepare
from web import measure, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    prepare(args.people, args.interactions, allowed_hosts="testserver")

    from django.test import Client

    from kithkin.errors import Ambiguous, NotFound
    from kithkin.models import Person, User
    from kithkin.queries.people import resolve_person

    user = User.objects.get(username="bench")
    network = user.current_network
    assert network is not None
    client = Client()
    client.force_login(user)
    floor, _cpu = measure(Client(), "/login/", args.runs)
    print(f"{'page':34} {'median':>9} {'p95':>9} {'CPU/request':>12}")
    print(f"{'baseline: login page':34} {statistics.median(floor):7.1f}ms {p95(floor):7.1f}ms")
    pages = [
        ("People, unfiltered", "/people/"),
        ("People, page 300 by name", "/people/?page=300"),
        ("People, due, by due date", "/people/?status=due&sort=due"),
        ("People, by last talked", "/people/?sort=recent"),
        ("Organizations", "/organizations/"),
        ("Milestones", "/milestones/"),
    ]
    for name, url in pages:
        cpu = time.process_time()
        samples, _cpu = measure(client, url, args.runs)
        per_request = (time.process_time() - cpu) / (args.runs + 3) * 1000
        print(
            f"{name:34} {statistics.median(samples):7.1f}ms {p95(samples):7.1f}ms "
            f"{per_request:10.1f}ms"
        )

    listed = Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
    names = list(listed.order_by("pk").values_list("full_name", flat=True)[:2000:100])
    typed = {
        "name lookup: a full name": names,
        "name lookup: first name + 3 letters": [
            f"{n.split()[0]} {n.split()[-1][:3]}" for n in names
        ],
        "name lookup: a typo (suggestions)": [
            " ".join(word[:-1] + "x" for word in n.split()) for n in names
        ],
    }
    for label, texts in typed.items():
        times = []
        for text in texts:
            start = time.process_time()
            with contextlib.suppress(Ambiguous, NotFound):
                resolve_person(network, text)
            times.append((time.process_time() - start) * 1000)
        print(f"{label:34} {'':>9} {'':>9} {statistics.median(times):10.1f}ms")


if __name__ == "__main__":
    main()
