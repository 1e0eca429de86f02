"""The one place Kithkin asks what time it is. Tests freeze it with time-machine."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return timezone.now()


@lru_cache(maxsize=64)
def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def today_in(time_zone: str) -> dt.date:
    """The local calendar date in ``time_zone`` right now ("today" for that user)."""
    return now().astimezone(zone(time_zone)).date()


def local_date(instant: dt.datetime, time_zone: str) -> dt.date:
    return instant.astimezone(zone(time_zone)).date()


def local_noon(day: dt.date, time_zone: str) -> dt.datetime:
    """A representative instant for something that happened on ``day`` (no time given).

    Noon keeps the local date stable whatever the UTC offset and across DST changes.
    """
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone(time_zone)).astimezone(dt.UTC)
