"""The network's circles with how many people (archived ones aside) are in each."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kithkin.models import Circle, Network


def circles_with_sizes(network: Network) -> QuerySet[Circle]:
    """Closest first; each circle has ``size``, its people who are not archived."""
    return (
        Circle.objects.filter(network=network)
        .annotate(size=Count("people", filter=Q(people__archived_at__isnull=True)))
        .order_by("rank", "pk")
    )
