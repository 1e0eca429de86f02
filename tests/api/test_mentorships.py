"""The API's mentorships and their sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Interaction, Mentorship
from tests.api.practices import items, queries_of
from tests.factories import make_person
from tests.factories_mentorships import make_mentorship, make_session, me

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/mentorships{rest}"


def test_mentorships_newest_first_ended_only_with_all(owner_api, network):
    barbara = make_person(network, "Barbara Liskov")
    alan = make_person(network, "Alan Turing")
    make_mentorship(network, mentor=barbara, started_on=dt.date(2025, 6, 1))
    ended = make_mentorship(network, mentee=alan, started_on=dt.date(2026, 1, 10))
    Mentorship.objects.filter(pk=ended.pk).update(status="ended", ended_on=dt.date(2026, 2, 1))
    rows = items(owner_api.get(url(network)))
    assert [(r["role"], r["mentor"]["name"]) for r in rows] == [("mentor", "Barbara Liskov")]
    every = items(owner_api.get(url(network, "?all=true")))
    assert [r["mentee"]["name"] for r in every] == ["Alan Turing", me(network).full_name]


def test_the_mentorships_list_costs_the_same_queries_for_two_rows_or_ten(owner_api, network):
    for n in range(2):
        make_session(
            network,
            make_mentorship(network, mentee=make_person(network, f"A{n}")),
            on=dt.date(2026, 2, 1),
        )
    few = queries_of(lambda: owner_api.get(url(network)))
    for n in range(8):
        make_mentorship(network, mentee=make_person(network, f"B{n}"))
    assert queries_of(lambda: owner_api.get(url(network))) == few


def test_adding_a_mentorship_and_logging_a_session(teammate_api, network):
    barbara = make_person(network, "Barbara Liskov")
    made = teammate_api.call(
        "POST",
        url(network),
        {
            "mentor": barbara.pk,
            "mentee": me(network).pk,
            "goals": ["Lead a team"],
            "cadence_days": 30,
            "started_on": "2026-01-01",
        },
    )
    assert made.status_code == 201, made.content
    mentorship_id = made.json()["id"]
    assert (made.json()["role"], made.json()["goals"]) == ("mentor", ["Lead a team"])
    logged = teammate_api.call(
        "POST",
        url(network, f"/{mentorship_id}/sessions"),
        {"on": "2026-02-19", "note": "Delegation"},
    )
    assert logged.status_code == 201, logged.content
    assert Interaction.objects.filter(mentorship_id=mentorship_id, summary="Delegation").exists()
    detail = teammate_api.get(url(network, f"/{mentorship_id}")).json()
    assert (detail["session_count"], detail["next_session_on"]) == (1, "2026-03-21")
    twice = teammate_api.call(
        "POST", url(network), {"mentor": barbara.pk, "mentee": me(network).pk}
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "mentee"


def test_pausing_and_adding_a_goal(owner_api, network):
    mentorship = make_mentorship(network, mentor=make_person(network, "Barbara Liskov"))
    path = url(network, f"/{mentorship.pk}")
    etag = owner_api.get(path)["ETag"]
    assert owner_api.patch(path, {"status": "paused"}, if_match=etag).json()["status"] == "paused"
    assert owner_api.patch(path, {"status": "active"}, if_match=etag).status_code == 412
    assert owner_api.patch(path, {"status": "paused"}).json()["errors"][0]["field"] == "status"
    goals = owner_api.call("POST", f"{path}/goals", {"goal": "Speak at a conference"}).json()[
        "goals"
    ]
    assert goals == ["Learn to lead a team", "Speak at a conference"]


def test_someone_of_another_network_cannot_be_a_mentor_here(owner_api, network, outsider):
    from tests.factories import network_of

    stranger = make_person(network_of(outsider), "Stranger")
    response = owner_api.call(
        "POST", url(network), {"mentor": stranger.pk, "mentee": me(network).pk}
    )
    assert response.status_code == 404
    assert not Mentorship.objects.exists()


def test_a_viewer_logs_no_session(viewer_api, network):
    mentorship = make_mentorship(network, mentor=make_person(network, "Barbara Liskov"))
    assert (
        viewer_api.call("POST", url(network, f"/{mentorship.pk}/sessions"), {}).status_code == 403
    )
    assert not Interaction.objects.filter(mentorship=mentorship).exists()
