"""Benchmark: triage and bulk "set circle" on a large network where nobody has a circle yet,
beside raw-SQL baselines measured in the same run.

    .venv/bin/python bench/triage.py [--people 30000] [--interactions 1000000] [--runs 5]

The network is the cached one of bench/agenda.py (generated once by the demo generator);
this benchmark works on a copy of it in which every person's circle and own cadence are
cleared, as after a LinkedIn import. Figures printed:

- triage: kithkin.queries.triage.suggestions() for everyone (the grouped queries, the
  rules, the evidence sentences);
- baseline, raw SQL over the stored tallies: the same reads written by hand (the
  interaction tallies of the untriaged; value received and given; organizations shared
  with me; the people), fetched and nothing more;
- raw SQL grouping interactions: the interaction evidence grouped from the million
  participant rows instead, as before tallies were stored (what they save);
- bulk set circle: kithkin.services.people_bulk.set_circle() on everyone untriaged (one
  UPDATE, then their due dates refreshed);
- baseline, raw SQL UPDATE of the same rows (no due dates: what the database alone costs).

Between runs the circles are cleared again, untimed.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import summary, timed
from network import TODAY, prepare

UNTRIAGED = """
    p.network_id = :network AND NOT p.is_self AND p.archived_at IS NULL
    AND p.circle_id IS NULL AND p.cadence_days IS NULL
"""

BASELINE_AGGREGATE = [
    f"""
    SELECT ip.person_id, COUNT(*),
           SUM(i.kind IN ('message', 'email')), SUM(i.kind IN ('meeting', 'call', 'video', 'event')),
           SUM(i.direction = 'inbound'), SUM(i.direction = 'outbound'),
           MAX(i.occurred_at),
           MAX(CASE WHEN i.kind IN ('meeting', 'call', 'video', 'event') THEN i.occurred_at END)
    FROM kithkin_interactionparticipant ip JOIN kithkin_interaction i ON i.id = ip.interaction_id
    JOIN kithkin_person p ON p.id = ip.person_id
    WHERE {UNTRIAGED}
    GROUP BY ip.person_id
    """,
    f"""
    SELECT v.giver_id, SUM(v.kind = 'recommendation'), SUM(v.kind = 'endorsement'), COUNT(*)
    FROM kithkin_valueexchange v JOIN kithkin_person p ON p.id = v.giver_id
    WHERE v.receiver_id = :me AND {UNTRIAGED}
    GROUP BY v.giver_id
    """,
    f"""
    SELECT v.receiver_id, COUNT(*)
    FROM kithkin_valueexchange v JOIN kithkin_person p ON p.id = v.receiver_id
    WHERE v.giver_id = :me AND {UNTRIAGED}
    GROUP BY v.receiver_id
    """,
    f"""
    SELECT a.person_id, o.name, a.end_on FROM kithkin_affiliation a
    JOIN kithkin_organization o ON o.id = a.organization_id
    JOIN kithkin_person p ON p.id = a.person_id
    WHERE {UNTRIAGED}
      AND a.organization_id IN (SELECT organization_id FROM kithkin_affiliation
                                WHERE person_id = :me)
    """,
    f"SELECT p.id, p.full_name, p.connected_on FROM kithkin_person p WHERE {UNTRIAGED}",
]

# The same reads with the interaction evidence taken from the stored tallies, as triage
# does now: the database's floor for this design.
BASELINE_STORED = [
    f"""
    SELECT t.* FROM kithkin_interactiontally t JOIN kithkin_person p ON p.id = t.person_id
    WHERE {UNTRIAGED}
    """,
    *BASELINE_AGGREGATE[1:],
]

BASELINE_UPDATE = f"""
    UPDATE kithkin_person AS p SET circle_id = :circle, updated_at = :now WHERE {UNTRIAGED}
"""

CLEAR = """
    UPDATE kithkin_person SET circle_id = NULL, cadence_days = NULL, check_in_due_on = NULL
    WHERE network_id = :network AND NOT is_self
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    cached = prepare(args.people, args.interactions)
    from django.db import connection

    copy = Path(tempfile.mkdtemp(prefix="kith-triage-")) / "kithkin.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(copy)])
    connection.close()
    connection.settings_dict["NAME"] = str(copy)
    print(f"working on a copy of {cached.name}: {copy}")

    from kithkin.clock import now
    from kithkin.models import Circle, Network, Person, User
    from kithkin.queries.triage import suggestions, untriaged
    from kithkin.services.people_bulk import set_circle

    network = Network.objects.get(name__startswith="Bench")
    user = User.objects.get(username="bench")
    me = Person.objects.get(network=network, is_self=True)
    regular = Circle.objects.get(network=network, name="regular")
    raw = sqlite3.connect(copy, isolation_level=None)
    params = {"network": network.pk, "me": me.pk, "circle": regular.pk, "now": now().isoformat()}

    def clear() -> None:
        raw.execute(CLEAR, params)

    clear()
    people = untriaged(network).count()
    print(f"network: {people:,} people without a circle; triage for {TODAY}\n")

    triage_ms, found = timed(lambda: suggestions(network, TODAY), args.runs)
    assert len(found) == people  # type: ignore[arg-type]
    stored_ms, _ = timed(
        lambda: [raw.execute(sql, params).fetchall() for sql in BASELINE_STORED], args.runs
    )
    aggregate_ms, _ = timed(
        lambda: [raw.execute(sql, params).fetchall() for sql in BASELINE_AGGREGATE], args.runs
    )
    bulk_ms, moved = timed(
        lambda: set_circle(network, user, untriaged(network), regular), args.runs, before=clear
    )
    assert moved == people
    update_ms, _ = timed(lambda: raw.execute(BASELINE_UPDATE, params), args.runs, before=clear)

    triage_median = statistics.median(triage_ms)
    bulk_median = statistics.median(bulk_ms)
    print(f"triage suggestions                 {summary(triage_ms)}")
    print(
        f"  baseline: raw SQL, stored tally  {summary(stored_ms)}   "
        f"ratio {triage_median / statistics.median(stored_ms):.2f}x"
    )
    print(
        f"  raw SQL grouping interactions    {summary(aggregate_ms)}   "
        f"ratio {triage_median / statistics.median(aggregate_ms):.2f}x  (without stored tallies)"
    )
    print(f"bulk set circle, due dates too     {summary(bulk_ms)}")
    print(
        f"  baseline: raw SQL UPDATE         {summary(update_ms)}   "
        f"ratio {bulk_median / statistics.median(update_ms):.2f}x"
    )
    print()
    for name, met in (
        (f"triage for {people:,} people <= 2 s", triage_median <= 2000),
        (f"bulk set circle on {people:,} people <= 2 s", bulk_median <= 2000),
    ):
        print(f"{'met ' if met else 'MISS'}  {name}")
    raw.close()
    copy.unlink()


if __name__ == "__main__":
    main()
