"""Follow-ups: things I owe people, due on a date, optionally recurring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin import access, clock
from kithkin.dates import Every, every_from_rrule
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import FollowUp, Interaction, Network, Person, TrashedItem, User
from kithkin.services import changes, trash, undo


def _require_in_network(network: Network, follow_up: FollowUp) -> None:
    if follow_up.network_id != network.pk:
        raise NotFound(f"No follow-up #{follow_up.pk} in {network.name}.")


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("title", "must not be empty")
    if len(title) > 300:
        raise InvalidInput("title", "is longer than 300 characters")
    return title


def _people(network: Network, people: Sequence[Person]) -> None:
    if not people:
        raise InvalidInput("people", "a follow-up is owed to at least one person")
    if any(person.network_id != network.pk for person in people):
        raise InvalidInput("people", "everyone in a follow-up must be in this network")


@transaction.atomic
def add_follow_up(
    network: Network,
    actor: User,
    *,
    people: Sequence[Person],
    title: str,
    due_on: dt.date,
    every: Every | None = None,
    interaction: Interaction | None = None,
    draft: str = "",
) -> FollowUp:
    access.require_write(actor, network)
    title = _title(title)
    _people(network, people)
    follow_up = FollowUp.objects.create(
        network=network,
        title=title,
        due_on=due_on,
        recurrence=every.rrule if every else "",
        interaction=interaction,
        draft=draft,
        created_by=actor,
    )
    follow_up.people.set(people)
    _record(network, actor, "follow_up.created", follow_up)
    return follow_up


def _record(network: Network, actor: User, kind: str, follow_up: FollowUp, **data: object) -> None:
    changes.record(
        network,
        kind,
        actor=actor,
        record_id=follow_up.pk,
        person_ids=follow_up.people.values_list("pk", flat=True),
        data=data,
    )


@transaction.atomic
def complete_follow_up(
    network: Network, actor: User, follow_up: FollowUp, *, today: dt.date
) -> FollowUp | None:
    """Mark done. A recurring follow-up gets its next occurrence, which is returned."""
    access.require_write(actor, network)
    _require_in_network(network, follow_up)
    if follow_up.done_at is not None:
        raise InvalidInput("follow-up", f"#{follow_up.pk} is already done")
    with undo.action(network, actor, "done", f"Done: {follow_up.title}"):
        follow_up.done_at = clock.now()
        follow_up.save(update_fields=["done_at"])
        undo.step("reopen_follow_up", id=follow_up.pk)
        following = _schedule_next(network, actor, follow_up, today)
        if following is not None:
            undo.step("delete_follow_up", id=following.pk)
        _record(
            network,
            actor,
            "follow_up.done",
            follow_up,
            **({"next_id": following.pk} if following is not None else {}),
        )
    return following


def _schedule_next(
    network: Network, actor: User, follow_up: FollowUp, today: dt.date
) -> FollowUp | None:
    if not follow_up.recurrence:
        return None
    every = every_from_rrule(follow_up.recurrence)
    times = 1
    while (next_due := every.after(follow_up.due_on, times)) <= today:
        times += 1  # a late completion schedules the next one in the future
    following = FollowUp.objects.create(
        network=network,
        title=follow_up.title,
        due_on=next_due,
        recurrence=follow_up.recurrence,
        draft=follow_up.draft,
        created_by=actor,
    )
    following.people.set(follow_up.people.all())
    _record(network, actor, "follow_up.created", following, follows=follow_up.pk)
    return following


@transaction.atomic
def snooze_follow_up(
    network: Network, actor: User, follow_up: FollowUp, until: dt.date, *, today: dt.date
) -> FollowUp:
    access.require_write(actor, network)
    _require_in_network(network, follow_up)
    if follow_up.done_at is not None:
        raise InvalidInput("follow-up", f"#{follow_up.pk} is already done")
    if until <= today:
        raise InvalidInput("until", f"{until.isoformat()} is not after today ({today.isoformat()})")
    with undo.action(network, actor, "snooze", f"Snoozed “{follow_up.title}” until {until:%-d %b}"):
        undo.step("set_follow_up_due", id=follow_up.pk, due_on=follow_up.due_on.isoformat())
        follow_up.due_on = until
        follow_up.save(update_fields=["due_on"])
        _record(network, actor, "follow_up.snoozed", follow_up, due_on=until.isoformat())
    return follow_up


class _Keep:
    """The recurrence argument's default: leave it as it is."""


KEEP = _Keep()


@transaction.atomic
def edit_follow_up(
    network: Network,
    actor: User,
    follow_up: FollowUp,
    *,
    title: str | None = None,
    due_on: dt.date | None = None,
    every: Every | _Keep | None = KEEP,
    people: Sequence[Person] | None = None,
) -> FollowUp:
    """Change what a follow-up says, when it is due, how it repeats (``None``: no more) or
    whom it is owed to; what is not given stays."""
    access.require_write(actor, network)
    _require_in_network(network, follow_up)
    names = ("title", "due_on", "recurrence")
    before: dict[str, object] = {name: getattr(follow_up, name) for name in names}
    before["people"] = {p.full_name for p in follow_up.people.all()}
    changed = []
    if title is not None:
        follow_up.title = _title(title)
        changed.append("title")
    if due_on is not None:
        follow_up.due_on = due_on
        changed.append("due_on")
    if not isinstance(every, _Keep):
        follow_up.recurrence = every.rrule if every else ""
        changed.append("recurrence")
    if changed:
        follow_up.save(update_fields=changed)
    if people is not None:
        _people(network, people)
        follow_up.people.set(people)
        changed.append("people")
    if changed:
        after: dict[str, object] = {name: getattr(follow_up, name) for name in names}
        after["people"] = {p.full_name for p in follow_up.people.all()}
        changes.record(
            network,
            "follow_up.updated",
            actor=actor,
            record_id=follow_up.pk,
            person_ids=follow_up.people.values_list("pk", flat=True),
            data={"fields": changed},
            values=changes.edited(before, after),
        )
    return follow_up


@transaction.atomic
def delete_follow_up(network: Network, actor: User, follow_up: FollowUp) -> TrashedItem:
    """Move a follow-up to the trash (``services.trash``: restorable for 30 days)."""
    access.require_write(actor, network)
    _require_in_network(network, follow_up)
    people = list(follow_up.people.values_list("pk", flat=True))
    deleted = follow_up.pk
    item = trash.trash(
        network,
        actor,
        kind="follow_up",
        record=follow_up,
        name=follow_up.title,
        roots=[follow_up],
        person_ids=people,
    )
    changes.record(
        network,
        "follow_up.deleted",
        actor=actor,
        record_id=deleted,
        person_ids=people,
        data={"trash_id": item.pk},
    )
    return item
