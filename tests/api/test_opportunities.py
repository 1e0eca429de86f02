"""The API's opportunities, shares, matches and the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Interaction, Opportunity, OpportunityShare
from tests.api.practices import items, queries_of
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_opportunities import make_opportunity, make_share

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}{rest}"


def test_the_board_soonest_deadline_first_active_only_unless_all(owner_api, network):
    make_opportunity(network, "No deadline")
    make_opportunity(network, "Later", deadline=TODAY + dt.timedelta(days=30))
    make_opportunity(network, "Sooner", deadline=TODAY + dt.timedelta(days=3))
    make_opportunity(network, "Won one", status="won")
    rows = items(owner_api.get(url(network, "/opportunities")))
    assert [r["title"] for r in rows] == ["Sooner", "Later", "No deadline"]
    everything = items(owner_api.get(url(network, "/opportunities?all=true")))
    assert len(everything) == 4
    won = items(owner_api.get(url(network, "/opportunities?status=won")))
    assert [r["title"] for r in won] == ["Won one"]


def test_the_board_pages_without_gaps(owner_api, network):
    for n in range(5):
        make_opportunity(network, f"Job {n}", deadline=TODAY + dt.timedelta(days=n % 2))
    seen, cursor = [], ""
    while True:
        body = owner_api.get(url(network, f"/opportunities?limit=2&cursor={cursor}")).json()
        seen += [r["title"] for r in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
    assert sorted(seen) == [f"Job {n}" for n in range(5)] and len(seen) == 5


def test_the_board_costs_the_same_queries_for_two_rows_or_ten(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    for n in range(2):
        make_opportunity(network, f"A{n}", tags=["python"], source=ada, organization="Babbage")
    few = queries_of(lambda: owner_api.get(url(network, "/opportunities")))
    for n in range(8):
        make_opportunity(network, f"B{n}", tags=[f"t{n}"], source=ada, organization=f"Org {n}")
    assert queries_of(lambda: owner_api.get(url(network, "/opportunities"))) == few


def test_adding_sharing_and_following_an_opportunity(teammate_api, network):
    ada, bob = make_person(network, "Ada Lovelace"), make_person(network, "Bob Kahn")
    made = teammate_api.call(
        "POST",
        url(network, "/opportunities"),
        {
            "title": "Staff engineer",
            "organization": "Babbage",
            "source": ada.pk,
            "tags": ["python"],
        },
    )
    assert made.status_code == 201, made.content
    opportunity_id = made.json()["id"]
    assert made.json()["source"]["name"] == "Ada Lovelace"
    shared = teammate_api.call(
        "POST", url(network, f"/opportunities/{opportunity_id}/shares"), {"person": bob.pk}
    )
    assert shared.status_code == 201, shared.content
    assert Interaction.objects.filter(participants=bob, summary="Shared: Staff engineer").exists()
    twice = teammate_api.call(
        "POST", url(network, f"/opportunities/{opportunity_id}/shares"), {"person": bob.pk}
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "person"
    share_id = shared.json()["id"]
    outcome = teammate_api.patch(
        url(network, f"/opportunity-shares/{share_id}"), {"outcome": "applied"}
    )
    assert outcome.json()["outcome"] == "applied"
    detail = teammate_api.get(url(network, f"/opportunities/{opportunity_id}")).json()
    assert (detail["status"], [s["outcome"] for s in detail["shares"]]) == ("shared", ["applied"])


def test_a_status_change_honours_if_match_and_names_a_bad_value(owner_api, network):
    opportunity = make_opportunity(network, "Staff engineer")
    path = url(network, f"/opportunities/{opportunity.pk}")
    etag = owner_api.get(path)["ETag"]
    assert owner_api.patch(path, {"status": "dreaming"}).json()["errors"][0]["field"] == "status"
    assert owner_api.patch(path, {"status": "won"}, if_match=etag).status_code == 200
    assert owner_api.patch(path, {"status": "lost"}, if_match=etag).status_code == 412
    opportunity.refresh_from_db()
    assert opportunity.status == "won"


def test_matches_rank_who_would_want_it(owner_api, network, outsider_api):
    make_person(network, "Ada Lovelace", headline="Python engineer")
    opportunity = make_opportunity(network, "Python engineer at Babbage", tags=["python"])
    body = owner_api.get(url(network, f"/opportunities/{opportunity.pk}/matches?limit=5")).json()
    assert body["opportunity"]["id"] == opportunity.pk
    assert [m["person"]["name"] for m in body["matches"]] == ["Ada Lovelace"]
    assert (
        outsider_api.get(url(network, f"/opportunities/{opportunity.pk}/matches")).status_code
        == 404
    )


def test_the_dashboard_counts_what_came_through_the_network(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    make_share(
        network, make_opportunity(network, "From Ada", source=ada), make_person(network, "Bob")
    )
    make_opportunity(network, "Found myself")
    body = owner_api.get(url(network, "/dashboard")).json()
    assert body["total"] == {"through_network": 1, "direct": 1, "total": 2}
    assert body["top_sources"][0]["person"]["name"] == "Ada Lovelace"
    assert body["shares"]["total"] == 1


def test_a_viewer_shares_nothing(viewer_api, network):
    opportunity = make_opportunity(network, "Staff engineer")
    bob = make_person(network, "Bob Kahn")
    path = url(network, f"/opportunities/{opportunity.pk}/shares")
    assert viewer_api.call("POST", path, {"person": bob.pk}).status_code == 403
    assert not OpportunityShare.objects.exists()
    assert Opportunity.objects.get().status == "open"


def test_matches_cost_the_same_queries_for_one_match_or_six(owner_api, network):
    opportunity = make_opportunity(network, "Python engineer at Babbage", tags=["python"])
    make_person(network, "Ada Lovelace", headline="Python engineer")
    address = url(network, f"/opportunities/{opportunity.pk}/matches?limit=10")
    few = queries_of(lambda: owner_api.get(address))
    for name in ("Grace Hopper", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra", "Bob Kahn"):
        make_person(network, name, headline="Python engineer")
    assert len(owner_api.get(address).json()["matches"]) == 6
    assert queries_of(lambda: owner_api.get(address)) == few
