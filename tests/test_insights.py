"""The practice's figures on a hand-built network: each chart's numbers are what happened,
and `kith stats` prints exactly the numbers the Dashboard draws (the same query)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin import clock
from kithkin.models import Circle, FollowUp, Person
from kithkin.queries import insights
from kithkin.schemas.insights import StatsOut
from kithkin.services.interactions import log_interaction
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person
from tests.factories_ledger import gave, received
from tests.factories_opportunities import make_opportunity

pytestmark = pytest.mark.django_db


def values(chart: insights.Chart, label: str) -> dict[str, int]:
    i = chart.labels.index(label)
    return {s.name: s.values[i] for s in chart.series}


def test_months_end_with_this_one():
    months = insights.months_until(TODAY, 12)
    assert months[0] == dt.date(2025, 3, 1) and months[-1] == dt.date(2026, 2, 1)


def test_interactions_per_month_by_kind(network):
    ada = make_person(network, "Ada")
    log(network, ada, on=dt.date(2026, 1, 5), kind="meeting")
    log(network, ada, on=dt.date(2026, 1, 31), kind="meeting")
    log(network, ada, on=dt.date(2025, 12, 1), kind="email")
    log(network, ada, on=dt.date(2024, 12, 1), kind="email")  # before the 12 months

    chart = insights.interactions_by_month(network, TODAY)

    assert values(chart, "2026-01") == {"meeting": 2, "email": 0}
    assert values(chart, "2025-12") == {"meeting": 0, "email": 1}
    assert chart.total == 3


def test_follow_ups_on_time_late_and_not_done(network):
    ada = make_person(network, "Ada")
    on_time = make_follow_up(network, ada, "a", due_on=dt.date(2026, 1, 10))
    late = make_follow_up(network, ada, "b", due_on=dt.date(2026, 1, 15))
    make_follow_up(network, ada, "c", due_on=dt.date(2026, 1, 20))
    make_follow_up(network, ada, "d", due_on=dt.date(2026, 3, 1))  # not due yet: left out
    zone = network.time_zone
    FollowUp.objects.filter(pk=on_time.pk).update(
        done_at=clock.local_noon(dt.date(2026, 1, 10), zone)
    )
    FollowUp.objects.filter(pk=late.pk).update(done_at=clock.local_noon(dt.date(2026, 1, 16), zone))

    chart = insights.follow_ups_on_time(network, TODAY)

    assert values(chart, "2026-01") == {"on time": 1, "late": 1, "not done": 1}
    assert chart.total == 3


def test_given_and_received_by_weight(network):
    ada = make_person(network, "Ada")
    gave(network, ada, on=dt.date(2026, 1, 3), weight=3)
    gave(network, ada, on=dt.date(2026, 1, 9), weight=1)
    received(network, ada, on=dt.date(2026, 2, 2), weight=2)

    chart = insights.given_and_received(network, TODAY)

    assert values(chart, "2026-01") == {"given": 4, "received": 0}
    assert values(chart, "2026-02") == {"given": 0, "received": 2}


def test_new_people_by_source(network):
    ada = make_person(network, "Ada")
    grace = make_person(network, "Grace")
    Person.objects.filter(pk=grace.pk).update(introduced_by=ada)
    make_person(network, "Linus", connected_on=dt.date(2025, 6, 1))

    chart = insights.new_people(network, TODAY)

    assert values(chart, "2026-02") == {
        "introduced": 1,
        "met at an event": 0,
        "added or imported": 1,
    }
    assert values(chart, "2025-06")["added or imported"] == 1


def test_each_circle_kept_on_cadence(network):
    close = Circle.objects.get(network=network, name="close")  # every 30 days
    ada, grace = make_person(network, "Ada"), make_person(network, "Grace")
    Person.objects.filter(pk__in=[ada.pk, grace.pk]).update(circle=close)
    log(network, ada, on=dt.date(2026, 1, 25))
    log(network, grace, on=dt.date(2026, 1, 5))

    chart = insights.cadence_kept(network, TODAY)

    assert values(chart, "2026-02")["close"] == 50  # Ada within 30 days of today
    assert values(chart, "2026-01")["close"] == 100  # both within 30 days of 31 January
    assert values(chart, "2025-11")["close"] == 0


def test_opportunities_by_source_and_outcome(network):
    ada = make_person(network, "Ada")
    make_opportunity(network, "Through Ada", source=ada, status="won")
    make_opportunity(network, "Mine", status="won")
    make_opportunity(network, "Open one")

    chart = insights.opportunities(network)

    assert values(chart, "won") == {"through your network": 1, "found yourself": 1}
    assert values(chart, "open") == {"through your network": 0, "found yourself": 1}


def test_kith_stats_prints_the_dashboards_numbers(kith, network):
    ada = make_person(network, "Ada")
    log(network, ada, on=dt.date(2026, 1, 5), kind="meeting")
    gave(network, ada, on=dt.date(2026, 1, 3), weight=3)

    result = kith("stats", "--json")

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == StatsOut.of(insights.compute(network, TODAY)).data()
    chart = next(c for c in printed["charts"] if c["key"] == "interactions")
    assert chart["series"] == [{"name": "meeting", "values": [0] * 10 + [1, 0]}]


def test_kith_stats_as_tables(kith, network):
    log(network, make_person(network, "Ada"), on=dt.date(2026, 1, 5), kind="meeting")
    output = kith("stats").stdout
    assert "Interactions per month" in output
    assert "2026-01" in output


def test_a_logged_meeting_is_in_the_charts_at_once(network):
    ada = make_person(network, "Ada")
    Person.objects.filter(pk=ada.pk).update(
        circle=Circle.objects.get(network=network, name="close")
    )
    before = insights.stats(network, TODAY)
    log(network, ada, on=dt.date(2026, 2, 1), kind="meeting")
    after = insights.stats(network, TODAY)
    assert before.chart("interactions").total == 0
    assert values(after.chart("interactions"), "2026-02") == {"meeting": 1}
    assert values(after.chart("cadence"), "2026-02")["close"] == 100


def test_an_interaction_late_on_the_last_evening_of_a_month_counts_in_that_month(network, owner):
    ada = make_person(network, "Ada")
    # 23:30 in Paris on 31 January is 22:30 UTC: still January where the network lives.
    late = dt.datetime(2026, 1, 31, 22, 30, tzinfo=dt.UTC)
    early = dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 February in Paris
    for at in (late, early):
        log_interaction(network, owner, kind="call", people=[ada], occurred_at=at)
    chart = insights.interactions_by_month(network, TODAY)
    assert values(chart, "2026-01") == {"call": 1}
    assert values(chart, "2026-02") == {"call": 1}


def test_people_connected_after_this_month_are_not_drawn(network):
    make_person(network, "Later", connected_on=dt.date(2026, 3, 2))
    assert insights.new_people(network, TODAY).total == 0


def test_a_follow_up_done_late_in_the_evening_of_its_due_date_is_on_time(network):
    ada = make_person(network, "Ada")
    evening = make_follow_up(network, ada, "a", due_on=dt.date(2026, 1, 10))
    after_midnight = make_follow_up(network, ada, "b", due_on=dt.date(2026, 1, 10))
    # Paris: 23:30 on the 10th is 22:30 UTC; 00:30 on the 11th is 23:30 UTC on the 10th.
    FollowUp.objects.filter(pk=evening.pk).update(
        done_at=dt.datetime(2026, 1, 10, 22, 30, tzinfo=dt.UTC)
    )
    FollowUp.objects.filter(pk=after_midnight.pk).update(
        done_at=dt.datetime(2026, 1, 10, 23, 30, tzinfo=dt.UTC)
    )

    chart = insights.follow_ups_on_time(network, TODAY)

    assert values(chart, "2026-01") == {"on time": 1, "late": 1, "not done": 0}
