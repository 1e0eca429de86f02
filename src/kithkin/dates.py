"""Dates and intervals as people type them: '2026-01-10', 'today', '+3d', 'next friday',
'in 2 weeks', '2w', 'monthly'.

Dates in words are read by parsedatetime (DESIGN.md §5: a library, not a hand-written
parser), always relative to the ``today`` the caller passes (the user's local date)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import parsedatetime
from dateutil.relativedelta import relativedelta

from kithkin.errors import InvalidInput

_RELATIVE = re.compile(r"^(?P<sign>[+-])(?P<count>\d{1,4})(?P<unit>[dwmy])$")
_EVERY = re.compile(r"^(?P<count>\d{1,4})\s*(?P<unit>[dwmy])$")
_NAMED_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}
# 20/02/2026 or 02.03: day first or month first depends on the country; ask for ISO.
_NUMERIC = re.compile(r"^\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?$")
_ISO_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_CALENDAR = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
DATE_HELP = "YYYY-MM-DD, today, tomorrow, +3d, -2w, next friday, in 2 weeks"
_UNIT_WORDS = {"d": "day", "w": "week", "m": "month", "y": "year"}
_NAMED_EVERY = {
    "daily": "1d",
    "weekly": "1w",
    "fortnightly": "2w",
    "monthly": "1m",
    "quarterly": "3m",
    "yearly": "1y",
    "annually": "1y",
}
_RRULE_FREQ = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY"}


def _delta(count: int, unit: str) -> relativedelta:
    return {
        "d": relativedelta(days=count),
        "w": relativedelta(weeks=count),
        "m": relativedelta(months=count),
        "y": relativedelta(years=count),
    }[unit]


def parse_date(text: str, today: dt.date, field: str = "date") -> dt.date:
    """An ISO date; today/tomorrow/yesterday; an offset from today like +3d, -2w, +1m; or
    words parsedatetime reads ("next friday", "in 2 weeks", "3 march") relative to
    ``today``. Anything else is an InvalidInput naming ``field`` and the value."""
    value = " ".join(text.strip().lower().split())
    if value in _NAMED_DAYS:
        return today + dt.timedelta(days=_NAMED_DAYS[value])
    relative = _RELATIVE.match(value)
    if relative:
        count = int(relative["count"]) * (1 if relative["sign"] == "+" else -1)
        return today + _delta(count, relative["unit"])
    if _ISO_LIKE.match(value):
        try:
            year, month, day = (int(part) for part in value.split("-"))
            return dt.date(year, month, day)
        except ValueError:
            raise InvalidInput(field, f"{text!r} is not a date (no such day)") from None
    in_words = _in_words(value, today) if value and not _NUMERIC.match(value) else None
    if in_words is None:
        raise InvalidInput(field, f"{text!r} is not a date: use {DATE_HELP}")
    return in_words


def _in_words(value: str, today: dt.date) -> dt.date | None:
    """The day parsedatetime reads in ``value``, when it reads a date in all of it."""
    source = dt.datetime.combine(today, dt.time(12))
    found = _CALENDAR.nlp(value, sourceTime=source)
    if not found or len(found) != 1:
        return None
    when, context, start, end, _ = found[0]
    if start != 0 or end != len(value) or not context.hasDate:
        return None
    return when.date()


@dataclass(frozen=True)
class Every:
    """A repeating interval: 30 days, 2 weeks, 1 month..."""

    count: int
    unit: str  # d, w, m or y

    @property
    def approx_days(self) -> int:
        return self.count * {"d": 1, "w": 7, "m": 30, "y": 365}[self.unit]

    @property
    def rrule(self) -> str:
        return f"FREQ={_RRULE_FREQ[self.unit]};INTERVAL={self.count}"

    def after(self, day: dt.date, times: int = 1) -> dt.date:
        """``day`` moved on by ``times`` intervals, counted from ``day`` so that monthly
        from 31 January gives 28 February and then 31 March, not 28 March."""
        return day + _delta(self.count * times, self.unit)

    def __str__(self) -> str:
        word = _UNIT_WORDS[self.unit]
        return f"every {word}" if self.count == 1 else f"every {self.count} {word}s"


def parse_every(text: str, field: str = "every") -> Every:
    value = text.strip().lower()
    value = _NAMED_EVERY.get(value, value)
    match = _EVERY.match(value)
    if not match or int(match["count"]) == 0:
        raise InvalidInput(field, f"{text!r} is not an interval: use 30d, 2w, 3m, 1y or monthly")
    return Every(int(match["count"]), match["unit"])


def every_from_rrule(rule: str) -> Every:
    """The inverse of Every.rrule, for the recurrences Kithkin writes."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    units = {freq: unit for unit, freq in _RRULE_FREQ.items()}
    try:
        return Every(int(parts.get("INTERVAL", "1")), units[parts["FREQ"]])
    except (KeyError, ValueError):
        raise InvalidInput(
            "recurrence", f"{rule!r} is not a recurrence Kithkin understands"
        ) from None
