"""Benchmark: importing a 30,000-row LinkedIn Connections.csv, then importing it again.

    .venv/bin/python bench/import_linkedin.py [--rows 30000]

Each import is the whole pipeline — parse, plan, apply in one transaction — into a fresh
SQLite database. The baseline, in the same run: the same rows inserted by Python's sqlite3
`executemany` into one plain table (no matching, no normalisation, no indexes). Targets:
first import <= 5 s, re-import <= 5 s, and (issue #12) the first import <= 30x the raw
executemany. A second floor: the same people, contact points and jobs inserted by hand into
Kithkin's own tables (their indexes, the full-text index), what the database alone costs.
Each phase is timed as wall time and as this process's CPU time
(``time.process_time``): on a shared machine the CPU ratio is the one to compare.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def connections_csv(rows: int, seed: int = 7) -> bytes:
    from kithkin.demo import data

    rng = random.Random(seed)
    out = io.StringIO()
    out.write(
        'Notes:\n"When exporting your connection data, you may notice that some of the '
        'email addresses are missing."\n\n'
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    organizations = [name for name, _domain, _kind in data.ORGANIZATIONS]
    for index in range(rows):
        first, last = rng.choice(data.GIVEN_NAMES), rng.choice(data.FAMILY_NAMES)
        slug = f"{first}-{last}-{index:05d}".lower().replace(" ", "-")
        email = f"{slug}@example.com" if rng.random() < 0.1 else ""
        day = rng.randint(1, 28)
        month = rng.choice(
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        )
        writer.writerow(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{slug}",
                email,
                rng.choice(organizations),
                rng.choice(data.JOB_TITLES),
                f"{day:02d} {month} {rng.randint(2010, 2026)}",
            ]
        )
    return out.getvalue().encode()


def baseline(data: bytes) -> tuple[float, float]:
    """The raw floor: (wall, CPU) seconds, the best of three."""
    rows = list(csv.reader(io.StringIO(data.decode())))[4:]
    runs = []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as folder:
            db = sqlite3.connect(Path(folder) / "baseline.sqlite3")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE people (first, last, url, email, company, position, connected_on)"
            )
            start, start_cpu = time.perf_counter(), time.process_time()
            db.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            db.commit()
            runs.append((time.perf_counter() - start, time.process_time() - start_cpu))
            db.close()
    return min(runs)


def schema_floor(data: bytes, database: Path) -> tuple[float, float]:
    """The same rows by hand into Kithkin's own tables, in a copy of the empty network's
    database: each person (the indexes and full-text index an import maintains, the
    index filled by one statement at the end as the import does), their profile URL and
    email, their job at one of the organizations. No parsing, cleaning, matching or
    search document: what the database itself costs. (wall, CPU) seconds."""
    rows = list(csv.reader(io.StringIO(data.decode())))[4:]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "floor.sqlite3"
        source = sqlite3.connect(database)
        source.execute("VACUUM INTO ?", [str(copy)])
        source.close()
        db = sqlite3.connect(copy, isolation_level=None)
        network_id = db.execute("SELECT id FROM kithkin_network").fetchone()[0]
        now = "2026-12-07 00:00:00"
        start, start_cpu = time.perf_counter(), time.process_time()
        db.execute("BEGIN IMMEDIATE")
        first = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM kithkin_person").fetchone()[0]
        # As the import does (fulltext.people_indexed_in_bulk): the row-by-row trigger
        # set aside inside the transaction, the index filled by one statement.
        (trigger,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            ["kithkin_person_fts_ai"],
        ).fetchone()
        db.execute("DROP TRIGGER kithkin_person_fts_ai")
        db.executemany(
            "INSERT INTO kithkin_person (id, network_id, is_self, full_name, given_name,"
            " family_name, nickname, pronouns, headline, location, time_zone, how_we_met,"
            " what_matters, notes, connected_on, created_at, updated_at, search_text)"
            " VALUES (?, ?, 0, ?, ?, ?, '', '', '', '', '', '', '', '', NULL, ?, ?, ?)",
            (
                (first + n, network_id, f"{r[0]} {r[1]}", r[0], r[1], now, now, f"{r[0]} {r[1]}")
                for n, r in enumerate(rows)
            ),
        )
        db.execute(trigger)
        db.execute(
            "INSERT INTO kithkin_person_fts(rowid, search_text) "
            "SELECT id, search_text FROM kithkin_person WHERE id >= ?",
            [first],
        )
        db.executemany(
            "INSERT INTO kithkin_contactpoint (person_id, kind, service, label, value,"
            " normalized, is_primary) VALUES (?, ?, ?, '', ?, ?, 1)",
            (
                point
                for n, r in enumerate(rows)
                for point in [(first + n, "social", "linkedin", r[2], r[2])]
                + ([(first + n, "email", "", r[3], r[3])] if r[3] else [])
            ),
        )
        organizations = sorted({r[4] for r in rows})
        db.executemany(
            "INSERT INTO kithkin_organization (network_id, name, kind, website, notes,"
            " created_at) VALUES (?, ?, '', '', '', ?)",
            ((network_id, name, now) for name in organizations),
        )
        org_id = dict(db.execute("SELECT name, id FROM kithkin_organization"))
        db.executemany(
            "INSERT INTO kithkin_affiliation (person_id, organization_id, kind, title,"
            " created_at) VALUES (?, ?, 'employment', ?, ?)",
            ((first + n, org_id[r[4]], r[5], now) for n, r in enumerate(rows)),
        )
        db.execute("COMMIT")
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        db.close()
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args()
    os.environ["KITH_DATA_DIR"] = tempfile.mkdtemp(prefix="kithkin-bench-import-")
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kithkin.importers.apply import apply_plan
    from kithkin.importers.linkedin import parse_connections
    from kithkin.importers.plan import plan_import
    from kithkin.models import Person
    from kithkin.services.accounts import create_user

    CACHE.mkdir(exist_ok=True)
    source = CACHE / f"Connections-{args.rows}.csv"
    if not source.exists():
        source.write_bytes(connections_csv(args.rows))
    data = source.read_bytes()
    call_command("migrate", verbosity=0)
    user = create_user(username="bench", full_name="Bench Marker", time_zone="Europe/Paris")
    network = user.current_network
    assert network is not None

    def clocks() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def run() -> tuple[list[tuple[float, float]], dict[str, int]]:
        """(wall, CPU) of parse, plan and apply, and the plan's summary."""
        start = clocks()
        parsed = parse_connections(data, str(source))
        parsed_at = clocks()
        plan = plan_import(network, parsed)
        planned_at = clocks()
        if plan.changes_anything:
            apply_plan(network, user, plan)
        end = clocks()
        marks = [start, parsed_at, planned_at, end]
        return [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(marks)], plan.summary

    raw, raw_cpu = baseline(data)
    database = Path(os.environ["KITH_DATA_DIR"]) / "kithkin.sqlite3"
    floor, floor_cpu = schema_floor(data, database)
    first = run()
    people = Person.objects.filter(network=network, is_self=False).count()
    second = run()
    print(
        f"{args.rows:,} rows ({len(data) / 1e6:.1f} MB); {people:,} people after the first import\n"
    )
    print(f"{'wall / CPU seconds':28}{'parse':>12}{'plan':>12}{'apply':>12}{'total':>12}  vs raw")
    print(f"{'baseline: sqlite3 executemany':28}{'':>36}{raw:5.2f}/{raw_cpu:5.2f}  1x / 1x")
    print(
        f"{'floor: Kithkin tables by hand':28}{'':>36}{floor:5.2f}/{floor_cpu:5.2f}  "
        f"{floor / raw:.0f}x / {floor_cpu / raw_cpu:.0f}x"
    )
    totals = {}
    for name, (phases, summary) in (("first import", first), ("re-import", second)):
        total = sum(wall for wall, _ in phases)
        total_cpu = sum(cpu for _, cpu in phases)
        totals[name] = (total, total_cpu)
        cells = "".join(f"{wall:6.2f}/{cpu:5.2f}" for wall, cpu in phases)
        print(
            f"{name:28}{cells}{total:6.2f}/{total_cpu:5.2f}  {total / raw:.0f}x / "
            f"{total_cpu / raw_cpu:.0f}x"
            f"   new {summary['new']}, unchanged {summary['unchanged']}, errors {summary['errors']}"
        )
    print()
    for name, (total, _cpu) in totals.items():
        print(f"{'met ' if total <= 5 else 'MISS'}  {name}: {total:.2f} s <= 5 s")
    ratio = totals["first import"][1] / raw_cpu
    print(f"{'met ' if ratio <= 30 else 'MISS'}  first import: {ratio:.0f}x the raw CPU <= 30x")


if __name__ == "__main__":
    main()
