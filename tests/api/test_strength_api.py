"""Relationship strength in the API: a score on every row of the people list, and each
person's strength explained at /people/{id}/strength."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import caller
from tests.conftest import TODAY
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def base(network) -> str:
    return f"/api/v1/networks/{network.pk}"


@pytest.fixture
def ada(network):
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=TODAY - dt.timedelta(days=12), kind="meeting", direction="inbound")
    return ada


def test_the_people_list_gives_each_row_its_strength(owner_api, network, ada):
    make_person(network, "Grace Hopper")
    rows = {row["name"]: row for row in owner_api.get(f"{base(network)}/people").json()["items"]}
    assert rows["Ada Lovelace"]["strength"] > 0
    assert rows["Grace Hopper"]["strength"] is None


def test_a_persons_strength_is_explained(owner_api, network, ada):
    response = owner_api.get(f"{base(network)}/people/{ada.pk}/strength")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["words"][0] == "last in touch 12 days ago"
    assert body["explanation"].startswith("last in touch 12 days ago; 1 interaction")
    assert body["factors"]["they_reached_out"] == 1
    assert body["score"] == body["before"] + body["trend"]


def test_someone_without_contact_scores_zero_in_words(owner_api, network):
    grace = make_person(network, "Grace Hopper")
    body = owner_api.get(f"{base(network)}/people/{grace.pk}/strength").json()
    assert (body["score"], body["words"]) == (0, [])


def test_a_viewer_reads_it_and_an_outsider_gets_404(viewer, outsider, network, ada):
    path = f"{base(network)}/people/{ada.pk}/strength"
    assert caller(viewer, "read").get(path).status_code == 200
    assert caller(outsider).get(path).status_code == 404
