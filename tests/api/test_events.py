"""The API's events and the people met there."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Attendance, Event, FollowUp
from tests.api.practices import items, queries_of
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_events import make_event, meet

pytestmark = pytest.mark.django_db


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}/events{rest}"


def test_events_list_upcoming_soonest_first_and_past_latest_first(owner_api, network):
    make_event(network, "Old meetup", starts_on=TODAY - dt.timedelta(days=30))
    make_event(network, "Last week", starts_on=TODAY - dt.timedelta(days=7))
    make_event(network, "Later", starts_on=TODAY + dt.timedelta(days=20), status="going")
    make_event(network, "Soon", starts_on=TODAY + dt.timedelta(days=2), status="going")
    upcoming = items(owner_api.get(url(network, "?when=upcoming")))
    assert [e["name"] for e in upcoming] == ["Soon", "Later"]
    past = items(owner_api.get(url(network, "?when=past")))
    assert [e["name"] for e in past] == ["Last week", "Old meetup"]
    everything = items(owner_api.get(url(network)))
    assert [e["name"] for e in everything] == ["Later", "Soon", "Last week", "Old meetup"]


def test_events_page_by_cursor_with_a_link_header(owner_api, network):
    for day in range(5):
        make_event(network, f"Event {day}", starts_on=TODAY - dt.timedelta(days=day + 1))
    first = owner_api.get(url(network, "?limit=2"))
    assert 'rel="next"' in first["Link"]
    seen = [e["name"] for e in first.json()["items"]]
    cursor = first.json()["next"]
    while cursor:
        body = owner_api.get(url(network, f"?limit=2&cursor={cursor}")).json()
        seen += [e["name"] for e in body["items"]]
        cursor = body["next"]
    assert seen == [f"Event {day}" for day in range(5)]


def test_the_events_list_costs_the_same_queries_for_two_events_or_ten(owner_api, network):
    for day in range(2):
        meet(network, make_event(network, f"A{day}", starts_on=TODAY - dt.timedelta(days=day)))
    few = queries_of(lambda: owner_api.get(url(network)))
    for day in range(8):
        meet(
            network,
            make_event(network, f"B{day}", starts_on=TODAY - dt.timedelta(days=day)),
            f"P{day}",
        )
    assert queries_of(lambda: owner_api.get(url(network))) == few


def test_an_editor_adds_an_event_and_an_outsider_never_sees_it(teammate_api, outsider_api, network):
    response = teammate_api.call(
        "POST",
        url(network),
        {
            "name": "PyCon",
            "starts_on": "2026-05-14",
            "kind": "conference",
            "organizer": "PSF",
            "tags": ["python"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["organizer"], body["tags"], body["met"]) == (
        "PyCon",
        "PSF",
        ["python"],
        [],
    )
    assert response["ETag"]
    event = Event.objects.get(network=network, name="PyCon")
    assert outsider_api.get(url(network, f"/{event.pk}")).status_code == 404


def test_a_bad_event_is_422_naming_the_field(owner_api, network):
    response = owner_api.call(
        "POST", url(network), {"name": "X", "starts_on": "2026-05-14", "kind": "party"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    missing = owner_api.call("POST", url(network), {"name": "X"})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "starts_on"


def test_patch_changes_only_what_is_given_and_honours_if_match(owner_api, network):
    event = make_event(network, "PyCon", location="Pittsburgh", tags=["python"])
    read = owner_api.get(url(network, f"/{event.pk}"))
    etag = read["ETag"]
    changed = owner_api.patch(
        url(network, f"/{event.pk}"), {"location": "Long Beach"}, if_match=etag
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["location"], changed.json()["tags"]) == ("Long Beach", ["python"])
    stale = owner_api.patch(url(network, f"/{event.pk}"), {"location": "Paris"}, if_match=etag)
    assert stale.status_code == 412
    event.refresh_from_db()
    assert event.location == "Long Beach"


def test_meeting_someone_at_an_event_owes_a_follow_up(owner_api, network):
    event = make_event(network, "PyCon")
    response = owner_api.call(
        "POST", url(network, f"/{event.pk}/people"), {"name": "Grace Hopper", "note": "COBOL"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["name"] == "Grace Hopper" and body["note"] == "COBOL"
    assert body["follow_up"]["status"] == "open"
    assert Attendance.objects.filter(event=event, person__full_name="Grace Hopper").exists()
    shown = owner_api.get(url(network, f"/{event.pk}")).json()
    assert [m["person"]["name"] for m in shown["met"]] == ["Grace Hopper"]


def test_a_name_close_to_someone_known_is_409_naming_them(owner_api, network):
    make_person(network, "Grace Hopper")
    event = make_event(network, "PyCon")
    response = owner_api.call("POST", url(network, f"/{event.pk}/people"), {"name": "Grace Hoper"})
    assert response.status_code == 409
    assert "Grace Hopper" in response.json()["detail"]
    assert not Attendance.objects.filter(event=event).exists()
    again = owner_api.call(
        "POST", url(network, f"/{event.pk}/people"), {"name": "Grace Hoper", "new": True}
    )
    assert again.status_code == 201


def test_a_follow_up_after_meeting_is_owed_once(owner_api, network):
    event = make_event(network, "PyCon")
    met = meet(network, event)
    FollowUp.objects.filter(pk=met.follow_up.pk).delete()
    path = url(network, f"/{event.pk}/people/{met.person.pk}/follow-up")
    first = owner_api.call("POST", path)
    assert first.status_code == 201 and first.json()["people"][0]["name"] == "Grace Hopper"
    assert owner_api.call("POST", path).status_code == 200


def test_a_viewer_reads_events_but_writes_none(viewer_api, network):
    event = make_event(network, "PyCon")
    assert viewer_api.get(url(network, f"/{event.pk}")).status_code == 200
    assert viewer_api.patch(url(network, f"/{event.pk}"), {"name": "Mine"}).status_code == 403
    assert (
        viewer_api.call("POST", url(network), {"name": "X", "starts_on": "2026-05-14"}).status_code
        == 403
    )
    assert Event.objects.filter(network=network).count() == 1
