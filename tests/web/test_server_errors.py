"""A request the database cannot serve now is answered as such, never as a crash page.

The real lock (a large import holding SQLite past the busy timeout while the web writes)
is met in tests/test_backup_chaos.py, whose server log must show no 500; here each
answer is pinned: 503 with Retry-After for a locked database, 507 for a full disk, 500
for anything else — HTML for pages, JSON for the API, nothing of the server's paths.
"""

from __future__ import annotations

import logging
import sqlite3

import pytest
from django.db.utils import OperationalError
from django.test import Client

from kithkin import storage
from kithkin.web.views import person as person_views
from tests.web.conftest import client_for


def _failing(error: Exception):
    def add_person(*args, **kwargs):
        raise error

    return add_person


@pytest.fixture
def crashing_client(owner) -> Client:
    client = client_for(owner)
    client.raise_request_exception = False
    return client


def test_a_locked_database_is_busy_with_retry_after(crashing_client, monkeypatch, settings):
    monkeypatch.setattr(
        person_views, "add_person", _failing(OperationalError("database is locked"))
    )
    response = crashing_client.post("/people/new/", {"full_name": "Ada Lovelace"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Kithkin is busy" in page and "Nothing was saved" in page
    assert str(settings.DATA_DIR) not in page and "Traceback" not in page


def test_a_locked_database_by_driver_code_is_busy(crashing_client, monkeypatch):
    driver = sqlite3.OperationalError("locked")
    driver.sqlite_errorcode = sqlite3.SQLITE_BUSY
    wrapped = OperationalError("locked")
    wrapped.__cause__ = driver
    monkeypatch.setattr(person_views, "add_person", _failing(wrapped))
    assert crashing_client.post("/people/new/", {"full_name": "Ada"}).status_code == 503


def test_a_full_disk_is_507(crashing_client, monkeypatch):
    full = OperationalError("database or disk is full")
    monkeypatch.setattr(person_views, "add_person", _failing(full))
    response = crashing_client.post("/people/new/", {"full_name": "Ada"})
    assert response.status_code == 507
    assert "disk is full" in response.content.decode()


def test_any_other_error_stays_a_500_without_details(crashing_client, monkeypatch):
    monkeypatch.setattr(person_views, "add_person", _failing(ValueError("secret detail")))
    response = crashing_client.post("/people/new/", {"full_name": "Ada"})
    assert response.status_code == 500
    assert "secret detail" not in response.content.decode()
    assert "Server error" in response.content.decode()


def test_the_api_is_answered_in_json(owner, network, monkeypatch):
    from kithkin.api import people as api_people
    from tests.api.conftest import caller

    api = caller(owner)
    api.client = Client(raise_request_exception=False)
    monkeypatch.setattr(api_people, "add_person", _failing(OperationalError("database is locked")))
    response = api.call("POST", f"/api/v1/networks/{network.pk}/people", {"full_name": "Ada"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["detail"] == (
        "Kithkin is busy: another process (an import or a backup) is writing. "
        "Nothing was saved; try again in a moment."
    )


def _logged(caplog) -> str:
    """What the console handler writes for django.request's records: through the filters
    settings.LOGGING puts on it, in the order it puts them."""
    from django.conf import settings

    filters = settings.LOGGING["handlers"]["console"]["filters"]
    assert filters[0] == "unavailable_in_one_line"
    lines = []
    for record in caplog.records:
        if record.name == "django.request":
            storage.UnavailableInOneLine().filter(record)
            lines.append(logging.Formatter().format(record))
    return "\n".join(lines)


def test_a_busy_database_is_one_line_in_the_log(crashing_client, monkeypatch, caplog):
    monkeypatch.setattr(
        person_views, "add_person", _failing(OperationalError("database is locked"))
    )
    crashing_client.post("/people/new/", {"full_name": "Ada Lovelace"})
    assert _logged(caplog) == "Service Unavailable: /people/new/ (database locked)"


def test_a_full_disk_is_one_line_in_the_log(crashing_client, monkeypatch, caplog):
    full = OperationalError("database or disk is full")
    monkeypatch.setattr(person_views, "add_person", _failing(full))
    crashing_client.post("/people/new/", {"full_name": "Ada"})
    assert _logged(caplog) == "Insufficient Storage: /people/new/ (disk full)"


def test_a_crash_keeps_its_traceback_in_the_log(crashing_client, monkeypatch, caplog):
    monkeypatch.setattr(person_views, "add_person", _failing(ValueError("a real bug")))
    crashing_client.post("/people/new/", {"full_name": "Ada"})
    logged = _logged(caplog)
    assert logged.startswith("Internal Server Error: /people/new/")
    assert "Traceback" in logged and "ValueError: a real bug" in logged
