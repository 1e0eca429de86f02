"""Follow-ups: things I owe people, due on a date, optionally recurring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin import access, clock
from kithkin.dates import Every, every_from_rrule
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import FollowUp, Interaction, Network, Person, User


def _require_in_network(network: Network, follow_up: FollowUp) -> None:
    if follow_up.network_id != network.pk:
        raise NotFound(f"No follow-up #{follow_up.pk} in {network.name}.")


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
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("title", "must not be empty")
    if len(title) > 300:
        raise InvalidInput("title", "is longer than 300 characters")
    if not people:
        raise InvalidInput("people", "a follow-up is owed to at least one person")
    if any(person.network_id != network.pk for person in people):
        raise InvalidInput("people", "everyone in a follow-up must be in this network")
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
    return follow_up


@transaction.atomic
def complete_follow_up(
    network: Network, actor: User, follow_up: FollowUp, *, today: dt.date
) -> FollowUp | None:
    """Mark done. A recurring follow-up gets its next occurrence, which is returned."""
    access.require_write(actor, network)
    _require_in_network(network, follow_up)
    if follow_up.done_at is not None:
        raise InvalidInput("follow-up", f"#{follow_up.pk} is already done")
    follow_up.done_at = clock.now()
    follow_up.save(update_fields=["done_at"])
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
    follow_up.due_on = until
    follow_up.save(update_fields=["due_on"])
    return follow_up
