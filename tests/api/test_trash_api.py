"""The trash and a person's History over the API."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Person, TrashedItem
from kithkin.services.people import PersonChanges, delete_person, update_person
from tests.api.conftest import caller
from tests.factories import make_follow_up, make_person

pytestmark = pytest.mark.django_db


def base(network) -> str:
    return f"/api/v1/networks/{network.pk}"


def test_delete_a_follow_up_then_list_and_restore_it(network, owner):
    ada = make_person(network, "Ada Lovelace")
    owed = make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 21))
    owed_id = owed.pk
    api = caller(owner)

    assert api.call("DELETE", f"{base(network)}/follow-ups/{owed_id}").status_code == 204
    listed = api.call("GET", f"{base(network)}/trash")
    assert listed.status_code == 200
    [row] = listed.json()
    assert (row["kind"], row["name"], row["deleted_by"], row["days_left"]) == (
        "follow_up",
        "Send the paper",
        "Olive Owner",
        30,
    )

    restored = api.call("POST", f"{base(network)}/trash/{row['id']}/restore")

    assert restored.status_code == 200, restored.content
    assert restored.json() == {
        "kind": "follow_up",
        "record_id": owed_id,
        "name": "Send the paper",
        "left_out": 0,
    }
    assert not TrashedItem.objects.exists()


def test_a_refused_restore_is_a_problem(network, owner):
    ada = make_person(network, "Ada Lovelace")
    ada_id = ada.pk
    item = delete_person(network, owner, ada)
    Person.objects.create(pk=ada_id, network=network, full_name="Someone Else")

    response = caller(owner).call("POST", f"{base(network)}/trash/{item.pk}/restore")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "exists again" in response.json()["detail"]


def test_a_persons_history(network, owner, teammate):
    ada = make_person(network, "Ada Lovelace", headline="Countess")
    update_person(network, teammate, ada, PersonChanges(headline="Mathematician"))

    response = caller(owner).call("GET", f"{base(network)}/people/{ada.pk}/history")

    assert response.status_code == 200
    latest = response.json()[0]
    assert (latest["who"], latest["kind"]) == ("Teammate Member", "person.updated")
    assert latest["values"] == [
        {"field": "headline", "before": "Countess", "after": "Mathematician"}
    ]
