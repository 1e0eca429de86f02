"""Calling the API as the named users, each with a token of their own."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kithkin.models import Network, User
from kithkin.services.tokens import create_token


@pytest.fixture(autouse=True)
def _api_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.WHITENOISE_AUTOREFRESH = True


@dataclass
class Caller:
    """An API client that sends ``secret`` as its Bearer token (none when empty)."""

    secret: str = ""
    client: Client | None = None

    def call(self, method: str, path: str, body: Any = None, **headers: str):
        client = self.client or Client()
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        if self.secret:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {self.secret}"
        data = json.dumps(body) if body is not None else None
        return client.generic(
            method, path, data=data or "", content_type="application/json", **extra
        )

    def get(self, path: str, **headers: str):
        return self.call("GET", path, **headers)

    def patch(self, path: str, body: Any, **headers: str):
        return self.call("PATCH", path, body, **headers)


def caller(user: User, scope: str = "write", network: Network | None = None) -> Caller:
    return Caller(create_token(user, f"{scope} {network}", scope, network=network).secret)


@pytest.fixture
def owner_api(owner, network) -> Caller:
    return caller(owner)


@pytest.fixture
def teammate_api(teammate) -> Caller:
    return caller(teammate)


@pytest.fixture
def viewer_api(viewer) -> Caller:
    return caller(viewer, "read")


@pytest.fixture
def outsider_api(outsider) -> Caller:
    return caller(outsider)
