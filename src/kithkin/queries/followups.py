"""Follow-ups as lists: open, due by a day, or done."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import QuerySet

from kithkin.models import FollowUp, Network, Person


def follow_ups_listed(
    network: Network,
    *,
    status: Literal["open", "due", "done"],
    today: dt.date,
    person: Person | None = None,
) -> QuerySet[FollowUp]:
    """Unordered (the caller pages it), their people prefetched. Due: open, and due on or
    before ``today`` (the agenda's rule)."""
    rows = FollowUp.objects.filter(network=network).prefetch_related("people")
    if person is not None:
        rows = rows.filter(people=person)
    rows = rows.filter(done_at__isnull=status != "done")
    if status == "due":
        rows = rows.filter(due_on__lte=today)
    return rows
