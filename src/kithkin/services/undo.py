"""Undo: the last actions a user took in place, and their real reversal.

The services that act in place (``complete_follow_up``, ``snooze_follow_up``,
``snooze_person``, ``log_interaction``, ``thank``, ``celebrate_*``) open an
:func:`action` and note each change they make as a *step* that says how to revert it
(``reopen_follow_up``, ``delete_interaction``...). Nested services add their steps to the
outermost action (thanking someone logs an interaction: one "thank" action, two steps),
which is stored as one :class:`~kithkin.models.UndoableAction` in the same transaction.

:func:`undo` applies the steps last to first. Only the user who acted can undo, in the
network they acted in (``access.undoable_action_for``); viewers never act, so never undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import (
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    UndoableAction,
    User,
    ValueExchange,
)
from kithkin.services import changes

KEEP_DAYS = 7  # older actions are forgotten when the user acts again
OFFER_SECONDS = 60  # how recent an action must be for an Undo to be offered beside it


@dataclass
class _Pending:
    kind: str
    summary: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    discard: bool = False


_current: ContextVar[_Pending | None] = ContextVar("kithkin_undo_action", default=None)
# The action the current request or command recorded last (see :func:`recorded`).
_recorded: ContextVar[int | None] = ContextVar("kithkin_undo_recorded", default=None)


@contextmanager
def action(network: Network, actor: User, kind: str, summary: str = "") -> Iterator[None]:
    """Record what the block does as one undoable action of ``actor`` in ``network``; call
    it inside the service's transaction. Nested inside another action, it adds its steps to
    that one instead."""
    if _current.get() is not None:
        yield
        return
    pending = _Pending(kind, summary)
    token = _current.set(pending)
    try:
        yield
    finally:
        _current.reset(token)
    if not pending.steps:
        return
    UndoableAction.objects.filter(
        user=actor, network=network, created_at__lt=clock.now() - dt.timedelta(days=KEEP_DAYS)
    ).delete()
    stored = UndoableAction.objects.create(
        network=network,
        user=actor,
        kind=pending.kind,
        summary=pending.summary[:300],
        steps=pending.steps,
    )
    _recorded.set(stored.pk)


def forget_recorded() -> None:
    """Start of a request: nothing recorded yet (a worker thread serves many requests)."""
    _recorded.set(None)


def recorded() -> int | None:
    """The id of the action recorded last since :func:`forget_recorded`, if any: what an
    interface offers to undo right after the action."""
    return _recorded.get()


@contextmanager
def unrecorded() -> Iterator[None]:
    """For a service whose whole effect one undo could not revert yet (an introduction
    records an exchange too, a share an opportunity share): what it logs is not undoable."""
    if _current.get() is not None:
        yield
        return
    token = _current.set(_Pending("", "", discard=True))
    try:
        yield
    finally:
        _current.reset(token)


def step(op: str, **data: Any) -> None:
    """Note how to revert one change of the current action (no action open: nothing)."""
    pending = _current.get()
    if pending is not None and not pending.discard:
        pending.steps.append({"op": op, **data})


def describe(summary: str) -> None:
    """Say what the current outermost action did, once it is known."""
    pending = _current.get()
    if pending is not None:
        pending.summary = summary


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _revert(network: Network, actor: User, data: dict[str, Any]) -> None:
    """Apply one step, and record the change it makes."""
    op = data["op"]
    follow_ups = FollowUp.objects.filter(network=network)

    def record(kind: str, record_id: int | None, people: Iterable[int] = (), **extra: Any) -> None:
        changes.record(
            network, kind, actor=actor, record_id=record_id, person_ids=people, data=extra
        )

    def owed(follow_up_id: int) -> list[int]:
        through = FollowUp.people.through.objects
        return list(through.filter(followup_id=follow_up_id).values_list("person_id", flat=True))

    if op == "reopen_follow_up":
        if follow_ups.filter(pk=data["id"]).update(done_at=None):
            record("follow_up.reopened", data["id"], owed(data["id"]))
    elif op == "delete_follow_up":
        owed_to = owed(data["id"])
        if follow_ups.filter(pk=data["id"]).delete()[0]:
            record("follow_up.deleted", data["id"], owed_to)
    elif op == "set_follow_up_due":
        if follow_ups.filter(pk=data["id"]).update(due_on=_day(data["due_on"])):
            record("follow_up.updated", data["id"], owed(data["id"]), fields=["due_on"])
    elif op == "set_snooze":
        if Person.objects.filter(network=network, pk=data["person"]).update(
            snoozed_until=_day(data["until"])
        ):
            record("person.updated", data["person"], [data["person"]], fields=["snoozed_until"])
    elif op == "unanswer_questions":
        answered = Interaction.objects.filter(network=network, pk__in=data["ids"])
        taking_part = InteractionParticipant.objects.filter(interaction__in=answered)
        people_ids = set(taking_part.values_list("person_id", flat=True))
        if answered.update(questions_answered_at=None):  # many at once: one change
            record(
                "interaction.updated",
                None,
                people_ids,
                ids=data["ids"],
                fields=["questions_answered_at"],
            )
    elif op == "unthank":
        exchanges = ValueExchange.objects.filter(network=network, pk__in=data["ids"])
        people = {pk for pair in exchanges.values_list("giver_id", "receiver_id") for pk in pair}
        if exchanges.update(thanked_at=None, thanked_in=None):
            record("value.unthanked", None, people, exchange_ids=data["ids"])
    elif op == "delete_interaction":
        interactions = Interaction.objects.filter(network=network, pk=data["id"])
        were = {pk for pk in interactions.values_list("participants", flat=True) if pk}
        if interactions.delete()[0]:
            record("interaction.deleted", data["id"], were)
    else:  # pragma: no cover - a step this version does not know
        raise InvalidInput("action", f"cannot undo a {op!r} step")


@transaction.atomic
def undo(network: Network, actor: User, found: UndoableAction) -> UndoableAction:
    """Revert ``found`` (loaded through ``access.undoable_action_for`` or
    ``access.last_undoable_action``): its steps last to first, in one transaction; the
    derived state they feed is brought up to date once, for all of them."""
    access.require_write(actor, network)
    if found.network_id != network.pk or found.user_id != actor.pk:
        raise InvalidInput("action", "only the person who acted can undo it")
    locked = UndoableAction.objects.select_for_update().get(pk=found.pk)
    if locked.undone_at is not None:
        raise InvalidInput("action", f"“{locked.summary}” is already undone")
    with changes.collected():
        for data in reversed(locked.steps):
            _revert(network, actor, data)
    locked.undone_at = clock.now()
    locked.save(update_fields=["undone_at"])
    return locked


def still_offered(action: UndoableAction) -> bool:
    """Whether Undo is still offered beside the message about ``action``: not undone yet,
    and taken in the last OFFER_SECONDS (``kith undo`` has no such limit)."""
    return action.undone_at is None and action.created_at >= clock.now() - dt.timedelta(
        seconds=OFFER_SECONDS
    )
