"""Benchmark: the agenda on a large network, beside raw-SQL baselines measured in the same run.

    .venv/bin/python bench/agenda.py [--people 30000] [--interactions 1000000] [--runs 30]
        [--database-url postgres://…] [--compare]

The network is generated once by the same generator as `kith demo` and cached under
bench/.cache/ (delete it to regenerate). Figures printed:

- agenda query: kithkin.queries.agenda.agenda() without its other sections (follow-ups
  and check-ins, what the raw baselines compute too);
- each other section of the agenda on its own (met, thanks, celebrate...), and the whole
  agenda with all of them;
- baseline, stored due date: one hand-written SQL query over the same tables, ranking the
  same due list (what the ORM and Python add on top of SQLite);
- baseline, from interactions: the same due list computed from the interactions table
  alone with GROUP BY, as a design without the stored due date would have to (why the
  due date is stored);
- `kith today` as a whole process (interpreter, Django, query, rendering).

Both baselines are checked to return the same people in the same order as the agenda.

With ``--database-url`` the network is the one in that PostgreSQL database (the raw
baselines, written for SQLite, are then left out); with ``--compare`` as well, the
benchmark runs on SQLite and then on PostgreSQL in processes of their own and prints both
side by side with CPU per run including the PostgreSQL backend's (bench/engines.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import compare, emit, figures, measured
from measure import summary, timed
from network import TODAY, prepare

KITH = str(Path(sys.executable).parent / "kith")


BASELINE_STORED = """
    SELECT p.id, p.full_name
    FROM kithkin_person p LEFT JOIN kithkin_circle c ON c.id = p.circle_id
    WHERE p.network_id = :network AND p.check_in_due_on <= :today
      AND p.archived_at IS NULL AND NOT p.is_self
      AND COALESCE(p.cadence_days, c.cadence_days) IS NOT NULL
    ORDER BY (julianday(:today) - julianday(p.check_in_due_on))
             / COALESCE(p.cadence_days, c.cadence_days) DESC,
             COALESCE(c.rank, 99), p.check_in_due_on, p.id
"""

BASELINE_FROM_INTERACTIONS = """
    WITH latest AS (
        SELECT ip.person_id, MAX(i.occurred_at) AS at
        FROM kithkin_interactionparticipant ip
        JOIN kithkin_interaction i ON i.id = ip.interaction_id
        WHERE i.network_id = :network GROUP BY ip.person_id
    ), due AS (
        SELECT p.id, p.full_name, COALESCE(p.cadence_days, c.cadence_days) AS cadence,
               COALESCE(c.rank, 99) AS rank,
               MAX(date(COALESCE(date(latest.at, :offset), p.connected_on,
                                 date(p.created_at, :offset)),
                        '+' || COALESCE(p.cadence_days, c.cadence_days) || ' days'),
                   COALESCE(p.snoozed_until, '')) AS due_on
        FROM kithkin_person p LEFT JOIN kithkin_circle c ON c.id = p.circle_id
        LEFT JOIN latest ON latest.person_id = p.id
        WHERE p.network_id = :network AND p.archived_at IS NULL AND NOT p.is_self
          AND COALESCE(p.cadence_days, c.cadence_days) IS NOT NULL
    )
    SELECT id, full_name FROM due WHERE due_on <= :today
    ORDER BY (julianday(:today) - julianday(due_on)) / cadence DESC, rank, due_on, id
"""

BASELINE_PEOPLE = """
    SELECT p.id, p.full_name, p.last_interaction_at, p.connected_on, p.created_at,
           p.snoozed_until, c.name, o.name, a.title
    FROM kithkin_person p LEFT JOIN kithkin_circle c ON c.id = p.circle_id
    LEFT JOIN kithkin_affiliation a ON a.person_id = p.id AND a.end_on IS NULL
    LEFT JOIN kithkin_organization o ON o.id = a.organization_id
    WHERE p.id IN ({ids})
