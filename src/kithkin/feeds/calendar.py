"""A feed as an iCalendar file (RFC 5545), written with the icalendar library.

- UID: ``<kind>-<record>@<host>`` ("follow-up-12@kith.example.org"), unchanged across
  fetches, so a calendar updates an entry in place when its day moves.
- All-day entries: DTSTART;VALUE=DATE and DTEND the day after their last day (DTEND is
  exclusive). Timed entries: DTSTART and DTEND with the TZID of the user's zone, and that
  zone's VTIMEZONE in the file (UTC when the zone is UTC).
- DTSTAMP: the start of the feed's day in the user's zone, so the file (and its ETag)
  changes only when what it holds changes or the day turns.
- URL: the page of the entry's record; DESCRIPTION and LOCATION only in a full feed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import icalendar

from kithkin.queries.feed import Feed, FeedEntry

PRODID = "-//Kithkin//Calendar feed//EN"
REFRESH = dt.timedelta(hours=1)  # how often a calendar should fetch again (a hint)


def to_ical(feed: Feed, *, host: str, link: Callable[[FeedEntry], str]) -> bytes:
    """The feed as bytes; ``link`` gives each entry's absolute page URL."""
    zone = zoneinfo.ZoneInfo(feed.time_zone)
    stamp = dt.datetime.combine(feed.today, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Kithkin: {feed.network.name}")
    calendar.add("x-wr-timezone", feed.time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")  # the same hint, as Outlook reads it
    if any(entry.is_timed for entry in feed.entries) and feed.time_zone != "UTC":
        calendar.add_component(
            icalendar.Timezone.from_tzid(
                feed.time_zone,
                first_date=feed.start - dt.timedelta(days=1),
                last_date=feed.end + dt.timedelta(days=2),
            )
        )
    for entry in feed.entries:
        calendar.add_component(_event(entry, host, stamp, zone, link(entry)))
    return calendar.to_ical()


def _event(
    entry: FeedEntry, host: str, stamp: dt.datetime, zone: zoneinfo.ZoneInfo, url: str
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", stamp)
    event.add("summary", entry.title)
    if entry.starts_at is not None:
        start = entry.starts_at.astimezone(zone)
        if zone.key == "UTC":
            start = start.astimezone(dt.UTC)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=entry.minutes or 1))
    else:
        assert entry.on is not None
        event.add("dtstart", entry.on)  # a date: VALUE=DATE
        event.add("dtend", (entry.last_day or entry.on) + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
    event.add("categories", [entry.kind])
    if entry.tentative:
        event.add("status", "TENTATIVE")
    event.add("url", url)
    if entry.description:
        event.add("description", entry.description)
    if entry.location:
        event.add("location", entry.location)
    return event
