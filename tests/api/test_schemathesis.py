"""Schemathesis against the API's own OpenAPI schema, in-process (Django's WSGI app): for
every operation, generated requests with the owner's write token on a small factory-built
network must never answer a 5xx, and every answer must conform to the schema (its status
documented, its content type, its body's shape). Path ids are those of real records, so
the requests reach the views rather than stopping at a 404; bodies, queries and headers
are generated. Stateless and bounded (``EXAMPLES`` per operation, derandomized): about 30 s."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings

from kithkin.api.app import api
from kithkin.services.people import delete_person
from tests.api.conftest import caller
from tests.api.practices import practice_records
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 12


def pinned(raw: dict, ids: dict[str, int]) -> dict:
    """The schema with every path parameter replaced by a real record's id."""
    paths = {}
    for path, item in raw["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        for operation in item.values():
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p.get("in") != "path"
            ]
        paths[concrete] = item
    return {**raw, "paths": paths}


def test_no_answer_is_a_5xx_and_every_answer_conforms(
    owner, network, settings_fixture, connection_kept
):
    from django.core.wsgi import get_wsgi_application
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"], organization="ACME")
    talk = log(network, ada, on=dt.date(2026, 2, 10), summary="Engines")
    owed = make_follow_up(network, ada, "Send the notes", due_on=dt.date(2026, 2, 18))
    trashed = delete_person(network, owner, make_person(network, "Grace Hopper"))
    ids = practice_records(network, owner, "S") | {
        "item_id": trashed.pk,
        "network_id": network.pk,
        "circle_id": network.circles.first().pk,
        "person_id": ada.pk,
        "organization_id": ada.affiliations.get().organization_id,
        "interaction_id": talk.pk,
        "follow_up_id": owed.pk,
    }
    schema = schemathesis.openapi.from_dict(
        pinned(api.get_openapi_schema(path_prefix="/api/v1/"), ids)
    )
    schema.app = get_wsgi_application()
    auth = {"Authorization": f"Bearer {caller(owner).secret}"}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    tried = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case) -> None:
            case.call_and_validate(headers=auth, checks=checks)

        check()
        tried += 1
    assert tried >= 70


@pytest.fixture
def settings_fixture(settings):
    settings.API_RATE_LIMIT = 1_000_000
    return settings


@pytest.fixture
def connection_kept():
    """As Django's test client does: the WSGI app called directly would otherwise close the
    connection at each request's end (on PostgreSQL a connection inside the test's
    transaction looks unusable), and the next request would find it closed."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