"""

BASELINE_FOLLOW_UPS = """
    SELECT f.id, f.title, p.full_name FROM kithkin_followup f
    JOIN kithkin_followup_people fp ON fp.followup_id = f.id
    JOIN kithkin_person p ON p.id = fp.person_id
    WHERE f.network_id = :network AND f.done_at IS NULL AND f.due_on <= :until
    ORDER BY f.due_on, f.id
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default="", help="A PostgreSQL database instead.")
    parser.add_argument("--compare", action="store_true", help="SQLite, then PostgreSQL.")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        if not args.database_url:
            parser.error("--compare needs --database-url")
        arguments = ["--people", str(args.people), "--interactions", str(args.interactions)]
        compare(__file__, [*arguments, "--runs", str(args.runs)], args.database_url)
        return

    data_dir = prepare(args.people, args.interactions, database_url=args.database_url or None)
    if args.database_url or args.json:
        both_engines(args, data_dir)
        return

    from kithkin.models import Interaction, Network, Person
    from kithkin.queries.agenda import agenda
    from kithkin.queries.search import search

    network = Network.objects.get(name__startswith="Bench")
    budget = network.daily_outreach_budget
    print(
        f"network: {Person.objects.filter(network=network).count():,} people, "
        f"{Interaction.objects.filter(network=network).count():,} interactions; "
        f"agenda for {TODAY}, budget {budget}"
    )

    from kithkin.queries.agenda import SECTIONS

    every_section = frozenset(SECTIONS)
    agenda_ms, result = timed(
        lambda: agenda(network, TODAY, defer=every_section), args.runs, warm=True
    )
    section_ms = {
        key: timed(lambda query=query: query(network, TODAY), args.runs, warm=True)[0]
        for key, query in SECTIONS.items()
    }
    whole_ms, _ = timed(lambda: agenda(network, TODAY), args.runs, warm=True)
    raw = sqlite3.connect(data_dir / "kithkin.sqlite3")
    offset = "+1 hours"  # Europe/Paris in winter: interaction instants -> local dates
    params = {
        "network": network.pk,
        "today": TODAY.isoformat(),
        "offset": offset,
        "until": (TODAY + dt.timedelta(days=7)).isoformat(),
    }

    def raw_agenda(sql: str) -> list[tuple[int, str]]:
        """The same output as agenda(): the ranked due list, the details of today's
        people, and the follow-ups due or coming up with their people."""
        todays = raw.execute(sql, params).fetchall()[:budget]
        ids = ",".join(str(row[0]) for row in todays) or "NULL"
        raw.execute(BASELINE_PEOPLE.format(ids=ids)).fetchall()
        raw.execute(BASELINE_FOLLOW_UPS, params).fetchall()
        return todays

    stored_ms, stored_rows = timed(lambda: raw_agenda(BASELINE_STORED), args.runs, warm=True)
    scan_ms, scan_rows = timed(
        lambda: raw_agenda(BASELINE_FROM_INTERACTIONS), max(3, args.runs // 6), warm=True
    )

    ids = [item.person.pk for item in result.check_ins]  # type: ignore[attr-defined]
    assert ids == [row[0] for row in stored_rows], "baseline and agenda disagree"  # type: ignore[union-attr]
    assert ids == [row[0] for row in scan_rows], "stored due dates disagree with interactions"  # type: ignore[union-attr]
    due_total = result.backlog.due_total  # type: ignore[attr-defined]

    search_ms, _ = timed(lambda: search(network, "python"), args.runs, warm=True)

    env = {**os.environ, "KITH_DATA_DIR": str(data_dir), "KITH_USER": "bench"}
    process_ms = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run(
            [KITH, "today", "--on", TODAY.isoformat()], env=env, check=True, capture_output=True
        )
        process_ms.append((time.perf_counter() - start) * 1000)

    agenda_median = statistics.median(agenda_ms)
    stored_median = statistics.median(stored_ms)
    print(f"due now: {due_total:,} people; today's {len(ids)} match both baselines\n")
    print(f"agenda query                       {summary(agenda_ms)}")
    print(
        f"  baseline: raw SQL, stored due    {summary(stored_ms)}   "
        f"ratio {agenda_median / stored_median:.2f}x"
    )
    print(
        f"  baseline: raw SQL, from 1M rows  {summary(scan_ms)}   "
        f"ratio {agenda_median / statistics.median(scan_ms):.2f}x"
    )
    for key, samples in section_ms.items():
        print(f"  section {key:26} {summary(samples)}")
    print(f"whole agenda, every section        {summary(whole_ms)}")
    print(f"search 'python'                    {summary(search_ms)}")
    print(f"`kith today` process               {summary(process_ms)}")
    targets = [
        ("agenda query <= 100 ms", agenda_median <= 100),
        ("agenda within 3x the raw baseline", agenda_median <= 3 * stored_median),
        ("`kith today` <= 1 s", statistics.median(process_ms) <= 1000),
    ]
    print()
    for name, met in targets:
        print(f"{'met ' if met else 'MISS'}  {name}")


def engine_figures(network, runs: int, data_dir: Path) -> dict:  # type: ignore[no-untyped-def]
    """What both engines are compared on, with CPU per run (bench/engines.py)."""
    from kithkin.queries.agenda import SECTIONS, agenda
    from kithkin.queries.search import search

    rows = {}
    every_section = frozenset(SECTIONS)
    samples, cpu, _ = measured(lambda: agenda(network, TODAY, defer=every_section), runs)
    rows["agenda query (no sections)"] = figures(samples, cpu)
    for key, query in SECTIONS.items():
        samples, cpu, _ = measured(lambda query=query: query(network, TODAY), runs)
        rows[f"section {key}"] = figures(samples, cpu)
    samples, cpu, _ = measured(lambda: agenda(network, TODAY), runs)
    rows["whole agenda, every section"] = figures(samples, cpu)
    samples, cpu, _ = measured(lambda: search(network, "python"), runs)
    rows["search 'python'"] = figures(samples, cpu)
    env = {**os.environ, "KITH_DATA_DIR": str(data_dir), "KITH_USER": "bench"}
    command = [KITH, "today", "--on", TODAY.isoformat()]
    samples, _, _ = measured(
        lambda: subprocess.run(command, env=env, check=True, capture_output=True), 5
    )
    rows["`kith today` process (wall only)"] = figures(samples, 0.0)
    return rows


def both_engines(args: argparse.Namespace, data_dir: Path) -> None:
    """The figures compared across engines, on either."""
    from django.db import connection

    from kithkin.models import Interaction, Network, Person

    network = Network.objects.get(name__startswith="Bench")
    print(
        f"{connection.vendor}: {Person.objects.filter(network=network).count():,} people, "
        f"{Interaction.objects.filter(network=network).count():,} interactions; "
        f"agenda for {TODAY}\n"
    )
    rows = engine_figures(network, args.runs, data_dir)
    for name, row in rows.items():
        print(f"{name:36} median {row['median']:8.1f} ms   cpu {row['cpu']:8.1f} ms")
    if args.json:
        emit(rows)


if __name__ == "__main__":
    main()
