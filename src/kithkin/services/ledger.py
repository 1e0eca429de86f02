"""The value ledger: what I gave people, what they gave me, and thanking them for it.

Every exchange recorded here is between *me* and someone else: ``give`` (I gave),
``got`` (they gave me), ``introduce`` (I introduced two people: one exchange per person
introduced, and one message interaction with both). ``thank`` logs the thank-you and
marks everything that person gave me and I had not thanked yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Interaction, Network, Person, User, ValueExchange
from kithkin.queries.people import me_in
from kithkin.services import changes, undo
from kithkin.services.interactions import log_interaction, occurred_at_on

DESCRIPTION_LENGTH = 1000
NOTE_LENGTH = 1000
MAX_THANKS_WINDOW = 365
DEFAULT_WEIGHT = 2


def _kind(kind: str) -> str:
    value = kind.strip().lower()
    if value not in ValueExchange.Kind.values:
        raise InvalidInput(
            "kind", f"{kind!r} is not one of: {', '.join(ValueExchange.Kind.values)}"
        )
    return value


def _weight(weight: int) -> int:
    if not 1 <= weight <= 5:
        raise InvalidInput("weight", f"{weight} is not from 1 (small) to 5 (life-changing)")
    return weight


def _description(text: str, field: str = "description") -> str:
    value = " ".join(text.split())
    if len(value) > DESCRIPTION_LENGTH:
        raise InvalidInput(field, f"is longer than {DESCRIPTION_LENGTH} characters")
    return value


def _day(on: dt.date | None, today: dt.date) -> dt.date:
    if on is None:
        return today
    if on > today:
        raise InvalidInput("on", f"{on.isoformat()} is in the future; record what has happened")
    return on


def _other(network: Network, person: Person, field: str = "person") -> Person:
    """Someone who is not me, in this network."""
    access.require_in_network(network, person)
    if person.is_self:
        raise InvalidInput(field, "that is you: value goes between you and someone else")
    return person


@transaction.atomic
def _create_exchange(
    network: Network,
    actor: User,
    *,
    giver: Person,
    receiver: Person,
    kind: str,
    description: str = "",
    on: dt.date | None = None,
    weight: int = DEFAULT_WEIGHT,
    today: dt.date,
    introduced_to: Person | None = None,
    interaction: Interaction | None = None,
) -> ValueExchange:
    """The exchange, validated; the caller has checked the actor may write."""
    for person in (giver, receiver, *([introduced_to] if introduced_to else [])):
        access.require_in_network(network, person)
    if giver.pk == receiver.pk:
        raise InvalidInput("person", "giver and receiver are the same person")
    exchange = ValueExchange.objects.create(
        network=network,
        giver=giver,
        receiver=receiver,
        introduced_to=introduced_to,
        kind=_kind(kind),
        description=_description(description),
        occurred_on=_day(on, today),
        weight=_weight(weight),
        interaction=interaction,
        created_by=actor,
    )
    changes.record(
        network,
        "value.recorded",
        actor=actor,
        record_id=exchange.pk,
        person_ids=[giver.pk, receiver.pk, *([introduced_to.pk] if introduced_to else [])],
        data={
            "kind": exchange.kind,
            "giver_id": giver.pk,
            "receiver_id": receiver.pk,
            **({"introduced_to_id": introduced_to.pk} if introduced_to else {}),
            **({"interaction_id": interaction.pk} if interaction else {}),
        },
    )
    return exchange


def give(
    network: Network,
    actor: User,
    person: Person,
    kind: str,
    description: str = "",
    *,
    on: dt.date | None = None,
    weight: int = DEFAULT_WEIGHT,
    today: dt.date,
) -> ValueExchange:
    """I gave ``person`` something of value."""
    return _with_me(network, actor, person, True, kind, description, on, weight, today)


def got(
    network: Network,
    actor: User,
    person: Person,
    kind: str,
    description: str = "",
    *,
    on: dt.date | None = None,
    weight: int = DEFAULT_WEIGHT,
    today: dt.date,
) -> ValueExchange:
    """``person`` gave me something of value (to thank them for)."""
    return _with_me(network, actor, person, False, kind, description, on, weight, today)


def _with_me(
    network: Network,
    actor: User,
    person: Person,
    i_gave: bool,
    kind: str,
    description: str,
    on: dt.date | None,
    weight: int,
    today: dt.date,
) -> ValueExchange:
    access.require_write(actor, network)
    me, them = me_in(network), _other(network, person)
    return _create_exchange(
        network,
        actor,
        giver=me if i_gave else them,
        receiver=them if i_gave else me,
        kind=kind,
        description=description,
        on=on,
        weight=weight,
        today=today,
    )


@dataclass(frozen=True)
class Introduction:
    interaction: Interaction
    exchanges: list[ValueExchange]


@transaction.atomic
def introduce(
    network: Network,
    actor: User,
    first: Person,
    second: Person,
    *,
    note: str = "",
    on: dt.date | None = None,
    weight: int = DEFAULT_WEIGHT,
    today: dt.date,
) -> Introduction:
    """I introduced ``first`` and ``second``: an introduction given to each (to the other),
    and one outbound message with both, "Introduced Ada Lovelace and Grace Hopper: ..."."""
    access.require_write(actor, network)
    _other(network, first, "person")
    _other(network, second, "other")
    if first.pk == second.pk:
        raise InvalidInput("other", "introduce two different people")
    note = _description(note, "note")
    day = _day(on, today)
    _weight(weight)
    summary = f"Introduced {first.full_name} and {second.full_name}" + (f": {note}" if note else "")
    with undo.unrecorded():
        interaction = log_interaction(
            network,
            actor,
            kind=Interaction.Kind.MESSAGE,
            people=[first, second],
            occurred_at=occurred_at_on(day, today=today, time_zone=network.time_zone),
            summary=summary,
            direction=Interaction.Direction.OUTBOUND,
        )
    me = me_in(network)
    exchanges = [
        _create_exchange(
            network,
            actor,
            giver=me,
            receiver=person,
            introduced_to=other,
            kind=ValueExchange.Kind.INTRODUCTION,
            description=note or f"Introduced to {other.full_name}",
            on=day,
            weight=weight,
            today=today,
            interaction=interaction,
        )
        for person, other in ((first, second), (second, first))
    ]
    return Introduction(interaction, exchanges)


def _thanked_for(exchanges: list[ValueExchange]) -> str:
    parts = [
        f"{exchange.kind} ({exchange.description})" if exchange.description else exchange.kind
        for exchange in exchanges
    ]
    return "Thanked for: " + "; ".join(parts)


@dataclass(frozen=True)
class Thanks:
    interaction: Interaction
    exchanges: list[ValueExchange]


@transaction.atomic
def thank(
    network: Network, actor: User, person: Person, *, note: str = "", today: dt.date
) -> Thanks:
    """Log the thank-you to ``person`` (an outbound message, "Thanked for: ...") and mark
    everything they gave me that was not thanked yet as thanked in it."""
    access.require_write(actor, network)
    _other(network, person)
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidInput("note", f"is longer than {NOTE_LENGTH} characters")
    me = me_in(network)
    unthanked = list(
        ValueExchange.objects.select_for_update()
        .filter(network=network, giver=person, receiver=me, thanked_at__isnull=True)
        .order_by("occurred_on", "pk")
    )
    if not unthanked:
        raise InvalidInput("person", f"nothing from {person.full_name} is waiting to be thanked")
    summary = _thanked_for(unthanked) + (f"\n\n{note}" if note else "")
    with undo.action(network, actor, "thank", f"Thanked {person.full_name}"):
        return _thank(network, actor, person, unthanked, summary, today)


def _thank(
    network: Network,
    actor: User,
    person: Person,
    unthanked: list[ValueExchange],
    summary: str,
    today: dt.date,
) -> Thanks:
    interaction = log_interaction(
        network,
        actor,
        kind=Interaction.Kind.MESSAGE,
        people=[person],
        occurred_at=occurred_at_on(None, today=today, time_zone=network.time_zone),
        summary=summary,
        direction=Interaction.Direction.OUTBOUND,
    )
    now = clock.now()
    ValueExchange.objects.filter(pk__in=[e.pk for e in unthanked]).update(
        thanked_at=now, thanked_in=interaction
    )
    undo.step("unthank", ids=[e.pk for e in unthanked])
    changes.record(
        network,
        "value.thanked",
        actor=actor,
        record_id=interaction.pk,
        person_ids=[person.pk],
        data={"exchange_ids": [e.pk for e in unthanked]},
    )
    for exchange in unthanked:
        exchange.thanked_at, exchange.thanked_in = now, interaction
    return Thanks(interaction, unthanked)


@transaction.atomic
def delete_exchange(network: Network, actor: User, exchange: ValueExchange) -> None:
    """Remove an exchange recorded by mistake (the interactions logged with it stay)."""
    access.require_write(actor, network)
    access.require_in_network(network, exchange)
    deleted, people = exchange.pk, [exchange.giver_id, exchange.receiver_id]
    exchange.delete()
    changes.record(network, "value.deleted", actor=actor, record_id=deleted, person_ids=people)


@transaction.atomic
def set_thanks_window(network: Network, actor: User, days: int) -> Network:
    """Help received shows under "Say thanks" once it is ``days`` old and not thanked."""
    access.require_write(actor, network)
    if not 0 <= days <= MAX_THANKS_WINDOW:
        raise InvalidInput("days", f"{days} is not from 0 to {MAX_THANKS_WINDOW}")
    network.thanks_within_days = days
    network.save(update_fields=["thanks_within_days"])
    changes.network_updated(network, actor, ["thanks_within_days"])
    return network
