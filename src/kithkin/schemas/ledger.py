"""The value ledger: exchanges, one person's balance, the network's."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal, Self

from pydantic import Field

from kithkin.schemas.base import Input, Instant, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import ValueExchange
    from kithkin.queries.ledger import GiveBack, Helper, NetworkLedger, PersonLedger


class ExchangeOut(Shape):
    """``direction`` is given, received or between (neither is me); ``introduced_to``
    null unless an introduction; ``source`` manual, linkedin..."""

    id: int
    kind: str
    description: str
    occurred_on: dt.date
    weight: int
    direction: str
    giver: PersonRef
    receiver: PersonRef
    introduced_to: PersonRef | None
    thanked_at: Instant | None
    source: str

    @classmethod
    def of(cls, exchange: ValueExchange) -> Self:
        return cls(
            id=exchange.pk,
            kind=exchange.kind,
            description=exchange.description,
            occurred_on=exchange.occurred_on,
            weight=exchange.weight,
            direction=exchange.direction,
            giver=PersonRef.of(exchange.giver),
            receiver=PersonRef.of(exchange.receiver),
            introduced_to=PersonRef.maybe(exchange.introduced_to),
            thanked_at=exchange.thanked_at,
            source=exchange.source,
        )


class PersonLedgerOut(Shape):
    """`kith ledger PERSON`: weights summed; ``balance`` from my point of view."""

    person: PersonRef
    given: int
    received: int
    given_count: int
    received_count: int
    balance: int
    balance_words: str
    balance_sentence: str
    last_given: dt.date | None
    last_received: dt.date | None
    unthanked: int
    exchanges: list[ExchangeOut]
    total: int

    @classmethod
    def of(cls, ledger: PersonLedger) -> Self:
        b = ledger.balance
        return cls(
            person=PersonRef.of(ledger.person),
            given=b.given,
            received=b.received,
            given_count=b.given_count,
            received_count=b.received_count,
            balance=b.balance,
            balance_words=b.words,
            balance_sentence=b.sentence,
            last_given=b.last_given,
            last_received=b.last_received,
            unthanked=b.unthanked,
            exchanges=[ExchangeOut.of(e) for e in ledger.exchanges],
            total=ledger.total,
        )


class HelperOut(Shape):
    person: PersonRef
    received: int
    count: int
    last_received: dt.date

    @classmethod
    def of(cls, helper: Helper) -> Self:
        return cls(
            person=PersonRef.of(helper.person),
            received=helper.received,
            count=helper.count,
            last_received=helper.last_received,
        )


class GiveBackOut(Shape):
    person: PersonRef
    received: int
    last_received: dt.date
    last_given: dt.date | None

    @classmethod
    def of(cls, row: GiveBack) -> Self:
        return cls(
            person=PersonRef.of(row.person),
            received=row.received,
            last_received=row.last_received,
            last_given=row.last_given,
        )


class NetworkLedgerOut(Shape):
    """`kith ledger`: my totals, who helped most, whom to give back to, the newest."""

    network: str
    given: int
    received: int
    given_count: int
    received_count: int
    balance: int
    thanks_within_days: int
    thanks_due: int
    helped_most: list[HelperOut]
    helped_most_total: int
    give_back: list[GiveBackOut]
    give_back_total: int
    recent: list[ExchangeOut]

    @classmethod
    def of(cls, ledger: NetworkLedger, network_name: str) -> Self:
        return cls(
            network=network_name,
            given=ledger.given,
            received=ledger.received,
            given_count=ledger.given_count,
            received_count=ledger.received_count,
            balance=ledger.balance,
            thanks_within_days=ledger.thanks_within_days,
            thanks_due=ledger.thanks_due,
            helped_most=[HelperOut.of(h) for h in ledger.helpers],
            helped_most_total=ledger.helpers_total,
            give_back=[GiveBackOut.of(g) for g in ledger.give_back],
            give_back_total=ledger.give_back_total,
            recent=[ExchangeOut.of(e) for e in ledger.recent],
        )


class ValueExchangeIn(Input):
    """What recording value given (`kith give`) or received (`kith got`) takes: ``person``
    is the other one's id; ``on`` defaults to today."""

    person: int
    kind: str
    description: str = ""
    on: dt.date | None = None
    weight: int = Field(default=2, ge=1, le=5)


class ValueExchangeNew(ValueExchangeIn):
    """What recording an exchange through the API takes: ``direction`` given (I gave
    ``person``) or received (they gave me), then what `kith give` / `kith got` take."""

    direction: Literal["given", "received"]


class ThanksIn(Input):
    """Thanking someone (`kith thank`): everything they gave me not yet thanked is marked
    thanked in one logged message; ``note`` is added to it."""

    person: int
    note: str = ""
