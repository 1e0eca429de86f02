"""Benchmark: a CalDAV calendar synced from a local Radicale, beside the raw caldav fetch of
the same calendar measured in the same run.

    .venv/bin/python bench/calendar_sync.py [--events 1000] [--people 500] [--runs 3]

A temporary data directory (SQLite) holds a network of ``--people`` people; Radicale (in a
temporary folder) a calendar of ``--events`` one-hour meetings over the last 80 days, each
with one of those people and one stranger. Figures printed (median of --runs, CPU seconds of
this process by time.process_time() and wall seconds):

- raw baseline: the caldav library listing the calendar and fetching every object
  (sync-collection REPORT, then calendar-multiget in batches of 100), nothing parsed;
- first sync: kithkin.sync.calendars.sync_caldav on a fresh account (every event parsed,
  matched, logged; the state saved);
- no change: a second sync (the sync token says nothing changed);
- 10 changed: ten events renamed on the server, then synced.

Between runs of the first sync, its interactions and account rows are deleted, untimed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measured(
    function: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> tuple[float, float, object]:
    cpu, wall, result = [], [], None
    for _ in range(runs):
        if before is not None:
            before()
        started_cpu, started = time.process_time(), time.perf_counter()
        result = function()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    os.environ["KITH_DATA_DIR"] = tempfile.mkdtemp(prefix="kithkin-bench-calendar-")
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    import caldav
    from tests.sync.calendar_servers import Source, calendar, start_radicale, vevent

    from kithkin.cli.context import migrate
    from kithkin.models import Interaction, SyncedEvent
    from kithkin.services.accounts import create_user
    from kithkin.services.people import NewPerson, add_person
    from kithkin.sync.calendars import sync_caldav

    migrate()
    user = create_user(username="bench", full_name="Bench Marker", time_zone="Europe/Paris")
    network = user.current_network
    assert network is not None
    for n in range(arguments.people):
        add_person(network, user, NewPerson(full_name=f"Person {n}", emails=[f"p{n}@example.com"]))
    server = start_radicale(Path(tempfile.mkdtemp(prefix="kithkin-bench-radicale-")))
    try:
        client = caldav.DAVClient(url=server.url, username="alice", password="secret")
        cal = client.principal().make_calendar(name="Bench", cal_id="bench")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)

        def event(n: int, summary: str = "Meeting") -> str:
            start = now - dt.timedelta(days=1 + n * 80 / arguments.events)
            return calendar(
                vevent(
                    f"e{n}",
                    start,
                    summary=summary,
                    attendees=(f"p{n % arguments.people}@example.com", f"s{n}@example.net"),
                )
            )

        for n in range(arguments.events):
            client.put(str(cal.url.join(f"e{n}.ics")), event(n), {"Content-Type": "text/calendar"})

        def raw() -> int:
            listing = cal.get_objects_by_sync_token(None, load_objects=False)
            urls = [o.url for o in listing.objects]
            return sum(len(cal.multiget(urls[i : i + 100])) for i in range(0, len(urls), 100))

        source = Source(
            network, user, "caldav", {"url": server.url, "username": "alice"}, secret="secret"
        )

        def fresh() -> None:
            Interaction.objects.filter(network=network).delete()
            SyncedEvent.objects.all().delete()
            source.state.clear()

        raw_cpu, raw_wall, fetched = measured(raw, arguments.runs)
        first_cpu, first_wall, outcome = measured(
            lambda: sync_caldav(source), arguments.runs, fresh
        )
        same_cpu, same_wall, _ = measured(lambda: sync_caldav(source), arguments.runs)
        counter = iter(range(10**6))

        def rename() -> None:
            round_ = next(counter)
            for n in range(10):
                client.put(
                    str(cal.url.join(f"e{n}.ics")),
                    event(n, f"Renamed {round_}"),
                    {"Content-Type": "text/calendar"},
                )

        changed_cpu, changed_wall, changed = measured(
            lambda: sync_caldav(source), arguments.runs, rename
        )
    finally:
        server.stop()
    print(f"calendar: {arguments.events:,} events, network of {arguments.people:,} people")
    print(f"  first sync: {outcome}")  # type: ignore[str-bytes-safe]
    print(f"  10 changed: {changed}")
    print(f"{'':34} {'CPU s':>8} {'wall s':>8}")
    print(f"raw caldav fetch ({fetched} objects)   {raw_cpu:8.2f} {raw_wall:8.2f}")
    print(
        f"first sync                         {first_cpu:8.2f} {first_wall:8.2f}  ({first_wall / raw_wall:.1f}x raw wall)"
    )
    print(f"no change                          {same_cpu:8.2f} {same_wall:8.2f}")
    print(f"10 changed                         {changed_cpu:8.2f} {changed_wall:8.2f}")


if __name__ == "__main__":
    main()
