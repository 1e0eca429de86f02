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

Housekeeping: every worker runs `housekeeping_step` in a daemon thread when it starts and
then every HOUSEKEEPING_EVERY: uploads abandoned before confirmation are deleted on that
schedule, not only when the next upload happens, and SQLite's planner statistics are
refreshed (a bounded ANALYZE: 35 ms on a 30k/1M network). Several workers (or servers sharing a
data directory) sweeping the same folder is harmless: a file already gone is skipped.
There is no task runner yet; when there is, this step becomes one of its periodic tasks.
"""

from __future__ import annotations

import logging
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
HOUSEKEEPING_EVERY = 15 * 60  # seconds
_log = logging.getLogger(__name__)


def close_inherited_connections() -> None:
    """Close every database connection of this process (the master, before it forks)."""
    connections.close_all()


def _pre_fork(server: Any, worker: Any) -> None:
    close_inherited_connections()


def _post_fork(server: Any, worker: Any) -> None:
    bound_request_time()
    start_housekeeping()


def housekeeping_step() -> None:
    """What a worker does on schedule: delete the uploads abandoned before confirmation,
    and keep the query planner's statistics current as the data changes between imports
    (``services.query_planner.refresh_on_schedule``)."""
    from kithkin import clock
    from kithkin.services import uploads
    from kithkin.services.query_planner import refresh_on_schedule

    deleted = uploads.sweep_abandoned(clock.now())
    if deleted:
        _log.info("housekeeping: deleted %d abandoned upload(s)", deleted)
    refresh_on_schedule()


def run_housekeeping(stop: threading.Event, every: float = HOUSEKEEPING_EVERY) -> None:
    """Run housekeeping_step now and then every `every` seconds until `stop` is set."""
    from django.db import connections

    while True:
        try:
            housekeeping_step()
        except Exception:  # a failed sweep is logged and tried again next time
            _log.exception("housekeeping failed")
        finally:
            connections.close_all()  # this thread's own: none stays open between runs
        if stop.wait(every):
            return


def start_housekeeping() -> threading.Event:
    """In a worker: housekeeping in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=run_housekeeping, args=(stop,), name="kithkin-housekeeping", daemon=True
    ).start()
    return stop


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


def run(host: str, port: int, workers: int, threads: int) -> None:
    close_inherited_connections()
    WebServer(gunicorn_options(host, port, workers, threads)).run()
