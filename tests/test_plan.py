""" "Your N for today": one ranked list across the agenda, bounded by the daily budget."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.queries.agenda import agenda
from kithkin.queries.agenda_items import PersonRef
from kithkin.queries.plan import KINDS, PlanRow, plan, rank
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person
from tests.factories_events import make_event
from tests.factories_ledger import received
from tests.factories_milestones import born, make_milestone

pytestmark = pytest.mark.django_db


def rows(kind: str, count: int) -> list[PlanRow]:
    return [
        PlanRow(kind, f"{kind}-{i}", f"{kind} {i}", [PersonRef(i, "P")], "why", "x", i)
        for i in range(count)
    ]


def test_every_kind_first_gets_its_most_urgent_row_then_rank_order_within_shares():
    by_kind = {"follow_up": rows("follow_up", 6), "thanks": rows("thanks", 1)}
    by_kind |= {"check_in": rows("check_in", 4)}
    chosen, left_out = rank(by_kind, 5)
    # one of each kind, then follow-ups up to their share (ceil(5/2) = 3), in rank order
    assert [row.key for row in chosen] == [
        "follow_up-0",
        "follow_up-1",
        "follow_up-2",
        "thanks-0",
        "check_in-0",
    ]
    assert left_out == 6


def test_a_single_kind_fills_the_budget_when_nothing_else_waits():
    chosen, left_out = rank({"follow_up": rows("follow_up", 8)}, 5)
    assert [row.key for row in chosen] == [f"follow_up-{i}" for i in range(5)]
    assert left_out == 3


def test_the_plan_ranks_promises_then_moments_then_gratitude_then_check_ins(network):
    network.daily_outreach_budget = 6
    network.save()
    ada = make_person(network, "Ada Lovelace", circle="close", connected_on=dt.date(2025, 1, 1))
    grace = make_person(network, "Grace Hopper")
    make_follow_up(network, grace, "Send Grace the paper", due_on=TODAY - dt.timedelta(days=4))
    make_follow_up(network, grace, "Ask Grace about COBOL", due_on=TODAY)
    make_follow_up(network, grace, "Not yet", due_on=TODAY + dt.timedelta(days=2))
    event = make_event(network, "PyCon", starts_on=TODAY - dt.timedelta(days=1))
    linus = make_person(network, "Linus Torvalds")
    log(network, linus, on=TODAY - dt.timedelta(days=1), kind="event", event=event)
    barbara = make_person(network, "Barbara Liskov")
    received(network, barbara, on=TODAY - dt.timedelta(days=6))
    margaret = make_person(network, "Margaret Hamilton")
    make_milestone(network, margaret, "job-loss", on=TODAY - dt.timedelta(days=2))
    born(network, "Alan Kay", TODAY.month, TODAY.day)
    born(network, "Next Week", 2, 27)  # not today: stays in Celebrate, not in the plan

    result = plan(agenda(network, TODAY))

    # Six kinds, a budget of six: the most urgent of each, in kind order.
    assert [(row.kind, row.title) for row in result.rows] == [
        ("follow_up", "Send Grace the paper"),
        ("met", "Follow up with Linus Torvalds"),
        ("thanks", "Thank Barbara Liskov"),
        ("support", "Offer help to Margaret Hamilton"),
        ("celebrate", "Wish Alan Kay a happy birthday"),
        ("check_in", "Check in with Ada Lovelace"),
    ]
    assert [row.reason for row in result.rows][:2] == [
        "overdue by 4 days (due 2026-02-16)",
        "met at PyCon yesterday, no follow-up yet",
    ]
    assert [row.action for row in result.rows] == [
        "done",
        "follow_up",
        "thank",
        "help",
        "celebrate",
        "log",
    ]
    assert result.budget == 6
    assert result.waiting == 1  # the follow-up due today: tomorrow's plan, or the section

    network.daily_outreach_budget = 7
    network.save()
    wider = plan(agenda(network, TODAY))
    assert [row.title for row in wider.rows][:2] == [
        "Send Grace the paper",
        "Ask Grace about COBOL",
    ]
    assert wider.waiting == 0
    assert ada.pk in {ref.id for row in wider.rows for ref in row.people}


def test_the_budget_bounds_the_plan_and_check_ins_come_most_overdue_first(network):
    network.daily_outreach_budget = 2
    network.save()
    for name, days in (("Late", 200), ("Later", 400), ("Latest", 600)):
        person = make_person(network, name, circle="close")
        log(network, person, on=TODAY - dt.timedelta(days=days))
    result = plan(agenda(network, TODAY))
    assert [row.title for row in result.rows] == ["Check in with Latest", "Check in with Later"]
    assert result.rows[0].reason.startswith("last talked 600 days ago")
    assert {row.kind for row in result.rows} == {"check_in"}
    assert result.waiting == 1


def test_an_empty_agenda_is_an_empty_plan(network):
    result = plan(agenda(network, TODAY))
    assert result.rows == []
    assert result.waiting == 0
    assert set(KINDS) >= {"follow_up", "check_in"}
