"""The API's milestones and the occasions coming up."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Interaction, Milestone
from tests.api.practices import items, queries_of
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_milestones import born, make_milestone

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/milestones{rest}"


def test_milestones_list_by_person_and_filter(owner_api, network):
    ada, bob = make_person(network, "Ada Lovelace"), make_person(network, "Bob Kahn")
    make_milestone(network, ada, "promotion", on=dt.date(2026, 1, 5), title="VP")
    make_milestone(network, bob, "launch", on=dt.date(2026, 2, 1))
    make_milestone(network, ada, "award", on=dt.date(2025, 6, 1))
    rows = items(owner_api.get(url(network)))
    assert [(r["person"]["name"], r["date"]) for r in rows] == [
        ("Ada Lovelace", "2025-06-01"),
        ("Ada Lovelace", "2026-01-05"),
        ("Bob Kahn", "2026-02-01"),
    ]
    theirs = items(owner_api.get(url(network, f"?person={bob.pk}")))
    assert [r["kind"] for r in theirs] == ["launch"]


def test_the_milestones_list_costs_the_same_queries_for_two_rows_or_ten(owner_api, network):
    for n in range(2):
        make_milestone(network, make_person(network, f"A{n}"), on=dt.date(2026, 1, n + 1))
    few = queries_of(lambda: owner_api.get(url(network)))
    for n in range(8):
        make_milestone(network, make_person(network, f"B{n}"), on=dt.date(2026, 1, n + 1))
    assert queries_of(lambda: owner_api.get(url(network))) == few


def test_upcoming_occasions_include_birthdays(owner_api, network):
    soon = TODAY + dt.timedelta(days=3)
    born(network, "Ada Lovelace", soon.month, soon.day)
    make_milestone(
        network, make_person(network, "Bob Kahn"), "launch", on=TODAY + dt.timedelta(days=5)
    )
    body = owner_api.get(url(network, "/upcoming?days=7")).json()
    assert [(o["what"], o["person"]["name"]) for o in body] == [
        ("birthday", "Ada Lovelace"),
        ("milestone", "Bob Kahn"),
    ]
    assert owner_api.get(url(network, "/upcoming?days=0")).status_code == 422


def test_recording_a_milestone_and_celebrating_it(teammate_api, network):
    ada = make_person(network, "Ada Lovelace")
    made = teammate_api.call(
        "POST",
        url(network),
        {"person": ada.pk, "kind": "promotion", "on": "2026-02-10", "title": "CTO"},
    )
    assert made.status_code == 201, made.content
    assert (made.json()["title"], made.json()["date"]) == ("CTO", "2026-02-10")
    milestone = Milestone.objects.get(person=ada)
    celebrated = teammate_api.call(
        "POST", url(network, f"/{milestone.pk}/celebrate"), {"note": "Bravo", "kind": "call"}
    )
    assert celebrated.status_code == 201, celebrated.content
    assert Interaction.objects.filter(milestone=milestone, kind="call").exists()


def test_a_bad_milestone_is_422_naming_the_field(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    bad_kind = owner_api.call(
        "POST", url(network), {"person": ada.pk, "kind": "party", "on": "2026-01-01"}
    )
    assert bad_kind.json()["errors"][0]["field"] == "kind"
    bad_day = owner_api.call(
        "POST", url(network), {"person": ada.pk, "kind": "award", "on": "soon-ish"}
    )
    assert bad_day.status_code == 422 and bad_day.json()["errors"][0]["field"] == "on"


def test_removing_a_milestone(owner_api, viewer_api, outsider_api, network):
    milestone = make_milestone(network, make_person(network, "Ada Lovelace"), on=TODAY)
    path = url(network, f"/{milestone.pk}")
    assert outsider_api.call("DELETE", path).status_code == 404
    assert viewer_api.call("DELETE", path).status_code == 403
    assert owner_api.call("DELETE", path).status_code == 204
    assert not Milestone.objects.exists()


def test_upcoming_occasions_cost_the_same_queries_for_three_or_eight(owner_api, network):
    soon = TODAY + dt.timedelta(days=3)
    for name in ("Ada Lovelace", "Bob Kahn"):
        born(network, name, soon.month, soon.day)
    make_milestone(network, make_person(network, "Vint Cerf"), "launch", on=soon)
    few = queries_of(lambda: owner_api.get(url(network, "/upcoming?days=7")))
    for name in ("Grace Hopper", "Alan Turing"):
        born(network, name, soon.month, soon.day)
        make_milestone(network, make_person(network, f"{name} Jr"), "launch", on=soon)
    born(network, "Barbara Liskov", soon.month, soon.day)
    assert len(owner_api.get(url(network, "/upcoming?days=7")).json()) == 8
    assert queries_of(lambda: owner_api.get(url(network, "/upcoming?days=7"))) == few
