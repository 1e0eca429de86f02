"""Every practice route, called by the owner with bodies and queries a careless client
sends: never a 5xx, always a problem for what it refuses."""

from __future__ import annotations

import re

import pytest

from tests.api.practices import practice_records
from tests.api.test_outsider_sweep import address, operations

pytestmark = pytest.mark.django_db

PRACTICES = re.compile(
    r"/(events|memberships|mentorships|milestones|ledger|value-exchanges|opportunities|"
    r"opportunity-shares|message-templates|duplicates|dashboard|imports|export)"
)
BODIES = [
    {},
    {"person": 999999, "mentor": 999999, "mentee": 999999, "kind": "x", "on": "2026-13-40"},
    {"person": "Ada", "name": "", "title": "", "status": "", "outcome": "", "until": "soon"},
    {"name": "x" * 5000, "title": "x" * 5000, "note": "\x00", "subject": "\n", "goal": " \x00"},
    {"direction": "given", "person": -1, "kind": "advice", "weight": 99},
    {"organization": "", "organization_id": 999999, "starts_on": "2026-02-30"},
]
QUERIES = ["", "?limit=0", "?limit=999", "?cursor=bogus", "?person=abc", "?days=-1", "?when=x"]


def test_no_body_or_query_makes_a_practice_route_fail(owner_api, network, owner):
    ids = {"network_id": network.pk, **practice_records(network, owner, "S")}
    called = 0
    for method, path in operations():
        if not PRACTICES.search(path):
            continue
        url = address(path, ids)
        if method == "get":
            for query in QUERIES:
                response = owner_api.call("GET", url + query)
                assert response.status_code < 500, (url + query, response.content)
                called += 1
            continue
        for body in BODIES:
            response = owner_api.call(method.upper(), url, body)
            assert response.status_code < 500, (method, url, body, response.content)
            if response.status_code >= 400:
                assert response["Content-Type"] == "application/problem+json"
            called += 1
    assert called > 100


def test_a_nul_character_is_refused_naming_the_field(owner_api, network):
    """PostgreSQL cannot store one, and the web's forms refuse it: a 422, never a fault."""
    base = f"/api/v1/networks/{network.pk}"
    made = owner_api.call(
        "POST", f"{base}/events", {"name": "Py\x00Con", "starts_on": "2026-05-14"}
    )
    assert made.status_code == 422
    assert made.json()["errors"][0]["field"] == "name"
    tags = owner_api.call(
        "POST", f"{base}/opportunities", {"title": "Job", "tags": ["ok", "n\x00pe"]}
    )
    assert tags.status_code == 422 and tags.json()["errors"][0]["field"] == "tags"
    query = owner_api.get(f"{base}/value-exchanges?kind=ad%00vice")
    assert query.status_code == 422 and query.json()["errors"][0]["field"] == "kind"


def test_a_nul_character_is_refused_in_people_and_their_records(owner_api, network):
    base = f"/api/v1/networks/{network.pk}"
    person = owner_api.call("POST", f"{base}/people", {"full_name": "Ada\x00 Lovelace"})
    assert person.status_code == 422, person.content
    assert person.json()["errors"][0]["field"] == "full_name"
    assert (
        "NUL" in person.json()["errors"][0]["detail"]
        or "nul" in person.json()["errors"][0]["detail"].lower()
    )
    organization = owner_api.call("POST", f"{base}/organizations", {"name": "Bab\x00bage"})
    assert organization.status_code == 422, organization.content
    assert organization.json()["errors"][0]["field"] == "name"
