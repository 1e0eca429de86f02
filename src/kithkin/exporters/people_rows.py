"""The people of a network with what every exporter needs, loaded in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from kithkin.models import Affiliation, Network, Person, Photo


def exported_people(
    network: Network,
    *,
    include_self: bool = False,
    include_archived: bool = True,
    ids: Iterable[int] | None = None,
    photos: bool = False,
) -> Iterator[Person]:
    """``photos``: each person's photo (the full image, not the thumbnail) comes along,
    one query per chunk of people."""
    people = Person.objects.filter(network=network)
    if not include_self:
        people = people.filter(is_self=False)
    if not include_archived:
        people = people.filter(archived_at__isnull=True)
    if ids is not None:
        people = people.filter(pk__in=list(ids))
    people = people.select_related("circle").prefetch_related(
        "contact_points",
        "tags",
        Prefetch("affiliations", Affiliation.objects.select_related("organization")),
    )
    if photos:
        people = people.prefetch_related(Prefetch("photo", Photo.objects.defer("thumbnail")))
    yield from (people.order_by("pk").iterator(chunk_size=2000))
