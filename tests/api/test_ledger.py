"""The API's value ledger: the network's summary, a person's, exchanges and thanks."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import ValueExchange
from tests.api.practices import items, queries_of
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_ledger import gave, received

pytestmark = pytest.mark.django_db


def url(network, rest: str) -> str:
    return f"/api/v1/networks/{network.pk}{rest}"


def test_the_network_ledger_reads_as_kith_ledger(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    gave(network, ada, weight=3)
    received(network, ada, weight=5)
    body = owner_api.get(url(network, "/ledger")).json()
    assert (body["given"], body["received"], body["balance"]) == (3, 5, 2)
    assert [h["person"]["name"] for h in body["helped_most"]] == ["Ada Lovelace"]
    assert len(body["recent"]) == 2


def test_one_persons_ledger(owner_api, network, outsider_api):
    ada = make_person(network, "Ada Lovelace")
    gave(network, ada, weight=4)
    body = owner_api.get(url(network, f"/ledger/people/{ada.pk}")).json()
    assert (body["person"]["name"], body["given"], body["total"]) == ("Ada Lovelace", 4, 1)
    assert outsider_api.get(url(network, f"/ledger/people/{ada.pk}")).status_code == 404


def test_exchanges_filter_by_person_and_direction_newest_first(owner_api, network):
    ada, bob = make_person(network, "Ada Lovelace"), make_person(network, "Bob Kahn")
    gave(network, ada, description="talk review", on=TODAY - dt.timedelta(days=3))
    received(network, ada, description="intro", on=TODAY - dt.timedelta(days=1))
    gave(network, bob, description="book")
    rows = items(owner_api.get(url(network, f"/value-exchanges?person={ada.pk}")))
    assert [r["description"] for r in rows] == ["intro", "talk review"]
    given = items(owner_api.get(url(network, "/value-exchanges?direction=given")))
    assert [r["description"] for r in given] == ["book", "talk review"]
    bad = owner_api.get(url(network, "/value-exchanges?direction=sideways"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "direction"


def test_the_exchanges_list_costs_the_same_queries_for_two_rows_or_ten(owner_api, network):
    for n in range(2):
        gave(network, make_person(network, f"A{n}"))
    few = queries_of(lambda: owner_api.get(url(network, "/value-exchanges")))
    for n in range(8):
        received(network, make_person(network, f"B{n}"))
    assert queries_of(lambda: owner_api.get(url(network, "/value-exchanges"))) == few


def test_recording_value_given_and_received(teammate_api, network):
    ada = make_person(network, "Ada Lovelace")
    made = teammate_api.call(
        "POST",
        url(network, "/value-exchanges"),
        {"direction": "received", "person": ada.pk, "kind": "introduction", "weight": 4},
    )
    assert made.status_code == 201, made.content
    assert (made.json()["direction"], made.json()["giver"]["name"]) == ("received", "Ada Lovelace")
    wrong = teammate_api.call(
        "POST",
        url(network, "/value-exchanges"),
        {"direction": "given", "person": ada.pk, "kind": "hug"},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "kind"
    future = teammate_api.call(
        "POST",
        url(network, "/value-exchanges"),
        {"direction": "given", "person": ada.pk, "kind": "advice", "on": "2027-01-01"},
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "on"


def test_an_exchange_with_someone_of_another_network_is_404(owner_api, network, outsider):
    from tests.factories import network_of

    stranger = make_person(network_of(outsider), "Stranger")
    response = owner_api.call(
        "POST",
        url(network, "/value-exchanges"),
        {"direction": "given", "person": stranger.pk, "kind": "advice"},
    )
    assert response.status_code == 404
    assert not ValueExchange.objects.exists()


def test_thanking_marks_what_they_gave(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    received(network, ada)
    thanked = owner_api.call(
        "POST", url(network, "/ledger/thanks"), {"person": ada.pk, "note": "Merci"}
    )
    assert thanked.status_code == 200, thanked.content
    assert thanked.json()[0]["thanked_at"]
    again = owner_api.call("POST", url(network, "/ledger/thanks"), {"person": ada.pk})
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "person"


def test_deleting_an_exchange_honours_if_match(owner_api, viewer_api, network):
    exchange = gave(network, make_person(network, "Ada Lovelace"))
    path = url(network, f"/value-exchanges/{exchange.pk}")
    assert viewer_api.call("DELETE", path).status_code == 403
    assert owner_api.call("DELETE", path, if_match='"stale"').status_code == 412
    etag = owner_api.get(path)["ETag"]
    assert owner_api.call("DELETE", path, if_match=etag).status_code == 204
    assert not ValueExchange.objects.exists()
    assert owner_api.get(path).status_code == 404
