"""What the phone app's quick log offers to pick from (docs/app.md)."""

from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from kithkin import refs
from kithkin.models import Network, Person

RECENT = 6  # one tap for the people talked to last


def _listed(network: Network) -> QuerySet[Person]:
    return Person.objects.filter(network=network, archived_at__isnull=True, is_self=False)


def picker(network: Network) -> list[tuple[int, str]]:
    """Everyone a quick log can name, as (id, name) by name, as the phone keeps them to pick
    from offline. Two people of one name are told apart by their reference (``p12``), which
    the person field also accepts when typed."""
    rows = list(_listed(network).order_by("full_name", "pk").values_list("pk", "full_name"))
    seen = Counter(name for _, name in rows)
    return [(pk, name if seen[name] == 1 else f"{name} ({refs.PERSON(pk)})") for pk, name in rows]


def recent_people(network: Network, limit: int = RECENT) -> list[Person]:
    """The people last talked to, most recent first: the quick log's one-tap choices."""
    return list(
        _listed(network)
        .filter(last_interaction_at__isnull=False)
        .order_by("-last_interaction_at", "pk")[:limit]
    )
