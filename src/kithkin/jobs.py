"""Scheduled work: what the worker runs on its own, and how it runs it once.

A job is a function of the current moment, registered with ``@job(name, every=…)`` in the
module that owns the work (the digest job beside the digest, the backup job beside the
backups). The worker (``kith worker``) calls each job when its interval has passed; a job
decides what is due and takes each piece with ``claim(key)``, which succeeds for exactly
one worker however many race for it — the database's unique index is the lock. A job that
sends something claims it *before* sending, so a crash can lose a send (reported by the
worker's proof-of-life) but never repeat one.

Modules holding jobs are listed in ``JOB_MODULES`` so the worker can import them all.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from kithkin import clock

JOB_MODULES: tuple[str, ...] = (
    # one line per module holding @job functions
    "kithkin.services.webhooks",  # lost deliveries enqueued again; its change consumer
    "kithkin.services.digest",
    "kithkin.housekeeping",
    "kithkin.backups.schedule",
    "kithkin.sync.run",  # synced mail and calendar accounts that are due
    "kithkin.address_books.cards",  # its change consumer: CardDAV's stored ETags
    "kithkin.services.strength",  # every network's strength again each day
    "kithkin.services.opportunity_matches",  # Worth sharing's stored matches, hourly
)


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    run: Callable[[dt.datetime], object]


JOBS: dict[str, Job] = {}


def job(
    name: str, *, every: dt.timedelta
) -> Callable[[Callable[[dt.datetime], object]], Callable[[dt.datetime], object]]:
    """Register ``function(now)`` to run every ``every``."""

    def register(function: Callable[[dt.datetime], object]) -> Callable[[dt.datetime], object]:
        if name in JOBS and JOBS[name].run is not function:
            raise ValueError(f"two jobs are named {name!r}")
        JOBS[name] = Job(name, every, function)
        return function

    return register


def all_jobs() -> dict[str, Job]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return JOBS


def claim(key: str, *, worker_id: str = "") -> bool:
    """Take the work named ``key``; False if any worker (this one included) took it already."""
    from kithkin.models import Claim

    try:
        with transaction.atomic():
            Claim.objects.create(key=key, worker_id=worker_id, claimed_at=clock.now())
    except IntegrityError:
        return False
    return True


def finish(key: str) -> None:
    """Record that the claimed work ``key`` is done."""
    from kithkin.models import Claim

    Claim.objects.filter(key=key).update(done_at=clock.now())


def release(key: str) -> None:
    """Give back a claim whose work failed, so a later round tries again."""
    from kithkin.models import Claim

    Claim.objects.filter(key=key, done_at__isnull=True).delete()
