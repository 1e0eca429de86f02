"""Changing many people at once: set their circle, add or remove a tag, archive them.

Each function takes the people as ids or as a queryset (everyone matching a filter), keeps
only the network's own people (never *me*, and the archived only where it makes sense),
and writes in one transaction with bulk UPDATE/INSERT/DELETE statements, whatever their
number. Each records one change naming everyone it touched (``services.changes``), which
keeps the derived state their circle, archiving or tags feed current (the check-in due
date, the search document: docs/architecture.md, "The change seam").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from kithkin import access, clock
from kithkin.models import Circle, Network, Person, User
from kithkin.queries.triage import by_circle, suggestions
from kithkin.services import changes
from kithkin.services.people import find_circle, get_or_create_tags, tag_names
from kithkin.services.tags import tag_named

People = QuerySet[Person] | Iterable[int]


def _chosen(network: Network, people: People, *, archived: bool = False) -> QuerySet[Person]:
    """The network's people among ``people``: ids of other networks are simply not there."""
    chosen = Person.objects.filter(network=network, is_self=False)
    if not archived:
        chosen = chosen.filter(archived_at__isnull=True)
    if isinstance(people, QuerySet):
        return chosen.filter(pk__in=people.values_list("pk", flat=True))
    return chosen.filter(pk__in=list(set(people)))


def _circle(network: Network, circle: Circle | str) -> Circle:
    if isinstance(circle, Circle):
        access.require_in_network(network, circle)
        return circle
    return find_circle(network, circle)


@transaction.atomic
def set_circle(network: Network, actor: User, people: People, circle: Circle | str) -> int:
    """Move people into a circle; their due dates follow. Returns how many changed."""
    access.require_write(actor, network)
    target = _circle(network, circle)
    changing = _chosen(network, people).exclude(circle=target)
    ids = list(changing.values_list("pk", flat=True))
    if not ids:
        return 0
    Person.objects.filter(pk__in=changing.values("pk")).update(
        circle=target, updated_at=clock.now()
    )
    _circle_set(network, actor, ids)
    return len(ids)


def _circle_set(network: Network, actor: User, ids: list[int]) -> None:
    changes.record(
        network, "person.updated", actor=actor, person_ids=ids, data={"fields": ["circle"]}
    )


@transaction.atomic
def accept_suggestions(
    network: Network, actor: User, today: dt.date, person_ids: Iterable[int] | None = None
) -> int:
    """Put everyone triage suggests a circle for (or only ``person_ids`` of them) in that
    circle: one UPDATE per circle. Returns how many people moved."""
    access.require_write(actor, network)
    found = suggestions(network, today)
    if person_ids is not None:
        wanted = set(person_ids)
        found = [s for s in found if s.person.pk in wanted]
    moved = 0
    now = clock.now()
    for circle, ids in by_circle(found).items():
        moved += Person.objects.filter(network=network, pk__in=ids).update(
            circle=circle, updated_at=now
        )
    if found:
        _circle_set(network, actor, [s.person.pk for s in found])
    return moved


@transaction.atomic
def add_tag(network: Network, actor: User, people: People, tag: str) -> int:
    """Tag people (the tag is created if new). Returns how many gained it."""
    access.require_write(actor, network)
    [label] = get_or_create_tags(network, tag_names([tag]))
    through = Person.tags.through
    ids = list(
        _chosen(network, people, archived=True)
        .exclude(pk__in=through.objects.filter(tag=label).values("person_id"))
        .values_list("pk", flat=True)
    )
    through.objects.bulk_create(
        [through(person_id=pk, tag_id=label.pk) for pk in ids], batch_size=2000
    )
    if ids:
        changes.record(network, "tag.added", actor=actor, record_id=label.pk, person_ids=ids)
    return len(ids)


@transaction.atomic
def remove_tag(network: Network, actor: User, people: People, tag: str) -> int:
    """Take a tag off people. Returns how many lost it (an unknown tag: none)."""
    access.require_write(actor, network)
    [name] = tag_names([tag])
    label = tag_named(network, name)
    if label is None:
        return 0
    through = Person.tags.through
    links = through.objects.filter(
        tag=label, person_id__in=_chosen(network, people, archived=True).values("pk")
    )
    ids = list(links.values_list("person_id", flat=True))
    links.delete()
    if ids:
        changes.record(network, "tag.removed", actor=actor, record_id=label.pk, person_ids=ids)
    return len(ids)


@transaction.atomic
def archive(network: Network, actor: User, people: People) -> int:
    """Put people away: never due, out of lists and search. Returns how many."""
    access.require_write(actor, network)
    ids = list(_chosen(network, people).values_list("pk", flat=True))
    now = clock.now()
    Person.objects.filter(pk__in=ids).update(archived_at=now, updated_at=now)
    if ids:
        changes.record(network, "person.archived", actor=actor, person_ids=ids)
    return len(ids)
