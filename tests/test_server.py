"""The web server's configuration: forks without sharing a connection, bounded requests."""

from __future__ import annotations

import ipaddress
import signal
import sys
import time

import pytest
from django.db import DatabaseError, connection
from gunicorn.config import Config

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


# The background worker `kith serve` runs beside gunicorn


def _wait_until(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


def test_the_servers_worker_is_started_again_when_it_exits_and_stopped_with_it():
    background = server.WorkerProcess(restart_after=0.1)
    background.command = [sys.executable, "-c", "pass"]  # exits at once
    background.start()
    try:
        first = background.process
        _wait_until(lambda: background.process is not first)  # started again
        background.command = [sys.executable, "-c", "import time; time.sleep(120)"]
        _wait_until(lambda: background.process.args == background.command)
        running = background.process
        assert running.poll() is None
    finally:
        background.stop(grace=10)
    assert running.returncode == -signal.SIGTERM
    assert background.process is running  # not started again once stopped


def test_a_fork_of_the_server_never_stops_its_worker(monkeypatch):
    background = server.WorkerProcess()
    background.command = [sys.executable, "-c", "import time; time.sleep(120)"]
    background.start()
    try:
        monkeypatch.setattr(server.os, "getpid", lambda: background.owner + 1)
        background.stop()  # what a gunicorn worker leaving through run()'s finally does
        assert background.process.poll() is None
    finally:
        monkeypatch.undo()
        background.stop(grace=10)
    assert background.process.returncode == -signal.SIGTERM


@pytest.mark.parametrize("worker", [True, False])
def test_serve_runs_a_worker_unless_told_not_to(monkeypatch, worker):
    started: list[bool] = []
    monkeypatch.setattr(server.WorkerProcess, "start", lambda self: started.append(True))
    monkeypatch.setattr(server.WorkerProcess, "stop", lambda self: None)
    monkeypatch.setattr(server.WebServer, "run", lambda self: None)
    server.run("127.0.0.1", 0, 1, 1, worker=worker)
    assert started == ([True] if worker else [])


def test_gunicorn_believes_forwarded_headers_from_the_trusted_proxies_only(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1")]
    config = Config()
    config.set(
        "forwarded_allow_ips", server.gunicorn_options("::1", 80, 1, 1)["forwarded_allow_ips"]
    )
    assert [str(entry) for entry in config.forwarded_allow_ips] == ["10.0.0.0/8", "::1/128"]


def test_gunicorn_keeps_its_same_machine_default_when_no_proxy_is_named(settings):
    settings.TRUSTED_PROXIES = []
    assert server.gunicorn_options("::1", 80, 1, 1)["forwarded_allow_ips"] == "127.0.0.1,::1"
