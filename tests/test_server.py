"""The web server's configuration: forks without sharing a connection, bounded requests."""

from __future__ import annotations

import time

import pytest
from django.db import DatabaseError, connection

from kithkin import server


@pytest.mark.django_db(transaction=True)
def test_the_master_holds_no_connection_when_it_forks():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("Django never closes the in-memory test database; test_serve forks on files")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert connection.connection is not None

    options = server.gunicorn_options("127.0.0.1", 8000, workers=3, threads=1)
    options["pre_fork"](None, None)  # type: ignore[operator]

    assert connection.connection is None


def test_threads_choose_the_threaded_worker():
    options = server.gunicorn_options("::1", 8000, 2, 4)
    assert {key: options[key] for key in ("bind", "workers", "threads", "worker_class")} == {
        "bind": "[::1]:8000",
        "workers": 2,
        "threads": 4,
        "worker_class": "gthread",
    }
    assert server.gunicorn_options("127.0.0.1", 80, 2, 1)["worker_class"] == "sync"


# A query that runs for a long time on either engine unless something stops it.
LONG_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) "
    "SELECT count(*) FROM n"
)


@pytest.mark.django_db(transaction=True)
def test_a_request_past_its_database_deadline_is_stopped(settings):
    settings.REQUEST_TIMEOUT = 1
    connection.ensure_connection()
    server._bound_statements(None, connection)
    server._start_request_clock()
    if connection.vendor == "sqlite":
        server._deadline.at = time.monotonic() - 1  # the request has run out of time
    try:
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute(LONG_QUERY)
    finally:
        server._stop_request_clock()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_outside_a_request_nothing_is_cut_short(settings):
    connection.ensure_connection()
    server._bound_statements(None, connection)
    server._stop_request_clock()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM (SELECT 1 UNION ALL SELECT 2) AS two")
            assert cursor.fetchone() == (2,)
    finally:
        connection.close()
