"""Backups on a schedule, what is kept of them, and how recent the last one is.

The worker runs ``daily_backup`` every hour; the first run of a UTC day claims
``backup:<date>`` (``jobs.claim``: one worker of however many) and makes, verifies and
records that day's backup, encrypted when ``KITH_BACKUP_PASSPHRASE`` is set, then deletes
the scheduled backups retention no longer keeps: the newest of each of the last
``KITH_BACKUP_KEEP_DAILY`` days and of each of the last ``KITH_BACKUP_KEEP_WEEKLY`` weeks.
Backups made by hand are never deleted. ``KITH_BACKUP_SCHEDULED=false`` turns it off.

Settings (``status``) and `kith doctor` (``backup_age``) read the newest backup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from kithkin import clock, jobs
from kithkin.doctor import Finding, check
from kithkin.models import Backup, Claim, User

CHECK_EVERY = dt.timedelta(hours=1)
TOO_OLD = dt.timedelta(days=2)


@jobs.job("backups", every=CHECK_EVERY)
def daily_backup(now: dt.datetime) -> Backup | None:
    """Today's backup, if no worker made it yet; None when there is nothing to do."""
    if not settings.BACKUP_SCHEDULED:
        return None
    key = f"backup:{now.astimezone(dt.UTC).date().isoformat()}"
    if not jobs.claim(key):
        return None
    from kithkin.backups.make import make_backup
    from kithkin.backups.restore import verify_backup

    try:
        made = make_backup(passphrase=settings.BACKUP_PASSPHRASE, scheduled=True)
        verify_backup(made.path, settings.BACKUP_PASSPHRASE)
    except Exception:
        # Unlike a message, a backup is safe to repeat: let the next round try again.
        Claim.objects.filter(key=key, done_at__isnull=True).delete()
        raise
    prune(now)
    jobs.finish(key)
    if made.record is not None:
        made.record.refresh_from_db()
    return made.record


def kept(backups: Iterable[tuple[int, dt.datetime]], *, daily: int, weekly: int) -> set[int]:
    """Of scheduled backups (id, made at), those retention keeps: the newest of each of the
    ``daily`` latest days that have one, and of each of the ``weekly`` latest weeks."""
    newest_first = sorted(backups, key=lambda b: b[1], reverse=True)
    keep: set[int] = set()
    for size, period in ((daily, _day), (weekly, _week)):
        seen: list[object] = []
        for pk, made_at in newest_first:
            key = period(made_at)
            if key in seen:
                continue
            if len(seen) == size:
                break
            seen.append(key)
            keep.add(pk)
    return keep


def _day(at: dt.datetime) -> object:
    return at.astimezone(dt.UTC).date()


def _week(at: dt.datetime) -> object:
    return at.astimezone(dt.UTC).isocalendar()[:2]


def prune(now: dt.datetime) -> list[Path]:
    """Delete the scheduled backups retention does not keep; the files deleted."""
    scheduled = list(Backup.objects.filter(scheduled=True).values_list("pk", "made_at", "path"))
    keep = kept(
        [(pk, at) for pk, at, _ in scheduled],
        daily=settings.BACKUP_KEEP_DAILY,
        weekly=settings.BACKUP_KEEP_WEEKLY,
    )
    deleted = []
    for pk, _, path in scheduled:
        if pk not in keep:
            Path(path).unlink(missing_ok=True)
            Backup.objects.filter(pk=pk).delete()
            deleted.append(Path(path))
    return deleted


@dataclass(frozen=True)
class BackupStatus:
    last: Backup | None
    scheduled: bool  # whether the worker makes one a day
    too_old: bool  # none, or the newest is older than TOO_OLD

    @property
    def exists(self) -> bool:
        return self.last is not None and Path(self.last.path).is_file()


def status(now: dt.datetime | None = None) -> BackupStatus:
    now = now or clock.now()
    last = Backup.objects.order_by("-made_at").first()
    too_old = last is None or now - last.made_at > TOO_OLD
    return BackupStatus(last, settings.BACKUP_SCHEDULED, too_old)


def status_for(user: User) -> BackupStatus | None:
    """The status Settings shows ``user``: None for those it is not shown to."""
    return status() if sees_status(user) else None


def sees_status(user: User) -> bool:
    """Who is shown the install's backups on Settings: whoever administers the install —
    staff, and the first user (the one `kith init` made, who runs `kith` on the machine).
    A team server's other members see nothing of it: backups are the install's, not a
    network's."""
    if user.is_staff or user.is_superuser:
        return True
    first = User.objects.order_by("pk").values_list("pk", flat=True).first()
    return first == user.pk


@check("backups")
def backup_age() -> list[Finding]:
    found = status()
    if found.last is None:
        return [Finding("backups", False, "no backup yet: run `kith backup` (docs/backups.md).")]
    last = found.last
    when = last.made_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if found.too_old:
        hint = (
            "is `kith worker` running?"
            if found.scheduled
            else "scheduled backups are off (KITH_BACKUP_SCHEDULED)"
        )
        return [
            Finding(
                "backups",
                False,
                f"the newest backup is from {when}, over 2 days ago: run `kith backup` ({hint}).",
            )
        ]
    if not found.exists:
        return [Finding("backups", False, f"the newest backup, {last.path}, is missing.")]
    verified = "verified" if last.verified_at else "not verified: `kith backup --verify FILE`"
    return [Finding("backups", True, f"newest backup {when}, {last.path} ({verified}).")]
