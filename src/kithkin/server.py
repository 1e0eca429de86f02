"""The production web server: gunicorn sized from the machine, and safe to fork.

`kith serve` migrates in the gunicorn master and then forks the workers. A database
connection open in the master at that moment would be inherited by every worker: one
PostgreSQL session shared by several processes, whose requests then interleave on one
socket and can receive each other's results. So the master closes every connection
before each fork (``pre_fork`` runs before the first workers and before any worker that
replaces one), and each worker opens its own.

A request's database time is bounded by ``KITH_REQUEST_TIMEOUT``: PostgreSQL cancels a
statement that runs longer (``statement_timeout``), and SQLite interrupts a request whose
queries run past its deadline (a progress handler). Gunicorn restarts a worker that stops
answering its heartbeat for longer than that, plus a grace period.

Background work: unless told not to, `kith serve` also starts one `kith worker`
(``WorkerProcess``) beside gunicorn, so a single-command install needs nothing else. It is a
process of its own, started with a fresh interpreter (never forked from the master, so it
shares no connection with anything), started again if it dies, and stopped when the server
stops. The housekeeping every gunicorn worker once ran in a thread is now one of its jobs
(``kithkin.housekeeping``).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from gunicorn.app.base import BaseApplication

# How often, in SQLite virtual-machine instructions, the deadline is checked.
_SQLITE_CHECK_EVERY = 10_000
_deadline = threading.local()
# A worker process that exits on its own is started again after this many seconds.
WORKER_RESTART_AFTER = 5.0
_log = logging.getLogger(__name__)


def close_inherited_connections() -> None:
    """Close every database connection of this process (the master, before it forks)."""
    connections.close_all()


def _pre_fork(server: Any, worker: Any) -> None:
    close_inherited_connections()


def _post_fork(server: Any, worker: Any) -> None:
    bound_request_time()


def _start_request_clock(**_: Any) -> None:
    _deadline.at = time.monotonic() + settings.REQUEST_TIMEOUT


def _stop_request_clock(**_: Any) -> None:
    _deadline.at = None


def _past_deadline() -> int:
    at = getattr(_deadline, "at", None)
    return 1 if at is not None and time.monotonic() > at else 0


def _bound_statements(sender: Any, connection: BaseDatabaseWrapper, **_: Any) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(settings.REQUEST_TIMEOUT * 1000)}")
    elif connection.vendor == "sqlite":
        connection.connection.set_progress_handler(_past_deadline, _SQLITE_CHECK_EVERY)


def bound_request_time() -> None:
    """In a worker: every connection it opens bounds the time a request spends in SQL."""
    connection_created.connect(_bound_statements, dispatch_uid="kithkin.server.bound")
    request_started.connect(_start_request_clock, dispatch_uid="kithkin.server.start")
    request_finished.connect(_stop_request_clock, dispatch_uid="kithkin.server.stop")


def forwarded_allow_ips() -> str:
    """Whose forwarded scheme headers gunicorn believes: the proxies Kithkin trusts
    (KITH_TRUSTED_PROXIES), one list for both; unset, gunicorn's own default, a proxy on
    the same machine."""
    return ",".join(str(proxy) for proxy in settings.TRUSTED_PROXIES) or "127.0.0.1,::1"


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, object]:
    hooks: dict[str, Callable[..., None]] = {
        "pre_fork": _pre_fork,
        "post_fork": _post_fork,
    }
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "accesslog": "-",
        "logger_class": "kithkin.gunicorn_logging.GunicornLogger",  # secrets redacted
        "timeout": settings.REQUEST_TIMEOUT + 30,
        "graceful_timeout": 10,
        "max_requests": 5000,  # recycle workers now and then; jitter avoids a stampede
        "max_requests_jitter": 500,
        "forwarded_allow_ips": forwarded_allow_ips(),
        **hooks,
    }


class WebServer(BaseApplication):
    """Gunicorn serving Kithkin's WSGI application with the given options."""

    def __init__(self, options: dict[str, object]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from kithkin.wsgi import application

        return application


class WorkerProcess:
    """The `kith worker` that `kith serve` runs beside gunicorn's master.

    A child process with an interpreter of its own (not a fork: it inherits no database
    connection), watched by a thread of the master that starts it again if it exits, and
    stopped (SIGTERM, then SIGKILL past ``grace`` seconds) with the server. It stays in the
    server's process group, so a Ctrl+C at the terminal reaches it too.
    """

    command = [sys.executable, "-c", "from kithkin.cli import main; main()", "worker"]

    def __init__(self, *, restart_after: float = WORKER_RESTART_AFTER) -> None:
        self.restart_after = restart_after
        self.process: subprocess.Popen[bytes] | None = None
        self.owner = os.getpid()  # gunicorn's workers are forks of the master: not theirs
        # told its parent, the worker stops when the server is killed without a word
        self.command = [*type(self).command, "--parent", str(self.owner)]
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            self.process = subprocess.Popen(self.command)
        threading.Thread(target=self._watch, name="kithkin-worker-watch", daemon=True).start()

    def _watch(self) -> None:
        while not self._stopping.is_set():
            process = self.process
            if process is None:
                return
            code = process.wait()  # 0 when gunicorn's SIGCHLD handler reaped it first
            if self._stopping.wait(self.restart_after):
                return
            _log.error("the background worker exited (%s); starting it again", code)
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = subprocess.Popen(self.command)

    def stop(self, grace: float = 20) -> None:
        if os.getpid() != self.owner:
            return
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(host: str, port: int, workers: int, threads: int, *, worker: bool = True) -> None:
    """Serve until stopped; with ``worker``, one `kith worker` beside the web server."""
    close_inherited_connections()
    background = WorkerProcess() if worker else None
    if background is not None:
        background.start()
    try:
        WebServer(gunicorn_options(host, port, workers, threads)).run()
    finally:
        # gunicorn's workers leave through here too (they are forks of this process):
        # stop() does nothing there, only the master stops the worker it started.
        if background is not None:
            background.stop()
