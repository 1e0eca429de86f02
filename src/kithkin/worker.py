"""The worker: Kithkin's background work, in a process of its own.

`kith worker` runs it, and `kith serve` starts one beside the web server (``server.py``);
a team server runs several, on one machine or several, all on the one database. Each round
the worker

1. stamps its ``WorkerBeat`` row: the proof that it runs, which Settings, the banner on
   every page and `kith doctor` read (``queries.worker_status``);
2. runs every registered job (``jobs.py``) whose interval has passed since this process
   last ran it; a job that raises is logged, and the others still run;
3. runs django-tasks' database queue (``django_tasks_db``) until it is empty: each task is
   taken with the queue's own claim (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, an
   exclusive transaction on SQLite) and run by django_tasks_db's ``Worker.run_task``,
   which records on the task's row whether it succeeded or failed, with the traceback;

then lets go of stale database connections and sleeps ``interval`` seconds.

Several workers each run each job on their own schedule: a job takes each piece of its
work with ``jobs.claim``, so that piece is done once however many workers race for it.

While one job or task runs longer than the interval, a pulse thread stamps the beat on the
worker's behalf (for up to BUSY_COVERED), so a long digest run does not look like a dead
worker; a job stuck past that does.

SIGTERM or SIGINT: the job or task under way finishes, then the worker stops; a second
signal stops it at once.

Job modules come from ``jobs.JOB_MODULES``, plus the Django setting ``EXTRA_JOB_MODULES``
when a settings module of one's own defines it (the tests' racing workers do; no
environment variable adds code to run).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import close_old_connections, connection, connections

from kithkin import clock, jobs, storage

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

# A worker's beat older than this is deleted when a worker starts (the table stays small;
# the latest beat, which Settings shows, is always kept: the new worker's own).
BEATS_KEPT = dt.timedelta(days=7)
# How long the pulse thread vouches for one job or task (seconds).
BUSY_COVERED = 15 * 60


@dataclass
class Round:
    """What one round did: the jobs run and failed, the tasks run and failed."""

    jobs_run: list[str] = field(default_factory=list)
    jobs_failed: list[str] = field(default_factory=list)
    tasks_run: int = 0
    tasks_failed: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.jobs_failed or self.tasks_failed)

    def summary(self) -> str:
        ran = ", ".join(self.jobs_run) or "none"
        line = f"Jobs run: {ran}; tasks run: {self.tasks_run}."
        if self.jobs_failed:
            line += f" Failed jobs: {', '.join(self.jobs_failed)}."
        if self.tasks_failed:
            line += f" Failed tasks: {self.tasks_failed}."
        return line


def new_worker_id() -> str:
    """host:pid:start, unique per worker process (``WorkerBeat.worker_id``)."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time())}"


def let_go_of_stale_connections() -> None:
    """Close this thread's connections that broke or outlived CONN_MAX_AGE (as Django does
    between requests); never inside a transaction (a caller's: the tests')."""
    if not connection.in_atomic_block:
        close_old_connections()


def registered_jobs() -> dict[str, jobs.Job]:
    for module in getattr(settings, "EXTRA_JOB_MODULES", ()):
        importlib.import_module(module)
    return jobs.all_jobs()


