"""Every route of the API, found in its OpenAPI schema (and checked against the URL
resolver), called by everyone who must not see or change another network: no token, an
outsider's token, the owner's token limited to another network, a read token, a viewer's
token. Nothing of the network may appear in an answer, and nothing may change."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern

from kithkin.api import urls as api_urls
from kithkin.api.app import api
from kithkin.models import (
    Circle,
    FollowUp,
    Interaction,
    Network,
    Organization,
    Person,
    TrashedItem,
)
from kithkin.services.accounts import create_network
from kithkin.services.people import delete_person
from kithkin.services.photos import set_photo
from tests.api.conftest import Caller, caller
from tests.api.practices import practice_records
from tests.factories import log, make_follow_up, make_person
from tests.photos.images import png

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar7f3c"
WRITES = {"post", "put", "patch", "delete"}
# Plausible values for every body, so a missing check shows as a change, not a 422.
BODY = {"cadence_days": 7, "name": f"hacked {SECRET}"}
# The schema, its page, and the API's root (a 404 that names the docs): no data.
PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs", "/api/v1/"}


@pytest.fixture
def victim(network, owner):
    network.name = f"Network {SECRET}"
    network.save()
    circle = Circle.objects.filter(network=network).first()
    circle.name = f"circle {SECRET}"
    circle.save()
    person = make_person(network, f"Ada {SECRET}", organization=f"Org {SECRET}")
    set_photo(network, owner, person, png())  # so reading her photo is a 200 for members
    talk = log(network, person, on=dt.date(2025, 12, 1), summary=f"about {SECRET}")
    owed = make_follow_up(network, person, f"send {SECRET}", due_on=dt.date(2026, 1, 1))
    trashed = delete_person(network, owner, make_person(network, f"Gone {SECRET}"))
    return practice_records(network, owner, SECRET) | {
        "item_id": trashed.pk,
        "network_id": network.pk,
        "circle_id": circle.pk,
        "person_id": person.pk,
        "organization_id": person.affiliations.get().organization_id,
        "interaction_id": talk.pk,
        "follow_up_id": owed.pk,
    }


def operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation in the schema."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return [
        (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "head", *WRITES}
    ]


def test_the_schema_lists_every_route_the_resolver_knows():
    """The sweep walks the schema; a route missing from it would go unswept."""
    routed = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in api_urls.urlpatterns
        if isinstance(p, URLPattern) and p.callback is not api_urls.unknown_address
    }
    documented = {path for _, path in operations()}
    assert routed - PUBLIC == documented
    assert len(documented) >= 3


def address(path: str, ids: dict[str, int | str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def snapshot(network: Network) -> tuple:
    return (
        Network.objects.filter(pk=network.pk).values_list("name", "time_zone").get(),
        list(Circle.objects.filter(network=network).order_by("pk").values()),
        *(
            list(model.objects.filter(network=network).order_by("pk").values())
            for model in (Person, Organization, Interaction, FollowUp, TrashedItem)
        ),
    )


def assert_no_leak(response, who: str, url: str) -> None:
    body = response.content.decode(errors="replace")
    assert SECRET not in body, f"{who} saw the secret at {url}"


def sweep(
    api_caller: Caller,
    ids: dict[str, int | str],
    who: str,
    expect: dict[str, int | None],
    *,
    member: bool = False,
    uploader: bool = True,
) -> None:
    """Call every operation; ``expect`` maps "read"/"write" to the status each must get
    (None: anything but a 5xx). Unless ``member``, nothing of the network may show. An
    upload is its uploader's own: unless ``uploader``, a member reads none (404)."""
    for method, path in operations():
        url = address(path, ids)
        response = api_caller.call(method.upper(), url, BODY if method in WRITES else None)
        if not member:
            assert_no_leak(response, who, f"{method} {url}")
        assert response.status_code < 500, (who, method, url, response.content)
        wanted = expect["write" if method in WRITES else "read"]
        if not uploader and "{upload_id}" in path and method not in WRITES:
            wanted = 404
        if wanted is not None and ("{network_id}" in path or wanted == 401):
            assert response.status_code == wanted, (who, method, url, response.content)
            if wanted >= 400:
                assert response["Content-Type"] == "application/problem+json"


def test_no_token_gets_401_everywhere(victim, network):
    before = snapshot(network)
    sweep(Caller(), victim, "anonymous", {"read": 401, "write": 401})
    sweep(Caller("kith_not-a-real-token"), victim, "a made-up token", {"read": 401, "write": 401})
    assert snapshot(network) == before


def test_a_session_cookie_alone_gets_401_everywhere(victim, network, owner):
    """The API is exempt from CSRF only because it never reads the session."""
    from tests.web.conftest import client_for

    before = snapshot(network)
    sweep(Caller(client=client_for(owner)), victim, "owner's session", {"read": 401, "write": 401})
    assert snapshot(network) == before


@pytest.mark.parametrize("scope", ["read", "write"])
def test_an_outsiders_token_finds_nothing_of_another_network(victim, network, outsider, scope):
    before = snapshot(network)
    sweep(caller(outsider, scope), victim, f"outsider ({scope})", {"read": 404, "write": 404})
    # and through their own network, the victim's record ids find nothing either
    own = {**victim, "network_id": outsider.current_network_id}
    sweep(
        caller(outsider, scope, outsider.current_network),
        own,
        "outsider, own network",
        {
            "read": None,
            "write": None,
        },
    )
    assert snapshot(network) == before


def test_a_token_limited_to_another_network_finds_nothing_here(victim, network, owner):
    side = create_network(owner, name="Side project")
    before = snapshot(network)
    sweep(caller(owner, "write", side), victim, "owner's side token", {"read": 404, "write": 404})
    assert snapshot(network) == before


def test_a_read_token_reads_and_gets_403_on_every_write(victim, network, owner):
    before = snapshot(network)
    sweep(caller(owner, "read"), victim, "owner (read)", {"read": 200, "write": 403}, member=True)
    assert snapshot(network) == before


def test_a_viewers_tokens_only_read(victim, network, viewer):
    before = snapshot(network)
    sweep(
        caller(viewer, "read", network),
        victim,
        "viewer (read)",
        {"read": 200, "write": 403},
        member=True,
        uploader=False,
    )
    assert snapshot(network) == before
