"""The worker's own jobs (``jobs.py``): housekeeping, and driving the change seam.

- ``housekeeping`` (every HOUSEKEEPING_EVERY): uploads abandoned before confirmation are
  deleted (``services.uploads``), not only when the next upload happens, and SQLite's
  planner statistics are refreshed (a bounded ANALYZE: 35 ms on a 30k/1M network;
  ``services.query_planner.refresh_on_schedule``), and the task queue's finished rows are
  deleted once TASKS_KEPT old (failed ones FAILED_TASKS_KEPT: their tracebacks are what one
  reads after a failure), and so are the phone's quick-log keys once
  ``services.quick_log.KEYS_KEPT`` old; what the trash has kept for 30 days is removed for good
  (``services.trash.purge``). Several workers sweeping the same folder is harmless: a file
  already gone is skipped.
- ``changes`` (every CHANGES_EVERY): every consumer of the change seam gets the changes
  recorded since its cursor (``services.changes.dispatch``). One worker at a time: the one
  holding the ``lease:changes`` row (``hold_lease``: one conditional UPDATE), renewed each
  time it runs and taken over by another worker once CHANGES_LEASE has passed without it,
  so two workers never hand a consumer the same batch at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket

from django.db import IntegrityError
from django.db.models import Q

from kithkin.jobs import job

HOUSEKEEPING_EVERY = dt.timedelta(minutes=15)
CHANGES_EVERY = dt.timedelta(seconds=5)
TASKS_KEPT = dt.timedelta(days=7)
FAILED_TASKS_KEPT = dt.timedelta(days=30)
CHANGES_LEASE = dt.timedelta(minutes=1)

log = logging.getLogger(__name__)


CLAIMS_KEPT = dt.timedelta(days=30)
# A running task whose worker has not stamped its beat for this long was abandoned (the
# worker was killed): a live worker stamps it while a task runs, for up to 15 minutes.
ABANDONED_AFTER = dt.timedelta(minutes=20)


@job("housekeeping", every=HOUSEKEEPING_EVERY)
def housekeeping(now: dt.datetime) -> None:
    from kithkin.services import quick_log, trash, uploads
    from kithkin.services.query_planner import refresh_on_schedule

    deleted = uploads.sweep_abandoned(now)
    if deleted:
        log.info("housekeeping: deleted %d abandoned upload(s)", deleted)
    purged = trash.purge(now)
    if purged:
        log.info("housekeeping: removed %d record(s) kept 30 days in the trash", purged)
    requeue_abandoned_tasks(now)
    forget_finished_tasks(now)
    forget_done_claims(now)
    quick_log.forget_old_keys(now)
    refresh_on_schedule()


def forget_finished_tasks(now: dt.datetime) -> int:
    """Delete the queue's finished task rows past their keeping time; how many."""
    from django.db.models import Q
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - TASKS_KEPT)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - FAILED_TASKS_KEPT)
    ).delete()
    return deleted


def requeue_abandoned_tasks(now: dt.datetime) -> int:
    """Put back in the queue the tasks left running by a worker that died (SIGKILL, a
    crash, the machine restarted): django_tasks_db leaves them RUNNING for good. Tasks run
    at least once, so each is written to be run again safely. How many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from kithkin.models import WorkerBeat

    running = list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=now - ABANDONED_AFTER
        ).only("id", "worker_ids")
    )
    claimers = {task.worker_ids[-1] for task in running if task.worker_ids}
    alive = set(
        WorkerBeat.objects.filter(
            worker_id__in=claimers, beat_at__gte=now - ABANDONED_AFTER
        ).values_list("worker_id", flat=True)
    )
    abandoned = [
        task.pk for task in running if not task.worker_ids or task.worker_ids[-1] not in alive
    ]
    if not abandoned:
        return 0
    requeued = DBTaskResult.objects.filter(
        pk__in=abandoned, status=TaskResultStatus.RUNNING
    ).update(status=TaskResultStatus.READY, started_at=None)
    log.warning(
        "housekeeping: %d task(s) left running by a worker that stopped, queued again", requeued
    )
    return requeued


def forget_done_claims(now: dt.datetime) -> int:
    """Delete the claims of scheduled work done over ``CLAIMS_KEPT`` ago (a digest's claim
    only has to outlive its day); leases and unfinished claims stay. How many."""
    from kithkin.models import Claim

    deleted, _ = Claim.objects.filter(done_at__lt=now - CLAIMS_KEPT).delete()
    return deleted


@job("changes", every=CHANGES_EVERY)
def dispatch_changes(now: dt.datetime) -> int:
    from kithkin.services import changes

    if not hold_lease("changes", this_process(), now, CHANGES_LEASE):
        return 0  # another worker dispatches
    return changes.dispatch()


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def hold_lease(name: str, holder: str, now: dt.datetime, lease: dt.timedelta) -> bool:
    """Whether ``holder`` holds (now renewed) or takes the lease called ``name``: one
    conditional UPDATE of its ``Claim`` row, which succeeds for the holder, or for anyone
    once the lease has run out."""
    from kithkin.models import Claim

    key = f"lease:{name}"
    with contextlib.suppress(IntegrityError):  # another worker created it at the same moment
        Claim.objects.get_or_create(key=key, defaults={"claimed_at": now - 2 * lease})
    return bool(
        Claim.objects.filter(key=key)
        .filter(Q(worker_id=holder) | Q(claimed_at__lt=now - lease))
        .update(worker_id=holder, claimed_at=now)
    )
