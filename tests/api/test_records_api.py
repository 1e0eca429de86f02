"""Organizations, interactions, follow-ups, and the agenda, search and brief in the API:
what they answer, what they write, and in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin.models import FollowUp, Interaction, Organization, Person
from tests.api.conftest import caller
from tests.api.test_people_api import base, every_page
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json() if status != 204 else None


def field_of(response, status: int = 422) -> str:
    assert response.status_code == status, response.content
    return response.json()["errors"][0]["field"]


# Organizations


def test_organizations_list_add_edit_delete(owner_api, network, django_assert_max_num_queries):
    for name in ["Zeta", "Acme", "Beta", "Gamma"]:
        make_person(network, f"Someone at {name}", organization=name)
    with django_assert_max_num_queries(6):
        ok(owner_api.get(f"{base(network)}/organizations?limit=2"))
    items, pages = every_page(owner_api, f"{base(network)}/organizations?limit=3")
    assert [o["name"] for o in items] == ["Acme", "Beta", "Gamma", "Zeta"] and pages == 2
    assert items[0]["people_count"] == 1

    made = owner_api.call(
        "POST", f"{base(network)}/organizations", {"name": "Kithkin Ltd", "tags": ["oss"]}
    )
    card = ok(made, 201)
    assert card["tags"] == ["oss"] and card["people"] == []
    url = f"{base(network)}/organizations/{card['id']}"
    with django_assert_max_num_queries(10):
        got = owner_api.get(url)
    assert ok(got) == card and got["ETag"] == made["ETag"]
    taken = owner_api.call("POST", f"{base(network)}/organizations", {"name": "acme"})
    assert field_of(taken) == "name"
    assert field_of(owner_api.patch(url, {"kind": "planet"})) == "kind"

    edited = ok(owner_api.patch(url, {"website": "kithkin.example"}, **{"If-Match": got["ETag"]}))
    assert edited["website"].endswith("kithkin.example") and edited["name"] == "Kithkin Ltd"
    assert owner_api.patch(url, {"notes": "x"}, **{"If-Match": got["ETag"]}).status_code == 412
    assert owner_api.call("DELETE", url, **{"If-Match": got["ETag"]}).status_code == 412
    ok(owner_api.call("DELETE", url), 204)
    assert not Organization.objects.filter(pk=card["id"]).exists()
    assert owner_api.get(url).status_code == 404


# Interactions


def test_interactions_list_filters_and_pages(owner_api, network, django_assert_max_num_queries):
    ada, bob = make_person(network, "Ada"), make_person(network, "Bob")
    for day in range(1, 7):
        log(network, [ada, bob] if day % 2 else bob, on=dt.date(2025, 11, day), kind="call")
    log(network, ada, on=dt.date(2025, 11, 3), kind="email", summary="same day")
    url = f"{base(network)}/interactions"
    with django_assert_max_num_queries(7):
        ok(owner_api.get(f"{url}?limit=3"))
    items, pages = every_page(owner_api, f"{url}?limit=2")
    assert len(items) == 7 and len({i["id"] for i in items}) == 7 and pages == 4
    assert [i["on"] for i in items] == sorted((i["on"] for i in items), reverse=True)
    assert items[0]["people"] == [{"id": bob.pk, "name": "Bob"}]
    assert len(ok(owner_api.get(f"{url}?person={ada.pk}"))["items"]) == 4
    assert len(ok(owner_api.get(f"{url}?kind=email"))["items"]) == 1
    days = ok(owner_api.get(f"{url}?since=2025-11-03&until=2025-11-04"))["items"]
    assert sorted(i["on"] for i in days) == ["2025-11-03", "2025-11-03", "2025-11-04"]
    assert field_of(owner_api.get(f"{url}?kind=telepathy")) == "kind"
    assert field_of(owner_api.get(f"{url}?since=yesterday")) == "since"


def test_logging_an_interaction_resets_check_ins(owner_api, network):
    ada, bob = make_person(network, "Ada"), make_person(network, "Bob")
    made = owner_api.call(
        "POST",
        f"{base(network)}/interactions",
        {"kind": "meeting", "people": [ada.pk, bob.pk], "on": "2025-12-01", "summary": "Lunch"},
    )
    body = ok(made, 201)
    assert body["on"] == "2025-12-01" and body["summary"] == "Lunch"
    assert {p["name"] for p in body["people"]} == {"Ada", "Bob"}
    assert Person.objects.get(pk=ada.pk).last_interaction_at is not None
    got = owner_api.get(f"{base(network)}/interactions/{body['id']}")
    assert ok(got) == body and got["ETag"] == made["ETag"]

    def refused(payload) -> str:
        return field_of(owner_api.call("POST", f"{base(network)}/interactions", payload))

    assert refused({"kind": "telepathy", "people": [ada.pk]}) == "kind"
    assert refused({"kind": "call", "people": []}) == "people"
    assert refused({"kind": "call", "people": [ada.pk], "on": "2999-01-01"}) == "on"
    assert refused({"kind": "call", "people": [ada.pk], "occurred_at": "2025-01-01T10:00"}) == (
        "occurred_at"
    )
    assert refused({"kind": "call", "people": [ada.pk], "direction": "sideways"}) == "direction"
    assert Interaction.objects.filter(network=network).count() == 1


def test_another_networks_people_and_interactions_are_not_found(owner_api, network, outsider):
    theirs = make_person(outsider.current_network, "Theirs")
    talk = log(outsider.current_network, theirs, on=dt.date(2025, 12, 1))
    url = f"{base(network)}/interactions"
    assert owner_api.get(f"{url}/{talk.pk}").status_code == 404
    assert owner_api.get(f"{url}?person={theirs.pk}").status_code == 404
    logged = owner_api.call("POST", url, {"kind": "call", "people": [theirs.pk]})
    assert logged.status_code == 404
    assert not Interaction.objects.filter(network=network).exists()


# Follow-ups


def test_follow_ups_list_add_edit_done_snooze_delete(
    owner_api, network, django_assert_max_num_queries
):
    ada = make_person(network, "Ada")
    today = TODAY  # the frozen clock: the caller's today
    for days in [-3, -1, 0, 0, 5, 9]:
        make_follow_up(network, ada, f"in {days}", due_on=today + dt.timedelta(days=days))
    url = f"{base(network)}/follow-ups"
    with django_assert_max_num_queries(7):
        ok(owner_api.get(f"{url}?limit=2"))
    items, pages = every_page(owner_api, f"{url}?limit=4")
    assert [i["title"] for i in items][:2] == ["in -3", "in -1"] and len(items) == 6
    assert pages == 2
    assert len(ok(owner_api.get(f"{url}?status=due"))["items"]) == 4

    made = owner_api.call(
        "POST", url, {"title": "Send the deck", "people": [ada.pk], "every": "2w"}
    )
    body = ok(made, 201)
    assert body["due_on"] == str(today + dt.timedelta(days=2)) and body["recurrence"]
    one = f"{url}/{body['id']}"
    got = owner_api.get(one)
    assert ok(got) == body
    edited = ok(owner_api.patch(one, {"title": "Send the slides"}, **{"If-Match": got["ETag"]}))
    assert edited["title"] == "Send the slides" and edited["recurrence"] == body["recurrence"]
    assert owner_api.patch(one, {"title": "x"}, **{"If-Match": got["ETag"]}).status_code == 412

    snoozed = ok(owner_api.call("POST", f"{one}/snooze", {"until": "+3w"}))
    assert snoozed["due_on"] == str(today + dt.timedelta(weeks=3))
    assert field_of(owner_api.call("POST", f"{one}/snooze", {"until": "yesterday"})) == "until"
    assert field_of(owner_api.call("POST", f"{one}/snooze", {"until": "whenever"})) == "until"

    done = ok(owner_api.call("POST", f"{one}/done"))
    assert done["done"]["done"] is True and done["next"]["title"] == "Send the slides"
    assert owner_api.call("POST", f"{one}/done").status_code == 422  # already done
    assert [i["id"] for i in ok(owner_api.get(f"{url}?status=done"))["items"]] == [body["id"]]

    assert ok(owner_api.patch(f"{url}/{done['next']['id']}", {"every": None}))["recurrence"] is None
    ok(owner_api.call("DELETE", f"{url}/{done['next']['id']}"), 204)
    assert not FollowUp.objects.filter(pk=done["next"]["id"]).exists()


def test_a_viewer_cannot_complete_a_follow_up(viewer, network):
    ada = make_person(network, "Ada")
    owed = make_follow_up(network, ada, due_on=dt.date(2026, 12, 1))
    api = caller(viewer, "read")
    assert api.call("POST", f"{base(network)}/follow-ups/{owed.pk}/done").status_code == 403
    assert FollowUp.objects.get(pk=owed.pk).done_at is None


# Agenda, search, brief


def test_the_agenda_is_kith_today_json(owner_api, network, kith, django_assert_max_num_queries):
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 12, 1))
    with django_assert_max_num_queries(40):
        body = ok(owner_api.get(f"{base(network)}/agenda?date=2026-12-07"))
    assert body["date"] == "2026-12-07"
    assert [f["title"] for f in body["follow_ups"]] == ["Send the paper"]
    cli = kith("today", "--on", "2026-12-07", "--json")
    assert json.loads(cli.stdout) == body
    assert field_of(owner_api.get(f"{base(network)}/agenda?date=someday")) == "date"


def test_search_and_brief(owner_api, network, outsider):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    log(network, ada, on=dt.date(2025, 12, 1), summary="Talked about the difference engine")
    found = ok(owner_api.get(f"{base(network)}/search?q=lovelace"))
    assert [p["name"] for p in found["people"]] == ["Ada Lovelace"]
    brief = ok(owner_api.get(f"{base(network)}/people/{ada.pk}/brief"))
    assert brief["person"] == {"id": ada.pk, "name": "Ada Lovelace"}
    assert brief["interaction_count"] == 1
    assert brief["last_interactions"][0]["summary"] == "Talked about the difference engine"
    theirs = make_person(outsider.current_network, "Theirs")
    assert owner_api.get(f"{base(network)}/people/{theirs.pk}/brief").status_code == 404
