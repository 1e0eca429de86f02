"""The API's contract: networks, the circles of a network, problem details, rate limits,
size limits, the schema and the docs page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client

from kithkin.models import Circle
from kithkin.services.accounts import create_network
from tests.api.conftest import Caller, caller
from tests.factories import make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body


# Networks


def test_networks_lists_those_the_caller_reaches_with_role_and_scope(network, owner, viewer):
    body = caller(viewer, "read").get("/api/v1/networks").json()
    assert {(n["id"], n["role"], n["scope"], n["can_write"]) for n in body} == {
        (network.pk, "viewer", "read", False),
        (viewer.current_network_id, "owner", "read", False),
    }


def test_a_token_limited_to_a_network_lists_only_that_one(owner, network):
    create_network(owner, name="Side project")
    body = caller(owner, "write", network).get("/api/v1/networks").json()
    assert [(n["id"], n["role"], n["can_write"]) for n in body] == [(network.pk, "owner", True)]


def test_one_network(owner_api, network, outsider_api):
    body = owner_api.get(f"/api/v1/networks/{network.pk}").json()
    assert body == {
        "id": network.pk,
        "name": network.name,
        "time_zone": network.time_zone,
        "role": "owner",
        "scope": "write",
        "can_write": True,
    }
    problem(outsider_api.get(f"/api/v1/networks/{network.pk}"), 404)
    problem(owner_api.get("/api/v1/networks/999999"), 404)
    problem(owner_api.get("/api/v1/networks/abc"), 404)
    problem(owner_api.get("/api/v1/networks/abc/circles"), 404)


# Circles: the per-network pattern


def test_circles_of_a_network(owner_api, network):
    make_person(network, "Ada Lovelace", circle="close")
    body = owner_api.get(f"/api/v1/networks/{network.pk}/circles").json()
    assert [(c["name"], c["rank"], c["cadence_days"], c["people"]) for c in body] == [
        ("close", 0, 30, 1),
        ("regular", 1, 90, 0),
        ("occasional", 2, 180, 0),
        ("acquaintance", 3, None, 0),
    ]


def test_an_editor_changes_a_circles_cadence(teammate_api, network):
    circle = Circle.objects.get(network=network, name="close")
    response = teammate_api.patch(
        f"/api/v1/networks/{network.pk}/circles/{circle.pk}", {"cadence_days": 14}
    )
    assert response.status_code == 200, response.content
    assert response.json()["cadence_days"] == 14
    assert Circle.objects.get(pk=circle.pk).cadence_days == 14
    teammate_api.patch(f"/api/v1/networks/{network.pk}/circles/{circle.pk}", {"cadence_days": None})
    assert Circle.objects.get(pk=circle.pk).cadence_days is None


def test_a_circle_of_another_network_is_not_found_through_ones_own(owner_api, network, outsider):
    theirs = Circle.objects.filter(network=outsider.current_network).first()
    body = problem(
        owner_api.patch(f"/api/v1/networks/{network.pk}/circles/{theirs.pk}", {"cadence_days": 1}),
        404,
    )
    assert outsider.current_network.name not in json.dumps(body)
    assert Circle.objects.get(pk=theirs.pk).cadence_days != 1


def test_a_viewers_write_token_gets_403_on_a_write(network, viewer):
    # made before the role changed: a token's scope never outranks the user's role
    from kithkin.models import Membership

    membership = Membership.objects.get(user=viewer, network=network)
    membership.role = "editor"
    membership.save()
    api = caller(viewer, "write", network)
    membership.role = "viewer"
    membership.save()
    circle = Circle.objects.filter(network=network).first()
    body = problem(
        api.patch(f"/api/v1/networks/{network.pk}/circles/{circle.pk}", {"cadence_days": 1}), 403
    )
    assert "may view" in body["detail"]


# Problems


def test_422_names_every_invalid_field(owner_api, network):
    circle = Circle.objects.filter(network=network).first()
    url = f"/api/v1/networks/{network.pk}/circles/{circle.pk}"
    body = problem(owner_api.patch(url, {"cadence_days": 0}), 422)
    assert body["errors"] == [
        {
            "location": "body",
            "field": "cadence_days",
            "pointer": "#/cadence_days",
            "detail": "Input should be greater than or equal to 1",
        }
    ]
    body = problem(owner_api.patch(url, {}), 422)
    assert [e["field"] for e in body["errors"]] == ["cadence_days"]


def test_401_says_how_to_authenticate(network):
    response = Caller().get("/api/v1/networks")
    body = problem(response, 401)
    assert "Bearer" in body["detail"] and response["WWW-Authenticate"].startswith("Bearer")
    problem(Caller().get("/api/v1/networks", authorization="Basic b3duZXI6cHc="), 401)


def test_a_session_cookie_alone_is_not_enough(owner, network):
    problem(client_for(owner).get("/api/v1/networks"), 401)


def test_bearer_requests_need_no_csrf_token(owner, network):
    made = caller(owner)
    made.client = Client(enforce_csrf_checks=True)
    circle = Circle.objects.filter(network=network).first()
    response = made.patch(f"/api/v1/networks/{network.pk}/circles/{circle.pk}", {"cadence_days": 9})
    assert response.status_code == 200


def test_unknown_addresses_and_methods_are_problems(owner_api, network):
    problem(owner_api.get("/api/v1/people"), 404)
    problem(owner_api.get("/api/v1/"), 404)
    response = owner_api.call("DELETE", f"/api/v1/networks/{network.pk}/circles")
    problem(response, 405)
    assert response["Allow"] == "GET"


def test_413_for_a_body_beyond_the_limit(owner_api, network):
    circle = Circle.objects.filter(network=network).first()
    big = {"cadence_days": 3, "padding": "x" * (1024 * 1024)}
    body = problem(owner_api.patch(f"/api/v1/networks/{network.pk}/circles/{circle.pk}", big), 413)
    assert "1,048,576" in body["detail"]
    assert Circle.objects.get(pk=circle.pk).cadence_days != 3


def test_500_says_nothing_of_the_code(owner_api, network, monkeypatch, caplog):
    def broken(network):
        raise RuntimeError("/srv/kithkin/secret_module.py exploded")

    monkeypatch.setattr("kithkin.api.circles.circles_with_sizes", broken)
    response = owner_api.get(f"/api/v1/networks/{network.pk}/circles")
    body = problem(response, 500)
    assert "secret_module" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["detail"] == "Something went wrong on the server; it is logged."
    assert "secret_module" in caplog.text  # the log has it


def test_409_and_the_other_kithkin_errors_map_to_their_status(rf):
    from kithkin.api.problems import as_problem
    from kithkin.errors import Ambiguous, Forbidden, InvalidInput, NotFound

    request = rf.get("/api/v1/networks")
    for error, status in (
        (Ambiguous("Two Adas.", ["Ada L", "Ada B"]), 409),
        (NotFound("No person #3 in Home."), 404),
        (Forbidden("Read only."), 403),
        (InvalidInput("name", "too long"), 422),
    ):
        assert json.loads(as_problem(request, error).content)["status"] == status


# Rate limits


def test_every_answer_carries_the_rate_limit(owner_api, network, settings):
    settings.API_RATE_LIMIT = 100
    response = owner_api.get("/api/v1/networks")
    assert response["RateLimit-Policy"] == '"per-token";q=100;w=60'
    assert response["RateLimit"] == '"per-token";r=99;t=60'


def test_past_the_limit_429_until_the_next_minute(owner, network, settings, frozen_time):
    settings.API_RATE_LIMIT = 3
    made = caller(owner)
    other_process = Caller(made.secret, Client())  # the count is in the database
    assert made.get("/api/v1/networks").status_code == 200
    assert other_process.get("/api/v1/networks").status_code == 200
    frozen_time.shift(dt.timedelta(seconds=45))
    assert made.get(f"/api/v1/networks/{network.pk}").status_code == 200
    response = other_process.get("/api/v1/networks")
    body = problem(response, 429)
    assert "Too many requests" in body["detail"]
    assert response["Retry-After"] == "15"
    assert response["RateLimit"] == '"per-token";r=0;t=15'
    frozen_time.shift(dt.timedelta(seconds=15))
    assert made.get("/api/v1/networks").status_code == 200


def test_each_token_has_its_own_count(owner, network, settings):
    settings.API_RATE_LIMIT = 1
    first, second = caller(owner), caller(owner, "read")
    assert first.get("/api/v1/networks").status_code == 200
    assert second.get("/api/v1/networks").status_code == 200
    assert first.get("/api/v1/networks").status_code == 429


# The schema and its page


def test_openapi_3_1_schema(network):
    response = Client().get("/api/v1/openapi.json")
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/networks/{network_id}/circles" in schema["paths"]
    assert "Problem" in schema["components"]["schemas"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    listing = schema["paths"]["/api/v1/networks/{network_id}/circles"]["get"]
    assert {p["name"]: p["in"] for p in listing["parameters"]} == {"network_id": "path"}
    assert {"401", "404", "429"} <= set(listing["responses"])
    assert set(listing["responses"]["404"]["content"]) == {"application/problem+json"}
    assert set(listing["responses"]["200"]["content"]) == {"application/json"}


def test_the_docs_page_uses_only_the_apps_own_files_under_the_strict_csp(network):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    for tag in re.findall(r"<script[^>]*>", html):  # code only from files; data is JSON
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert Client().get(asset).status_code == 200, asset


def test_a_body_that_is_not_json_is_a_400(owner_api, network):
    circle = Circle.objects.filter(network=network).first()
    response = Client().generic(
        "PATCH",
        f"/api/v1/networks/{network.pk}/circles/{circle.pk}",
        "{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {owner_api.secret}",
    )
    problem(response, 400)


def test_a_trailing_slash_is_named_in_the_404(owner_api):
    body = problem(owner_api.get("/api/v1/networks/"), 404)
    assert "without a slash" in body["detail"]


def test_fixed_query_counts(owner_api, network, django_assert_num_queries):
    """Token and user, the rate count (update, read), the network, then the operation's
    own: however many circles and people there are."""
    for index in range(5):
        make_person(network, f"Person {index}", circle="close")
    with django_assert_num_queries(5):
        owner_api.get(f"/api/v1/networks/{network.pk}/circles")
    with django_assert_num_queries(4):
        owner_api.get("/api/v1/networks")
