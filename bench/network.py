"""The benchmark network: generated once by the demo generator, cached under bench/.cache/.

    .venv/bin/python bench/network.py --people 100000 --interactions 3000000 [--database-url …]

generates (or brings up to date) one network ahead of the benchmarks that use it, printing
each generator stage as it goes, the time it took and the SQLite file's size. Generating
100,000 people / 3,000,000 interactions takes about four minutes of one core on SQLite
(252 s, 1.07 GB, measured 2026-12-07).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 11, 25)  # the generated network is anchored here, so runs compare


# Bump when the generator makes a different network (v2: events, mentorships, the ledger,
# milestones and opportunities), so an older cache is not measured as if it were current.
GENERATION = 2


def data_dir(people: int, interactions: int) -> Path:
    return HERE / ".cache" / f"agenda-v{GENERATION}-{people}-{interactions}"


def prepare(
    people: int,
    interactions: int,
    *,
    allowed_hosts: str | None = None,
    database_url: str | None = None,
    verbose: bool = False,
) -> Path:
    """Set Django up on the cached network's SQLite file, generating it the first time.

    With ``database_url`` the network lives in that PostgreSQL database instead (generated
    there the first time: a database holds one benchmark network)."""
    directory = data_dir(people, interactions)
    os.environ["KITH_DATA_DIR"] = str(directory)
    if database_url:
        os.environ["KITH_DATABASE_URL"] = database_url
    else:
        os.environ.pop("KITH_DATABASE_URL", None)
    if allowed_hosts:
        os.environ["KITH_ALLOWED_HOSTS"] = allowed_hosts
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from kithkin.cli.context import migrate
    from kithkin.models import User

    directory.mkdir(parents=True, exist_ok=True)
    # As `kith` does: also brings an older cache up to date, and then the planner's
    # statistics, or new indexes are chosen on guesses.
    migrate()
    if User.objects.filter(username="bench").exists():
        return directory
    from kithkin.demo import generate_network
    from kithkin.services.accounts import create_user

    user = create_user(username="bench", full_name="Bench Marker", time_zone="Europe/Paris")
    assert user.current_network is not None
    start = time.perf_counter()
    reported: dict[str, int] = {}

    def progress(stage: str, done: int, total: int) -> None:
        # at most every tenth of a stage, flushed: a long run shows how far it got
        step = max(1, total // 10)
        if done == total or done // step != reported.get(stage, -1):
            reported[stage] = done // step
            print(
                f"  {time.perf_counter() - start:7.0f} s  {stage}: {done:,} / {total:,}",
                file=sys.stderr,
                flush=True,
            )

    stats = generate_network(
        user.current_network,
        user,
        people=people,
        interactions=interactions,
        seed=7,
        today=TODAY,
        progress=progress if verbose else None,
    )
    print(
        f"generated {stats.people} people, {stats.interactions} interactions in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return directory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    start = time.perf_counter()
    directory = prepare(
        args.people, args.interactions, database_url=args.database_url or None, verbose=True
    )
    print(f"ready in {time.perf_counter() - start:.0f} s: {directory}")
    database = directory / "kithkin.sqlite3"
    if not args.database_url and database.exists():
        print(f"SQLite file: {database.stat().st_size / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
