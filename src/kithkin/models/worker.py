"""What the worker leaves behind to prove it ran, and what it claimed so it runs once."""

from __future__ import annotations

from django.db import models

from kithkin.clock import now


class WorkerBeat(models.Model):
    """One row per worker process, stamped each time it goes round its loop: Settings,
    the banner and `kith doctor` read the latest stamp."""

    worker_id = models.CharField(max_length=200, unique=True)  # host:pid:start
    started_at = models.DateTimeField(default=now)
    beat_at = models.DateTimeField(default=now)
    interval_seconds = models.FloatField(default=60)

    class Meta:
        indexes = [models.Index(fields=["-beat_at"], name="worker_latest_beat")]

    def __str__(self) -> str:
        return self.worker_id


class Claim(models.Model):
    """A piece of scheduled work taken by one worker: the unique key is the lock.

    Two workers racing for "digest:7:2026-12-07" both try to insert it; the database lets
    one succeed (``jobs.claim``). The row stays as the record that the work was done.
    """

    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField(default=now)
    worker_id = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key
