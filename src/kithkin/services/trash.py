"""The trash: deleting a person, an interaction or a follow-up keeps it for 30 days.

A delete service names the records it removes (a person, and the interactions and
follow-ups that were theirs alone); :func:`trash` asks Django's deletion ``Collector`` —
the same one that performs the delete — for every row the delete removes (contact points,
taggings, participants, relationships, jobs, memberships, milestones, exchanges...) and
for the links of rows that stay and are emptied (``SET_NULL``: someone they introduced),
stores them whole in one :class:`~kithkin.models.TrashedItem` in Django's serialisation,
then deletes. Whatever model gains a link to a person later is in the snapshot without
this module knowing it.

:func:`restore` writes the rows back with their ids and puts the emptied links back
(where nobody set them since), in one transaction, and records ``trash.restored``, whose
derived state (check-ins, search documents, duplicate pairs) the change seam refreshes.
A row whose id exists again refuses the restore; a row tied to a record deleted for good
since (an interaction purged, an organization deleted) is left out, and said so.

:func:`purge` removes what is older than ``KEEP_DAYS``: the housekeeping job calls it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.deletion import Collector

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Network, TrashedItem, User
from kithkin.models.trash import KEEP_DAYS
from kithkin.services import changes


def trash(
    network: Network,
    actor: User,
    *,
    kind: str,
    record: models.Model,
    name: str,
    roots: Sequence[models.Model],
    person_ids: Sequence[int],
) -> TrashedItem:
    """Delete ``roots`` (``record`` first among them) and everything that goes with them,
    keeping it all in the trash; call it inside the delete service's transaction."""
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=record)
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for root in roots:
        by_model[type(root)].append(root)
    for objs in by_model.values():
        collector.collect(objs)
    collector.sort()
    found: list[models.Model] = []
    for collected in reversed(collector.data.values()):  # parents before what hangs on them
        found.extend(sorted(collected, key=lambda obj: obj.pk))
    for query in collector.fast_deletes:  # leaves: through rows, rows nothing hangs on
        found.extend(query)
    instances: dict[tuple[type[models.Model], Any], models.Model] = {}
    for obj in found:  # a row reached from two roots (a follow-up and its person) once
        instances.setdefault((type(obj), obj.pk), obj)
    links: list[list[Any]] = []
    for (field, _value), batches in collector.field_updates.items():
        for emptied in batches:  # a queryset (or a list) of the rows it empties
            rows: Iterable[models.Model] = emptied  # type: ignore[assignment]
            pairs = [[obj.pk, getattr(obj, field.attname)] for obj in rows]
            if pairs:
                links.append([field.model._meta.label_lower, field.attname, pairs])
    item = TrashedItem.objects.create(
        network=network,
        kind=kind,
        record_id=record.pk,
        name=name[:300],
        person_ids=sorted(set(person_ids)),
        rows=_serialised(list(instances.values())),
        links=links,
        deleted_by=actor,
        deleted_at=clock.now(),
    )
    collector.delete()
    return item


def _serialised(instances: list[models.Model]) -> list[dict[str, Any]]:
    """Each row in Django's serialisation, its concrete fields only (a many-to-many's rows
    are rows of their own in the snapshot)."""
    rows: list[dict[str, Any]] = []
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for instance in instances:  # in order: models appear parents first
        by_model[type(instance)].append(instance)
    for model, same in by_model.items():
        names = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        rows.extend(json.loads(serializers.serialize("json", same, fields=names)))
    return rows


@dataclass(frozen=True)
class Restored:
    item_kind: str
    record_id: int
    name: str
    rows: int
    left_out: int  # rows tied to a record deleted for good since

    def sentence(self) -> str:
        what = {"person": "", "interaction": "the interaction ", "follow_up": "the follow-up "}
        text = f"Restored {what.get(self.item_kind, '')}{self.name}"
        if self.left_out:
            text += (
                f" ({self.left_out} link{'s' if self.left_out != 1 else ''} to records "
                "deleted for good since left out)"
            )
        return text + "."


