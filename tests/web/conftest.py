"""Clients signed in as the named users; the settings every web test runs under."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _web_settings(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # uploads and the like never touch the real data dir
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.WHITENOISE_AUTOREFRESH = True  # find static files without collectstatic


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner):
    return client_for(owner)


@pytest.fixture
def viewer_client(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)
