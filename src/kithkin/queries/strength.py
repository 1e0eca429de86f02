"""PLACEHOLDER, replaced on merge by the relationship-strength branch (issue 17).

Only its signature is the contract the warm-intro paths build on:
``scores(network, user, person_ids) -> {person_id: 0..100}``, people without a score
absent. This stand-in estimates a score from recency and frequency of the interactions
``user`` logged with each person (one aggregate over the given people only); nothing may
depend on its numbers, and the tests of path order do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Max

from kithkin import clock
from kithkin.models import InteractionParticipant, Network, Person, User


def scores(network: Network, user: User, person_ids: Iterable[int]) -> dict[int, int]:
    """How strong ``user``'s relationship with each of ``person_ids`` is, 0-100; people
    ``user`` never logged an interaction with are absent."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = (
        InteractionParticipant.objects.filter(
            person_id__in=Person.objects.filter(network=network, pk__in=ids).values("pk"),
            interaction__created_by=user,
        )
        .values("person_id")
        .annotate(count=Count("interaction_id"), last=Max("interaction__occurred_at"))
        .order_by()
    )
    now = clock.now()
    found: dict[int, int] = {}
    for row in rows:
        days = max(0, (now - row["last"]) / dt.timedelta(days=1))
        recency = 50 * 0.5 ** (days / 180)  # halves every six months
        frequency = 50 * min(1.0, row["count"] / 20)
        found[row["person_id"]] = max(1, min(100, round(recency + frequency)))
    return found