class Worker:
    def __init__(
        self, interval: float, *, worker_id: str | None = None, parent: int | None = None
    ) -> None:
        self.interval = interval
        self.worker_id = worker_id or new_worker_id()
        self.parent = parent  # `kith serve`'s pid: the worker stops when it is gone
        self.last_run: dict[str, dt.datetime] = {}  # job name -> when this process ran it
        self.stopping = threading.Event()
        self._busy_since: float | None = None  # monotonic: when the current job/task began

    # The proof that it runs

    def beat(self) -> None:
        from kithkin.models import WorkerBeat

        now = clock.now()
        stamped = WorkerBeat.objects.filter(worker_id=self.worker_id).update(
            beat_at=now, interval_seconds=self.interval
        )
        if not stamped:
            WorkerBeat.objects.create(
                worker_id=self.worker_id,
                started_at=now,
                beat_at=now,
                interval_seconds=self.interval,
            )
            WorkerBeat.objects.filter(beat_at__lt=now - BEATS_KEPT).delete()

    @contextmanager
    def _busy(self) -> Iterator[None]:
        self._busy_since = time.monotonic()
        try:
            yield
        finally:
            self._busy_since = None

    def _pulse(self, stop: threading.Event) -> None:
        """In a thread: stamp the beat while one job or task runs long."""
        while not stop.wait(self.interval):
            since = self._busy_since
            if since is None or time.monotonic() - since > BUSY_COVERED:
                continue
            try:
                self.beat()
            except Exception:  # the next round stamps it anyway
                log.warning("the worker's pulse could not stamp its beat", exc_info=True)
            finally:
                connections.close_all()  # this thread's own

    @contextmanager
    def _pulsing(self) -> Iterator[None]:
        stop = threading.Event()
        thread = threading.Thread(
            target=self._pulse, args=(stop,), name="kithkin-worker-pulse", daemon=True
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)

    # Scheduled work

    def due(self, now: dt.datetime) -> list[jobs.Job]:
        return [
            job
            for job in registered_jobs().values()
            if job.name not in self.last_run or now - self.last_run[job.name] >= job.every
        ]

    def run_jobs(self, report: Round) -> None:
        for job in self.due(clock.now()):
            if self.stopping.is_set():
                return
            started = clock.now()
            try:
                with self._busy():
                    job.run(started)
            except Exception:
                log.exception("job %s failed; the other jobs still run", job.name)
                report.jobs_failed.append(job.name)
                let_go_of_stale_connections()  # a connection the failure broke goes
            else:
                report.jobs_run.append(job.name)
            finally:
                self.last_run[job.name] = started

    # The task queue

    def _next_task(self) -> DBTaskResult | None:
        """Claim the next ready task, as django_tasks_db's own worker does; None when the
        queue is empty (or, on SQLite, locked for now: the next round tries again)."""
        from django.db.utils import OperationalError
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        if not ready.exists():  # a plain read first: no write lock while the queue is empty
            return None
        try:
            with exclusive_transaction(ready.db):
                task = ready.get_locked()
                if task is not None:
                    task.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise
        return task

    def run_queue(self, report: Round) -> None:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

        runner = QueueWorker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        while not self.stopping.is_set():
            task = self._next_task()
            if task is None:
                return
            with self._busy():
                runner.run_task(task)  # records success, or failure with its traceback
            if task.status == TaskResultStatus.FAILED:
                log.error("task %s (%s) failed: %s", task.task_path, task.pk, task.traceback)
                report.tasks_failed += 1
                let_go_of_stale_connections()
            else:
                report.tasks_run += 1

    # Rounds

    def run_round(self) -> Round:
        report = Round()
        self.beat()
        self.run_jobs(report)
        self.run_queue(report)
        return report

    def run_once(self) -> Round:
        """One round: what is due and the whole queue (`kith worker --once`)."""
        with self._pulsing():
            return self.run_round()

    def run_forever(self, *, on_round: Callable[[Round], None] | None = None) -> None:
        """Rounds every ``interval`` seconds until SIGTERM or SIGINT (or ``stopping``)."""
        previous = self._handle_signals()
        try:
            with self._pulsing():
                while not self.stopping.is_set():
                    if self.parent is not None and os.getppid() != self.parent:
                        log.warning("the server that started this worker is gone: it stops")
                        return
                    let_go_of_stale_connections()
                    try:
                        report = self.run_round()
                    except Exception as error:  # the database is away, say: try next round
                        busy = storage.as_kith_error(error)
                        if isinstance(busy, storage.DatabaseLocked):  # an import holds it
                            log.warning("the database is busy; the worker tries next round")
                        else:
                            log.exception("the worker's round failed; it tries again")
                    else:
                        if on_round is not None:
                            on_round(report)
                    finally:
                        let_go_of_stale_connections()
                    self.stopping.wait(self.interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _handle_signals(self) -> dict[int, Any]:
        def stop(number: int, frame: FrameType | None) -> None:
            if self.stopping.is_set():
                raise SystemExit(1)  # the second signal: now
            log.warning("%s: the worker stops after what it is doing", signal.strsignal(number))
            self.stopping.set()

        previous: dict[int, Any] = {}
        for number in (signal.SIGTERM, signal.SIGINT):
            previous[number] = signal.getsignal(number)
            signal.signal(number, stop)
        return previous
