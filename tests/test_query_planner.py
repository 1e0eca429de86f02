"""The planner has statistics after every bulk change: migrate, import, the demo network."""

from __future__ import annotations

import pytest
from django.db import connection

from kithkin import clock
from kithkin.demo import generate_network
from kithkin.importers.apply import apply_plan
from kithkin.importers.plan import plan_import
from kithkin.importers.records import ContactRecord, ParseResult
from kithkin.services.accounts import create_network
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _forget_statistics() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE sqlite_schema")  # makes sqlite_stat1 exist, then empty it
            cursor.execute("DELETE FROM sqlite_stat1")
        else:
            cursor.execute("SELECT pg_stat_reset()")


def _people_statistics() -> float | None:
    """The planner's row estimate for the people table, None when it has none."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'kithkin_person' AND idx IS NOT NULL"
            )
            # The largest: a partial index (person_put_away) counts only its own rows.
            counts = [float(stat.split()[0]) for (stat,) in cursor.fetchall()]
            return max(counts) if counts else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'kithkin_person'")
        (estimate,) = cursor.fetchone()
        return None if estimate < 0 else float(estimate)


def test_an_import_refreshes_the_statistics_once_committed():
    owner = factories.make_user("owner", full_name="Olive Owner")
    network = factories.network_of(owner)
    _forget_statistics()
    assert _people_statistics() != pytest.approx(41, abs=1)

    records = [
        ContactRecord(source="linkedin", path="c.csv", line=n + 2, full_name=f"Person {n}")
        for n in range(40)
    ]
    apply_plan(network, owner, plan_import(network, ParseResult(contacts=records)))

    assert _people_statistics() == pytest.approx(41, abs=1)  # 40 and *me*


def test_the_demo_network_arrives_with_statistics():
    owner = factories.make_user("owner", full_name="Olive Owner")
    _forget_statistics()
    generate_network(create_network(owner, name="Demo"), owner, people=30, interactions=50)
    assert _people_statistics() == pytest.approx(32, abs=1)  # 30, *me* in Demo, *me* at home


def test_the_workers_housekeeping_keeps_sqlites_statistics_current():
    """People added one at a time (no import) reach SQLite's planner on the worker's
    schedule; PostgreSQL's autovacuum does that itself, so the schedule leaves it be."""
    from django.test.utils import CaptureQueriesContext

    from kithkin.housekeeping import housekeeping

    owner = factories.make_user("owner", full_name="Olive Owner")
    network = factories.network_of(owner)
    _forget_statistics()
    for n in range(25):
        factories.make_person(network, f"Person {n}")
    with CaptureQueriesContext(connection) as captured:
        housekeeping(clock.now())
    if connection.vendor == "sqlite":
        assert _people_statistics() == pytest.approx(26, abs=1)  # 25 and *me*
    else:
        assert not [q for q in captured.captured_queries if "ANALYZE" in q["sql"]]
