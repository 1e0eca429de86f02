"""Recurring events expanded within bounds. dateutil alone stops at UNTIL only when an
occurrence passes it, so a rule that never matches (a 283-byte FREQ=SECONDLY calendar)
runs to the year 9999. Here every period dateutil looks at is charged to a budget per
file, and the expansion ends at the window's end (``ExaminedRule``)."""

from __future__ import annotations

import datetime as dt
import types
from dataclasses import dataclass
from typing import Any

import dateutil.rrule
from dateutil.rrule import rrule

# Candidate occurrences dateutil may examine per file (every period it looks at, matching or
# not, plus every slot it yields): ~0.8 s of work at worst (bench/imports_bounded.py); a
# calendar of 150 weekly meetings held since 2014 spends 90,000.
EXPANSION_BUDGET = 100_000

# How far past `until` a rule with no date yet is followed, to tell "later" from "never":
# every calendar pattern (29 February, week 53, a fifth Monday) recurs within 8 years.
NEVER_AFTER = dt.timedelta(days=8 * 366)


class Spent(Exception):
    """The file's recurrence budget is spent: this series and the next are left out."""


@dataclass
class Examined:
    """How many more candidate occurrences dateutil may look at in this file."""

    left: int

    def charge(self, line: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise Spent(line)


class PastWindow(Exception):
    """dateutil looked at a period after the window: the rule has nothing more to give."""


class _CountedPeriods(dateutil.rrule._iterinfo):
    """dateutil's per-period helper, charging each period it is asked for to the rule's
    budget and ending the rule at the end of the window. dateutil alone stops at UNTIL
    only when an occurrence passes it: a rule that never matches runs to the year 9999."""

    def _period(self, year: int, month: int, day: int) -> None:
        rule = self.rrule
        if isinstance(rule, ExaminedRule):
            rule.examined.charge(rule.line)
            # The period's first day: a year, a month, else the day (the day dateutil keeps
            # for YEARLY and MONTHLY is DTSTART's, not the period's).
            parts = {dateutil.rrule.YEARLY: 1, dateutil.rrule.MONTHLY: 2}.get(rule._freq, 3)
            end = rule.horizon
            if (year, month, day)[:parts] > (end.year, end.month, end.day)[:parts]:
                raise PastWindow

    def ydayset(self, year: int, month: int, day: int) -> Any:
        self._period(year, month, day)
        return super().ydayset(year, month, day)

    def mdayset(self, year: int, month: int, day: int) -> Any:
        self._period(year, month, day)
        return super().mdayset(year, month, day)

    def wdayset(self, year: int, month: int, day: int) -> Any:
        self._period(year, month, day)
        return super().wdayset(year, month, day)

    def ddayset(self, year: int, month: int, day: int) -> Any:
        self._period(year, month, day)
        return super().ddayset(year, month, day)


class ExaminedRule(rrule):
    """A dateutil rule whose expansion is charged to a budget and ends at `horizon`: its
    `_iter` is dateutil's own, run with _CountedPeriods in place of dateutil's helper (a
    copy of the function, so no other use of dateutil in the process is affected)."""

    examined: Examined
    horizon: dt.datetime
    line: int

    _iter = types.FunctionType(
        rrule._iter.__code__,
        {**vars(dateutil.rrule), "_iterinfo": _CountedPeriods},
        "_iter",
        rrule._iter.__defaults__,
        rrule._iter.__closure__,
    )
