"""What is in a network's trash, newest first, and how long each will stay
(``services.trash`` puts it there and restores it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kithkin import clock
from kithkin.models import Network, TrashedItem
from kithkin.models.trash import KEEP_DAYS
from kithkin.queries.history import who_made

LIMIT = 500


@dataclass(frozen=True)
class TrashRow:
    id: int
    kind: str  # person, interaction, follow_up
    kind_label: str  # person, interaction, follow-up
    record_id: int
    name: str
    deleted_by: str
    deleted_at: dt.datetime
    days_left: int


def days_left(deleted_at: dt.datetime, now: dt.datetime) -> int:
    """Whole days left before the purge takes it (0: at the next housekeeping)."""
    return max(0, KEEP_DAYS - (now - deleted_at).days)


def trash_rows(network: Network, *, limit: int = LIMIT) -> list[TrashRow]:
    now = clock.now()
    items = (
        TrashedItem.objects.filter(network=network)
        .select_related("deleted_by")
        .defer("rows", "links")
        .order_by("-deleted_at", "-id")[:limit]
    )
    return [
        TrashRow(
            item.pk,
            item.kind,
            item.get_kind_display(),
            item.record_id,
            item.name,
            who_made(item.deleted_by),
            item.deleted_at,
            days_left(item.deleted_at, now),
        )
        for item in items
    ]
