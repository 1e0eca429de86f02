"""Benchmark: listing people through the API page by page, beside the People web page.

    .venv/bin/python bench/api.py [--people 30000] [--interactions 1000000] [--pages 100]

In-process through Django's test client (the whole request: middleware, token, rate
limit, access, queries, JSON). Each sort walks ``--pages`` pages of 50 by following
``next``, so deep pages are measured as well as the first; the People web page (first
page, and a page as deep as the last API page) runs in the same process for comparison.
Target: p95 <= 50 ms per API page. A token is made for the bench user and revoked at the
end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import prepare

TARGET_MS = 50


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]


def line(name: str, samples: list[float], cpu: list[float]) -> str:
    return (
        f"{name:44} {statistics.median(samples):7.1f}ms {p95(samples):7.1f}ms "
        f"{statistics.median(cpu):7.1f}ms {p95(cpu):7.1f}ms"
    )


def walk(client, url: str, pages: int, headers: dict[str, str]) -> tuple[list[float], list[float]]:
    """Follow ``next`` for ``pages`` pages; wall and CPU ms per page."""
    samples, cpu = [], []
    for _ in range(pages):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.content
        following = response.json()["next"]
        if following is None:
            break
        url = url.split("&cursor=")[0] + f"&cursor={following}"
    return samples, cpu


def repeat(client, url: str, runs: int) -> tuple[list[float], list[float]]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return samples, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=100, help="Pages of 50 walked per sort.")
    args = parser.parse_args()
    os.environ["KITH_API_RATE_LIMIT"] = "1000000"
    prepare(args.people, args.interactions, allowed_hosts="testserver")

    from django.test import Client

    from kithkin.models import Person, User
    from kithkin.services.tokens import create_token, revoke_token

    user = User.objects.get(username="bench")
    network = user.current_network
    assert network is not None
    made = create_token(user, f"bench/api.py {time.time():.0f}", "write", network=network)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {made.secret}"}
    api = Client()
    web = Client()
    web.force_login(user)
    base = f"/api/v1/networks/{network.pk}/people?limit=50"
    try:
        walk(api, base, 3, headers)  # warm-up
        print(
            f"network: {Person.objects.filter(network=network).count():,} people; "
            f"{args.pages} pages of 50 per sort, following next\n"
        )
        print(f"{'request':44} {'median':>9} {'p95':>9} {'CPU med':>9} {'CPU p95':>9}")
        results = []
        for sort in ("name", "due", "recent", "added"):
            samples, cpu = walk(api, f"{base}&sort={sort}", args.pages, headers)
            results.append((f"API people, sort={sort}", samples, cpu))
            print(line(f"API people, sort={sort} ({len(samples)} pages)", samples, cpu))
        samples, cpu = walk(api, f"{base}&status=due&sort=due", args.pages, headers)
        results.append(("API people, status=due", samples, cpu))
        print(line(f"API people, status=due&sort=due ({len(samples)} pages)", samples, cpu))
        runs = min(args.pages, 50)
        samples, cpu = repeat(web, "/people/", runs)
        print(line(f"web People page, page 1 ({runs} runs)", samples, cpu))
        samples, cpu = repeat(web, f"/people/?page={args.pages}", runs)
        print(line(f"web People page, page {args.pages} ({runs} runs)", samples, cpu))
        print()
        # Wall time counts the waits of a shared machine; CPU time is this process's work.
        for name, samples, cpu in results:
            verdict = "met " if p95(samples) <= TARGET_MS else "MISS"
            print(
                f"{verdict}  {name}: p95 {p95(samples):.1f} ms <= {TARGET_MS} ms "
                f"(CPU p95 {p95(cpu):.1f} ms)"
            )
    finally:
        revoke_token(user, made.token.pk)


if __name__ == "__main__":
    main()
