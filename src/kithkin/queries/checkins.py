"""How a person stands on keep-in-touch: due when, how late, and why, in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kithkin import clock
from kithkin.models import Person


@dataclass(frozen=True)
class CheckInStatus:
    cadence_days: int | None
    due_on: dt.date | None
    days_overdue: int | None  # negative: due in that many days
    last_interaction_on: dt.date | None
    reason: str

    @property
    def is_due(self) -> bool:
        return self.days_overdue is not None and self.days_overdue >= 0


def _ago(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def _every(days: int) -> str:
    return "cadence 1 day" if days == 1 else f"cadence {days} days"


def check_in_status(person: Person, today: dt.date, time_zone: str) -> CheckInStatus:
    cadence = person.effective_cadence_days
    last_on = (
        clock.local_date(person.last_interaction_at, time_zone)
        if person.last_interaction_at
        else None
    )
    due = person.check_in_due_on
    if person.is_self:
        return CheckInStatus(None, None, None, last_on, "this is you")
    if person.archived_at is not None:
        return CheckInStatus(cadence, None, None, last_on, "archived")
    if cadence is None or due is None:
        return CheckInStatus(None, None, None, last_on, "no check-in cadence")
    if last_on is not None:
        reason = f"last talked {_ago((today - last_on).days)}, {_every(cadence)}"
    elif person.connected_on is not None:
        reason = f"never contacted; connected {_ago((today - person.connected_on).days)}, {_every(cadence)}"
    else:
        added = clock.local_date(person.created_at, time_zone)
        reason = f"never contacted; added {_ago((today - added).days)}, {_every(cadence)}"
    if person.snoozed_until is not None and person.snoozed_until >= due:
        reason += f"; snoozed until {person.snoozed_until.isoformat()}"
    return CheckInStatus(cadence, due, (today - due).days, last_on, reason)
