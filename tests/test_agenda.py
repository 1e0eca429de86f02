"""The agenda: what is due, in what order, why, and how the budget spreads a backlog."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.dates import Every
from kithkin.queries.agenda import agenda
from kithkin.services.accounts import update_settings
from kithkin.services.followups import complete_follow_up
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db
D = dt.date


def names(items):
    return [item.person.full_name for item in items]


def test_check_ins_rank_by_lateness_relative_to_cadence(network):
    # 20 days late on a 30-day cadence (0.67) beats 40 days late on a 90-day one (0.44).
    close = make_person(network, "Cara Close", circle="close")
    regular = make_person(network, "Rex Regular", circle="regular")
    log(network, close, on=TODAY - dt.timedelta(days=50))
    log(network, regular, on=TODAY - dt.timedelta(days=130))
    result = agenda(network, TODAY)
    assert names(result.check_ins) == ["Cara Close", "Rex Regular"]
    assert [item.lateness for item in result.check_ins] == [0.67, 0.44]


def test_equally_late_people_rank_closest_circle_first(network):
    occasional = make_person(
        network, "Olga Occasional", circle="occasional", connected_on=TODAY - dt.timedelta(days=360)
    )
    close = make_person(
        network, "Cara Close", circle="close", connected_on=TODAY - dt.timedelta(days=60)
    )
    assert occasional and close
    assert names(agenda(network, TODAY).check_ins) == ["Cara Close", "Olga Occasional"]


def test_each_check_in_says_why(network):
    ada = make_person(network, circle="close")
    log(network, ada, on=TODAY - dt.timedelta(days=47))
    make_person(network, "Nina Never", circle="close", connected_on=TODAY - dt.timedelta(days=40))
    reasons = {
        item.person.full_name: item.status.reason for item in agenda(network, TODAY).check_ins
    }
    assert reasons == {
        "Ada Lovelace": "last talked 47 days ago, cadence 30 days",
        "Nina Never": "never contacted; connected 40 days ago, cadence 30 days",
    }


def test_people_not_yet_due_archived_or_without_cadence_stay_off(network):
    log(
        network, make_person(network, "Fresh Talk", circle="close"), on=TODAY - dt.timedelta(days=5)
    )
    make_person(network, "Ann Acquaintance", circle="acquaintance", connected_on=D(2020, 1, 1))
    assert agenda(network, TODAY).check_ins == []


def test_the_budget_spreads_a_backlog_over_the_coming_days(network, owner):
    update_settings(owner, network, daily_outreach_budget=3)
    for i in range(8):
        make_person(
            network, f"Late {i}", circle="close", connected_on=TODAY - dt.timedelta(days=40 + i)
        )
    result = agenda(network, TODAY)
    assert names(result.check_ins) == ["Late 7", "Late 6", "Late 5"]  # most overdue first
    backlog = result.backlog
    assert (backlog.due_total, backlog.later, backlog.days_to_clear) == (8, 5, 2)
    assert backlog.schedule == [(D(2026, 2, 21), 3), (D(2026, 2, 22), 2)]


def test_follow_ups_due_and_overdue_come_first_whatever_the_budget(network):
    ada = make_person(network)
    make_follow_up(network, ada, "Send the paper", due_on=D(2026, 2, 10))
    make_follow_up(network, ada, "Call about the talk", due_on=TODAY)
    make_follow_up(network, ada, "Ask about Babbage", due_on=D(2026, 2, 23))
    make_follow_up(network, ada, "Far away", due_on=D(2026, 6, 1))
    result = agenda(network, TODAY)
    assert [(i.title, i.reason) for i in result.follow_ups_due] == [
        ("Send the paper", "overdue by 10 days (due 2026-02-10)"),
        ("Call about the talk", "due today"),
    ]
    assert [(i.title, i.reason) for i in result.follow_ups_upcoming] == [
        ("Ask about Babbage", "due in 3 days (2026-02-23)")
    ]


def test_done_follow_ups_leave_and_recurring_ones_come_back(network, owner):
    ada = make_person(network)
    monthly = make_follow_up(
        network, ada, "Monthly sync notes", due_on=D(2026, 1, 31), every=Every(1, "m")
    )
    following = complete_follow_up(network, owner, monthly, today=TODAY)
    assert following is not None and following.due_on == D(2026, 2, 28)
    result = agenda(network, TODAY)
    assert result.follow_ups_due == []
    assert [i.id for i in result.follow_ups_upcoming] == []  # 8 days away
    assert agenda(network, D(2026, 2, 28)).follow_ups_due[0].id == following.pk


def test_a_late_completion_schedules_the_next_occurrence_in_the_future(network, owner):
    weekly = make_follow_up(
        network, make_person(network), "Weekly", due_on=D(2026, 1, 1), every=Every(1, "w")
    )
    following = complete_follow_up(network, owner, weekly, today=TODAY)
    assert following is not None and following.due_on == D(2026, 2, 26)


def test_agenda_for_another_date(network):
    ada = make_person(network, circle="close")
    log(network, ada, on=D(2026, 1, 10))
    assert agenda(network, D(2026, 2, 1)).check_ins == []
    assert names(agenda(network, D(2026, 2, 9)).check_ins) == ["Ada Lovelace"]


def test_other_networks_never_appear(network, outsider):
    from tests.factories import network_of

    theirs = network_of(outsider)
    make_person(theirs, "Their Contact", circle="close", connected_on=D(2025, 1, 1))
    make_follow_up(theirs, make_person(theirs, "Other"), "Their promise", due_on=TODAY)
    result = agenda(network, TODAY)
    assert result.check_ins == [] and result.follow_ups_due == []


def test_query_count_does_not_grow_with_the_network(network):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            result = agenda(network, TODAY)
            [
                (i.person.full_name, i.circle, str(i.person.affiliations.all()))
                for i in result.check_ins
            ]
            [[p.name for p in i.people] for i in result.follow_ups_due]
        return len(queries)

    def grow(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = make_person(
                network,
                f"Person {i}",
                circle="close",
                organization=f"Org {i}",
                title="CTO",
                connected_on=D(2025, 1, 1),
            )
            make_follow_up(network, person, f"Promise {i}", due_on=TODAY)

    grow(2, 0)
    small = count_queries()
    grow(10, 2)
    assert count_queries() == small


def test_check_ins_due_are_counted_and_ranked_from_one_index(network):
    """Today counts and ranks everyone due from ``person_due`` alone (no person row
    read for it): at 90,000 people reading 8,000 rows for their cadence cost 25 ms. Only
    the budget's people are read whole. The counts are checked on every database, the
    plan on SQLite."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from kithkin.queries.agenda import agenda as read_agenda

    for i in range(8):
        make_person(network, f"Due {i}", circle="close", connected_on=dt.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as captured:
        result = read_agenda(network, dt.date(2026, 2, 20))
    assert result.backlog.due_total == 8
    assert len(result.check_ins) == min(8, max(network.daily_outreach_budget, 1))
    count, ranked = (
        q["sql"]
        for q in captured.captured_queries
        if '"check_in_due_on" <=' in q["sql"] and "kithkin_followup" not in q["sql"]
    )
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans a test's few rows by its statistics (any index will do)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (count, ranked):  # the ranking is the latter's subquery
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "COVERING INDEX person_due" in plan, plan
