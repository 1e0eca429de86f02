"""A user's signed-in sessions (browsers, devices), and signing out everywhere else.

Sessions live in django.contrib.sessions' table, keyed by a secret: only a short hash of
the key ever leaves this module, enough to tell sessions apart, useless to hijack one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session

from kithkin import clock
from kithkin.models import User


@dataclass(frozen=True)
class SessionInfo:
    key_hash: str  # first 12 hex digits of the SHA-256 of the session key
    expires_at: dt.datetime
    current: bool


def sessions_of(user: User, current_key: str | None) -> list[SessionInfo]:
    """The user's live sessions, the current one first, then the longest-lived."""
    found = [
        SessionInfo(_key_hash(row.session_key), row.expire_date, row.session_key == current_key)
        for row in _live_sessions_of(user)
    ]
    return sorted(found, key=lambda info: (not info.current, -info.expires_at.timestamp()))


def end_other_sessions(user: User, current_key: str | None) -> int:
    """Sign the user out everywhere but here. Returns how many sessions ended."""
    keys = [row.session_key for row in _live_sessions_of(user) if row.session_key != current_key]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def _live_sessions_of(user: User) -> list[Session]:
    # The table holds every user's sessions and their data is encoded: decode each.
    # A self-hosted server has a few dozen; expired ones are skipped in SQL.
    live = Session.objects.filter(expire_date__gt=clock.now())
    return [row for row in live.iterator() if row.get_decoded().get(SESSION_KEY) == str(user.pk)]


def _key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:12]
