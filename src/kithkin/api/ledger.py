"""The value ledger (``queries.ledger``, ``services.ledger``): the network's summary, one
person's balance, every exchange given or received, recorded, thanked and deleted as the
web's Ledger page and `kith give|got|thank|ledger` do."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access, clock
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.responses import reading, writing
from kithkin.models import Network, ValueExchange
from kithkin.queries.ledger import me_id, network_ledger, person_ledger
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.ledger import (
    ExchangeOut,
    NetworkLedgerOut,
    PersonLedgerOut,
    ThanksIn,
    ValueExchangeNew,
)
from kithkin.services import ledger

router = Router(tags=["ledger"])

NEWEST = Ordering("newest", (Key("occurred_on", descending=True),), descending_id=True)


class ExchangeFilter(Clean):
    person: int | None = Field(default=None, description="Only exchanges with this person.")
    direction: Literal["given", "received", "between"] | None = Field(
        default=None, description="given (by me), received (by me) or between (neither is me)."
    )
    kind: str | None = Field(default=None, description=", ".join(ValueExchange.Kind.values) + ".")

    def apply(self, network: Network, rows: QuerySet[ValueExchange]) -> QuerySet[ValueExchange]:
        if self.person is not None:
            rows = rows.filter(Q(giver_id=self.person) | Q(receiver_id=self.person))
        if self.kind:
            rows = rows.filter(kind=self.kind)
        if self.direction:
            me = me_id(network)
            rows = rows.filter(
                {
                    "given": Q(giver_id=me),
                    "received": Q(receiver_id=me),
                    "between": ~Q(giver_id=me) & ~Q(receiver_id=me),
                }.get(self.direction, Q(pk__in=[]))
            )
        return rows


@router.get("/ledger", response=reading(NetworkLedgerOut), summary="The network's ledger")
def get_ledger(request: HttpRequest, network_id: Path[int]) -> NetworkLedgerOut:
    """My totals given and received, who helped most, whom to give back to, the newest
    exchanges and how many people wait for thanks (`kith ledger`)."""
    found = grant(request)
    today = clock.today_in(found.actor.user.time_zone)
    return NetworkLedgerOut.of(network_ledger(found.network, today), found.network.name)


@router.get(
    "/ledger/people/{int:person_id}",
    response=reading(PersonLedgerOut),
    summary="One person's ledger",
)
def get_person_ledger(
    request: HttpRequest, network_id: Path[int], person_id: int
) -> PersonLedgerOut:
    """What I gave them and they gave me, the balance in words, the newest exchanges
    (`kith ledger PERSON`)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    return PersonLedgerOut.of(person_ledger(found.network, person))


@router.get(
    "/value-exchanges", response=queried(Page[ExchangeOut]), summary="Value given and received"
)
def list_exchanges(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[ExchangeFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[ExchangeOut]:
    """Newest first."""
    network = grant(request).network
    rows = filters.apply(
        network,
        ValueExchange.objects.filter(network=network).select_related(
            "giver", "receiver", "introduced_to"
        ),
    )
    found, following = page_of(rows, NEWEST, cursor, limit)
    return page(request, response, [ExchangeOut.of(e) for e in found], following)


@router.post(
    "/value-exchanges", response=writing(ExchangeOut, 201), summary="Record value exchanged"
)
def add_exchange(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: ValueExchangeNew
) -> Status[ExchangeOut]:
    """Value I gave someone (``direction`` given, `kith give`) or received from them
    (received, `kith got`: it waits on the agenda to be thanked)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, new.person)
    record = ledger.give if new.direction == "given" else ledger.got
    exchange = record(
        found.network,
        found.actor.user,
        person,
        new.kind,
        new.description,
        on=new.on,
        weight=new.weight,
        today=clock.today_in(found.actor.user.time_zone),
    )
    return Status(201, tagged(response, ExchangeOut.of(exchange)))


@router.get(
    "/value-exchanges/{int:exchange_id}", response=reading(ExchangeOut), summary="One exchange"
)
def get_exchange(
    request: HttpRequest, network_id: Path[int], exchange_id: int, response: HttpResponse
) -> ExchangeOut:
    found = grant(request)
    exchange = access.value_exchange_for(found.actor.user, found.network, exchange_id)
    return tagged(response, ExchangeOut.of(exchange))


@router.delete(
    "/value-exchanges/{int:exchange_id}",
    response=guarded(None, 204),
    summary="Delete an exchange",
)
def delete_exchange(request: HttpRequest, network_id: Path[int], exchange_id: int) -> Status[None]:
    """Honours ``If-Match`` (412 when it changed since it was read)."""
    found = grant(request)
    exchange = access.value_exchange_for(found.actor.user, found.network, exchange_id)
    require(request, lambda: of_shape(ExchangeOut.of(exchange)))
    ledger.delete_exchange(found.network, found.actor.user, exchange)
    return Status(204, None)


@router.post("/ledger/thanks", response=writing(list[ExchangeOut]), summary="Say thanks")
def thank(request: HttpRequest, network_id: Path[int], thanks: ThanksIn) -> list[ExchangeOut]:
    """Log the thank-you to ``person`` (an outbound message) and mark everything they gave
    me not yet thanked as thanked in it; the answer lists those exchanges. 422 when
    nothing of theirs waits for thanks."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, thanks.person)
    done = ledger.thank(
        found.network,
        found.actor.user,
        person,
        note=thanks.note,
        today=clock.today_in(found.actor.user.time_zone),
    )
    return [ExchangeOut.of(e) for e in done.exchanges]
