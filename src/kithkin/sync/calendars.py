"""Calendar accounts (issue 16): the sync function of each kind, which the worker calls by
the account's kind -- ``sync_caldav`` for "caldav", ``sync_calendar_url`` for "ics".

How an event becomes a meeting, and how moved, cancelled and deleted events are
reconciled: ``calendar_events`` (shared by both, and with the ICS importer), and
docs/calendars.md."""

from __future__ import annotations

from collections.abc import Callable

from kithkin.sync.caldav import sync_caldav
from kithkin.sync.calendar_url import sync_calendar_url
from kithkin.sync.outcome import SyncOutcome, SyncSource

# The sync function of each calendar kind (SyncSource.kind).
CALENDAR_SYNCS: dict[str, Callable[[SyncSource], SyncOutcome]] = {
    "caldav": sync_caldav,
    "ics": sync_calendar_url,
}

__all__ = ["CALENDAR_SYNCS", "sync_caldav", "sync_calendar_url"]
