"""Benchmark: the Organizations page at 30,000 and at 90,000 people in one run, and how
much it grows (target: at most 1.3x, and a query count that does not grow).

    .venv/bin/python bench/organizations.py [--runs 20] [--rounds 2]

Each network is measured in a process of its own (Django is set up once per database),
the two alternating for ``--rounds`` rounds so a busy moment of a shared machine falls on
both; per network the best round's median wall time and CPU per request are kept. Also
measured: a page of one kind, a search, and the SQL queries one page makes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import RESULT, emit, figures, measured

SIZES = ((30_000, 1_000_000), (90_000, 3_000_000))
PAGES = (
    ("Organizations", "/organizations/"),
    ("Organizations, associations", "/organizations/?kind=association"),
    ("Organizations, search 'a'", "/organizations/?q=a"),
)


def one_network(people: int, interactions: int, runs: int) -> None:
    from network import prepare

    prepare(people, interactions, allowed_hosts="testserver")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kithkin.models import Organization, User

    user = User.objects.get(username="bench")
    client = Client()
    client.force_login(user)
    rows: dict[str, dict[str, float]] = {}
    for name, url in PAGES:

        def get(url: str = url) -> None:
            assert client.get(url).status_code == 200, url

        samples, cpu, _ = measured(get, runs, warm=3)
        with CaptureQueriesContext(connection) as queries:
            get()
        rows[name] = figures(samples, cpu) | {"queries": len(queries.captured_queries)}
    rows["organizations"] = {
        "count": Organization.objects.filter(network=user.current_network).count()
    }
    emit(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--people", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--interactions", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.people:
        one_network(args.people, args.interactions, args.runs)
        return
    found: dict[int, list[dict]] = {people: [] for people, _ in SIZES}
    for _ in range(args.rounds):
        for people, interactions in SIZES:
            command = [sys.executable, __file__, "--runs", str(args.runs)]
            command += ["--people", str(people), "--interactions", str(interactions)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            line = next(line for line in output.splitlines() if line.startswith(RESULT))
            found[people].append(json.loads(line[len(RESULT) :]))
    small, large = (found[people] for people, _ in SIZES)
    print(
        f"organizations: {small[0]['organizations']['count']:,} at 30,000 people, "
        f"{large[0]['organizations']['count']:,} at 90,000; {args.runs} requests per page "
        f"after 3 warm-ups, best of {args.rounds} rounds\n"
    )
    print(
        f"{'page':32} {'30k median':>10} {'90k median':>10} {'growth':>7} "
        f"{'30k cpu':>8} {'90k cpu':>8} {'growth':>7} {'queries':>8}"
    )
    for name, _url in PAGES:
        a = min(run[name]["median"] for run in small)
        b = min(run[name]["median"] for run in large)
        ca = min(run[name]["cpu"] for run in small)
        cb = min(run[name]["cpu"] for run in large)
        queries = f"{small[0][name]['queries']:.0f}/{large[0][name]['queries']:.0f}"
        print(
            f"{name:32} {a:8.1f}ms {b:8.1f}ms {b / a:6.2f}x "
            f"{ca:6.1f}ms {cb:6.1f}ms {cb / ca:6.2f}x {queries:>8}"
        )
    spread = [statistics.median(run["Organizations"]["cpu"] for run in found[p]) for p in found]
    print(f"\n(median CPU per request across rounds: {spread[0]:.1f} / {spread[1]:.1f} ms)")


if __name__ == "__main__":
    main()
