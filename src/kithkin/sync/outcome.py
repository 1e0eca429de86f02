"""The contract between a synced account and the function that syncs it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kithkin.models import Network, User


class SyncSource(Protocol):
    """What a sync function reads and keeps: the account's network and user, its settings
    (host, folders, calendars, how far back), and its state (UIDVALIDITY and last UID, a
    sync token, ETags) which the function updates and saves with `save_state()` in the same
    transaction as the interactions it wrote, so a sync cut off midway resumes from the last
    saved point and never writes anything twice."""

    network: Network
    user: User
    kind: str  # "imap", "caldav" or "ics"
    settings: dict[str, Any]
    state: dict[str, Any]

    def password(self) -> str: ...

    def save_state(self) -> None: ...


@dataclass
class SyncOutcome:
    """What one run did, shown as the account's last sync counts."""

    logged: int = 0  # interactions created
    updated: int = 0  # interactions changed (an event moved)
    removed: int = 0  # interactions removed (an event deleted or cancelled)
    skipped: int = 0  # messages or events that became nothing (bulk mail, no known attendee)
    suggested: int = 0  # unknown correspondents put in triage, never created silently
    # Records that could not be read, one line each naming where ("Work: event <UID>:
    # DTSTART: ..."); the rest synced. Shown with the counts, like a last error.
    problems: list[str] = field(default_factory=list)


class SyncFailure(Exception):
    """A run that could not finish, as one line a user can act on ("the server refused the
    password", "TLS: certificate not trusted for mail.example.com"). `retry` says whether
    trying again later may help (a dropped connection) or not before the user changes
    something (a wrong password)."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry
