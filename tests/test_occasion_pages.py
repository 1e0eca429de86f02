"""A window's birthdays and work anniversaries read a page at a time (counted in SQL,
only the rows shown built) agree with reading every one of them and sorting in Python:
the first rows, in the same order, and the same count, celebrated ones left out."""

from __future__ import annotations

import datetime as dt
import random
from heapq import nsmallest
from operator import itemgetter

import pytest

from kithkin.queries.occasion_pages import first_occasions
from kithkin.queries.occasions import anniversary_rows, birthday_rows, built, celebrated_flags
from kithkin.services.milestones import celebrate_occasion
from tests.factories_milestones import born, make_job

pytestmark = pytest.mark.django_db

D = dt.date
# Names that sort differently by language than byte by byte, and shared names (ties).
NAMES = ["Ada", "ada", "Émile", "Zoë", "Åsa", "Ngozi", "Bob", "bob", "Chloé", "Ünal", "Ada"]


def reference(network, start: dt.date, end: dt.date, limit: int, open_only: bool):
    rows = birthday_rows(network, start, end) + anniversary_rows(network, start, end)
    if open_only:
        rows = [r for r, done in zip(rows, celebrated_flags(rows), strict=True) if not done]
    return built(nsmallest(limit, rows, key=itemgetter(0))), len(rows)


@pytest.fixture
def crowd(network, owner):
    """Sixty people born around New Year and the end of February (29 February among
    them), half with a job whose anniversary falls near the same days; a few celebrated."""
    rng = random.Random(11)
    days = [(12, 30), (12, 31), (1, 1), (1, 2), (2, 27), (2, 28), (2, 29), (3, 1)]
    people = []
    for i in range(60):
        month, day = rng.choice(days)
        year = 1984 if (month, day) == (2, 29) else 1980 + i % 30
        person = born(network, f"{rng.choice(NAMES)} {i % 7}", month, day, year=year)
        if i % 2:
            job_month, job_day = rng.choice(days)
            start = D(2020 if (job_month, job_day) == (2, 29) else 2016 + i % 8, job_month, job_day)
            make_job(network, person, f"Org {i % 4}", start_on=start)
        people.append(person)
    for person in people[:8]:
        celebrate_occasion(network, owner, person, "birthday:2026", today=D(2026, 12, 29))
    return people


WINDOWS = [
    (D(2026, 12, 28), D(2027, 1, 11)),  # across New Year: two years' occasion keys
    (D(2027, 2, 20), D(2027, 3, 6)),  # 29 February on the 28th
    (D(2028, 2, 20), D(2028, 3, 6)),  # a leap year: on the 29th
    (D(2026, 12, 30), D(2026, 12, 30)),  # one day
]


@pytest.mark.parametrize("open_only", [True, False])
def test_a_page_of_occasions_is_what_reading_them_all_gives(network, crowd, open_only):
    for start, end in WINDOWS:
        for limit in (1, 3, 10, 100):
            page, total = first_occasions(network, start, end, limit, open_only=open_only)
            expected, expected_total = reference(network, start, end, limit, open_only)
            assert total == expected_total, (start, limit)
            assert [(o.html_id, o.on, o.person.name) for o in page] == [
                (o.html_id, o.on, o.person.name) for o in expected
            ], (start, limit)


def test_celebrated_ones_leave_the_count_and_the_page(network, owner, crowd):
    window = (D(2026, 12, 28), D(2027, 1, 11))
    all_of_them, every = first_occasions(network, *window, 100, open_only=False)
    still_open, open_count = first_occasions(network, *window, 100, open_only=True)
    celebrated = {o.html_id for o in all_of_them} - {o.html_id for o in still_open}
    assert celebrated and every - open_count == len(celebrated)
    assert all(o.key == "birthday:2026" for o in all_of_them if o.html_id in celebrated)


def test_anniversaries_are_read_in_index_order_and_stop_at_the_page(network, crowd):
    """The first anniversaries of a window come from walking ``affiliation_anniversary``
    in its "MM-DD" order, each day's jobs sorted by name, and stopping at the page: not
    from sorting every job of the window (3,300 at 90,000 people)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL plans these few rows by its statistics")
    with CaptureQueriesContext(connection) as captured:
        first_occasions(network, D(2026, 12, 1), D(2026, 12, 31), 3, open_only=True)
    sql = next(
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "kithkin_affiliation"."id"') and "ORDER BY" in q["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row[3]) for row in cursor.fetchall())
    assert "affiliation_anniversary" in plan
    assert "TEMP B-TREE FOR RIGHT PART OF ORDER BY" in plan, plan