@transaction.atomic
def restore(network: Network, actor: User, item: TrashedItem) -> Restored:
    """Bring ``item`` (loaded through ``access.trashed_item_for``) back with its ids and
    every link, or refuse if one of its ids was taken since."""
    access.require_write(actor, network)
    if item.network_id != network.pk:
        raise InvalidInput("trash", f"#{item.pk} is not in this network's trash")
    locked = TrashedItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise InvalidInput("trash", f"#{item.pk} was restored or purged already")
    objects = [found.object for found in serializers.deserialize("python", locked.rows)]
    _refuse_taken(locked, objects)
    kept = _tied_to_what_exists(objects)
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in kept:
        by_model[type(obj)].append(obj)
    try:
        with transaction.atomic():
            for model, objs in by_model.items():
                model._base_manager.bulk_create(objs, batch_size=500)
            _link_again(locked.links)
    except IntegrityError as exc:
        raise InvalidInput(
            "trash",
            f"cannot restore {locked.name}: something added since conflicts with it ({exc})",
        ) from None
    restored = Restored(
        locked.kind, locked.record_id, locked.name, len(kept), len(objects) - len(kept)
    )
    people = set(locked.person_ids) & set(_existing_people(network, locked.person_ids))
    locked.delete()
    changes.record(
        network,
        "trash.restored",
        actor=actor,
        record_id=restored.record_id,
        person_ids=people,
        data={"kind": restored.item_kind, "trash_id": item.pk, "left_out": restored.left_out},
    )
    return restored


def _refuse_taken(item: TrashedItem, objects: list[models.Model]) -> None:
    by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj.pk)
    for model, pks in by_model.items():
        taken = model._base_manager.filter(pk__in=pks).values_list("pk", flat=True).first()
        if taken is not None:
            raise InvalidInput(
                "trash",
                f"cannot restore {item.name}: a {model._meta.verbose_name} with its id "
                f"(#{taken}) exists again; nothing was restored",
            )


def _tied_to_what_exists(objects: list[models.Model]) -> list[models.Model]:
    """The rows whose every link still leads somewhere (a row of the snapshot, or one that
    exists); a nullable link that leads nowhere is emptied."""
    present: set[tuple[type[models.Model], Any]] = {(type(obj), obj.pk) for obj in objects}
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for obj in objects:
        for field in type(obj)._meta.concrete_fields:
            if field.many_to_one or field.one_to_one:
                value = getattr(obj, field.attname)
                target = field.related_model
                assert isinstance(target, type)
                if value is not None and (target, value) not in present:
                    wanted[target].add(value)
    existing = {
        (target, pk)
        for target, pks in wanted.items()
        for pk in target._base_manager.filter(pk__in=pks).values_list("pk", flat=True)
    }
    present |= existing
    gone = True
    while gone:  # a row left out may leave rows that hang on it without their link
        gone = False
        for obj in objects:
            if (type(obj), obj.pk) in present and not _ties_hold(obj, present):
                present.discard((type(obj), obj.pk))
                gone = True
    return [obj for obj in objects if (type(obj), obj.pk) in present]


def _ties_hold(obj: models.Model, present: set[tuple[type[models.Model], Any]]) -> bool:
    for field in type(obj)._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one):
            continue
        value = getattr(obj, field.attname)
        if value is None or (field.related_model, value) in present:
            continue
        if not field.null:
            return False
        setattr(obj, field.attname, None)
    return True


def _link_again(links: list[list[Any]]) -> None:
    """Put back the links the delete emptied, where nobody set them since."""
    for label, attname, pairs in links:
        model = apps.get_model(label)
        by_value: dict[Any, list[Any]] = defaultdict(list)
        for pk, value in pairs:
            by_value[value].append(pk)
        for value, pks in by_value.items():
            model._base_manager.filter(pk__in=pks, **{attname: None}).update(**{attname: value})


def _existing_people(network: Network, person_ids: Sequence[int]) -> list[int]:
    from kithkin.models import Person

    return list(
        Person.objects.filter(network=network, pk__in=person_ids).values_list("pk", flat=True)
    )


def purge(now: dt.datetime | None = None) -> int:
    """Remove for good what has been in the trash longer than ``KEEP_DAYS``; how many."""
    cutoff = (now or clock.now()) - dt.timedelta(days=KEEP_DAYS)
    old = TrashedItem.objects.filter(deleted_at__lt=cutoff)
    counts: dict[int, int] = defaultdict(int)
    for network_id in old.values_list("network_id", flat=True):
        counts[network_id] += 1
    if not counts:
        return 0
    with transaction.atomic():
        old.delete()
        for network in Network.objects.filter(pk__in=list(counts)):
            changes.record(network, "trash.purged", data={"count": counts[network.pk]})
    return sum(counts.values())
