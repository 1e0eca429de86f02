"""Whether the background worker runs: the latest beat any worker left (``WorkerBeat``).

The worker counts as running while its latest beat is at most twice its interval old
(the interval it recorded with the beat, ``KITH_WORKER_INTERVAL`` when it started). Past
that, or when no worker ever ran, every page shows a banner, Settings says since when, and
`kith doctor` names the problem: reminders that fail silently because nothing was running
is what this prevents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kithkin import clock
from kithkin.doctor import Finding, check

STALE_AFTER_INTERVALS = 2


@dataclass(frozen=True)
class WorkerStatus:
    last_beat_at: dt.datetime | None  # None: no worker ever ran
    interval_seconds: float
    checked_at: dt.datetime

    @property
    def never_ran(self) -> bool:
        return self.last_beat_at is None

    @property
    def stale_after(self) -> dt.timedelta:
        return dt.timedelta(seconds=STALE_AFTER_INTERVALS * self.interval_seconds)

    @property
    def stale(self) -> bool:
        """True when no worker ran within twice its interval: background work is waiting."""
        return self.last_beat_at is None or self.checked_at - self.last_beat_at > self.stale_after

    @property
    def age(self) -> dt.timedelta | None:
        return None if self.last_beat_at is None else self.checked_at - self.last_beat_at


def worker_status(now: dt.datetime | None = None) -> WorkerStatus:
    """The latest beat: one query on the (-beat_at) index."""
    from django.conf import settings

    from kithkin.models import WorkerBeat

    latest = (
        WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", "interval_seconds").first()
    )
    checked_at = now or clock.now()
    if latest is None:
        return WorkerStatus(None, float(settings.WORKER_INTERVAL), checked_at)
    return WorkerStatus(latest[0], latest[1], checked_at)


def _seconds(span: dt.timedelta) -> str:
    seconds = max(0, round(span.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


@check("worker")
def worker_heartbeat() -> list[Finding]:
    status = worker_status()
    start = "start `kith worker` (or `kith serve`, which runs one)"
    if status.last_beat_at is None or status.age is None:
        return [
            Finding(
                "worker",
                False,
                f"No background worker has ever run: {start}; until one does, nothing "
                "is sent (digests, webhooks) and no scheduled work happens.",
            )
        ]
    at = status.last_beat_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    every = _seconds(dt.timedelta(seconds=status.interval_seconds))
    if status.stale:
        return [
            Finding(
                "worker",
                False,
                f"The background worker last ran {_seconds(status.age)} ago ({at}), more than "
                f"twice its interval of {every}: {start}, or see why it stopped.",
            )
        ]
    return [Finding("worker", True, f"The background worker ran {_seconds(status.age)} ago.")]
