"""Dates and intervals as people type them: '2026-01-10', 'today', '+3d', '2w', 'monthly'."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from kithkin.errors import InvalidInput

_RELATIVE = re.compile(r"^(?P<sign>[+-])(?P<count>\d{1,4})(?P<unit>[dwmy])$")
_EVERY = re.compile(r"^(?P<count>\d{1,4})\s*(?P<unit>[dwmy])$")
_NAMED_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}
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
    """An ISO date, today/tomorrow/yesterday, or an offset from today like +3d, -2w, +1m."""
    value = text.strip().lower()
    if value in _NAMED_DAYS:
        return today + dt.timedelta(days=_NAMED_DAYS[value])
    relative = _RELATIVE.match(value)
    if relative:
        count = int(relative["count"]) * (1 if relative["sign"] == "+" else -1)
        return today + _delta(count, relative["unit"])
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, f"{text!r} is not a date: use YYYY-MM-DD, today, tomorrow or +3d"
        ) from None


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
