"""The worker's own jobs (``jobs.py``): housekeeping, and driving the change seam.

- ``housekeeping`` (every HOUSEKEEPING_EVERY): uploads abandoned before confirmation are
  deleted (``services.uploads``), not only when the next upload happens, and SQLite's
  planner statistics are refreshed (a bounded ANALYZE: 35 ms on a 30k/1M network;
  ``services.query_planner.refresh_on_schedule``), and the task queue's finished rows are
  deleted once TASKS_KEPT old (failed ones FAILED_TASKS_KEPT: their tracebacks are what one
  reads after a failure). Several workers sweeping the same folder is harmless: a file
  already gone is skipped.
- ``changes`` (every CHANGES_EVERY): every consumer of the change seam gets the changes
  recorded since its cursor (``services.changes.dispatch``).
"""

from __future__ import annotations

import datetime as dt
import logging

from kithkin.jobs import job

HOUSEKEEPING_EVERY = dt.timedelta(minutes=15)
CHANGES_EVERY = dt.timedelta(seconds=5)
TASKS_KEPT = dt.timedelta(days=7)
FAILED_TASKS_KEPT = dt.timedelta(days=30)

log = logging.getLogger(__name__)


@job("housekeeping", every=HOUSEKEEPING_EVERY)
def housekeeping(now: dt.datetime) -> None:
    from kithkin.services import uploads
    from kithkin.services.query_planner import refresh_on_schedule

    deleted = uploads.sweep_abandoned(now)
    if deleted:
        log.info("housekeeping: deleted %d abandoned upload(s)", deleted)
    forget_finished_tasks(now)
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


@job("changes", every=CHANGES_EVERY)
def dispatch_changes(now: dt.datetime) -> int:
    from kithkin.services import changes

    return changes.dispatch()
