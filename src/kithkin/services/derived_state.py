"""After a write: keep each touched person's derived state (check-in due date, search
document) current, and stamp when their details last changed."""

from __future__ import annotations

from collections.abc import Iterable

from kithkin import clock
from kithkin.models import Network, Person
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people


def refresh(network: Network, person_ids: Iterable[int]) -> None:
    ids = list(set(person_ids))
    refresh_check_ins(network, ids)
    reindex_people(network, ids)


def mark_changed(network: Network, person_ids: Iterable[int]) -> None:
    """Stamp ``updated_at`` on people whose details changed, then refresh them."""
    ids = list(set(person_ids))
    Person.objects.filter(network=network, pk__in=ids).update(updated_at=clock.now())
    refresh(network, ids)
