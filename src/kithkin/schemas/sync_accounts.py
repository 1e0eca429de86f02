"""A user's synced accounts as they see them: what is read and how the last run went; never
the password nor a calendar URL (the secret), only whether one is set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Instant, Shape

if TYPE_CHECKING:
    from kithkin.models import SyncAccount


class SyncCountsOut(Shape):
    logged: int
    updated: int
    removed: int
    skipped: int
    suggested: int
    # events or messages that could not be read, one line each (the first few); the rest synced
    problems: list[str] = []


class SyncAccountOut(Shape):
    """``where``: host (and port), or the CalDAV URL; ``last_counts`` null before the first
    run; ``failures`` in a row, ``last_error`` the latest one's line; ``next_sync_at`` null
    when the account waits for the user (a refused password)."""

    id: int
    kind: str
    name: str
    network: str
    where: str
    username: str
    secret_set: bool
    last_sync_at: Instant | None
    last_counts: SyncCountsOut | None
    last_error: str
    failures: int
    next_sync_at: Instant | None

    @classmethod
    def of(cls, account: SyncAccount) -> Self:
        return cls(
            id=account.pk,
            kind=account.kind,
            name=account.name,
            network=account.network.name,
            where=account.where,
            username=str(account.settings.get("username", "")),
            secret_set=account.secret_set,
            last_sync_at=account.last_sync_at,
            last_counts=SyncCountsOut(**account.last_counts) if account.last_counts else None,
            last_error=account.last_error,
            failures=account.failures,
            next_sync_at=account.next_sync_at,
        )
