"""API answers hold private data: none may be stored by a cache (issue 18)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_answers_and_exports_are_never_stored(owner_api, network):
    for path in (
        f"/api/v1/networks/{network.pk}/people",
        f"/api/v1/networks/{network.pk}/export/json",
    ):
        response = owner_api.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_a_refused_token_is_not_stored_either(network):
    from tests.api.conftest import Caller

    response = Caller("kith_not-a-real-token").get(f"/api/v1/networks/{network.pk}/people")
    assert response.status_code == 401
    assert response.headers["Cache-Control"] == "no-store"
