"""kith give, got, intro, thank, ledger: the value ledger and saying thanks."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.errors import InvalidInput

if TYPE_CHECKING:
    from kithkin.models import Person, ValueExchange
    from kithkin.queries.ledger import NetworkLedger, PersonLedger

KINDS = "advice, introduction, referral, resource, help, recommendation, endorsement, gift or opportunity"
_DAYS = re.compile(r"^\s*(\d{1,3})\s*d?\s*$", re.IGNORECASE)

OnOption = Annotated[
    str | None, typer.Option("--on", help="When (YYYY-MM-DD, yesterday, -3d); default today.")
]
WeightOption = Annotated[
    int, typer.Option("--weight", help="How much it mattered: 1 (small) to 5 (life-changing).")
]


# Writing ----------------------------------------------------------------------------------


def _described(description: str) -> str:
    return f": {description}" if description else ""


def _record(
    i_gave: bool, person: str, kind: str, description: str, on: str | None, weight: int
) -> tuple[Person, ValueExchange]:
    """Record value given (``i_gave``) or received with ``person``; return who and what."""
    from kithkin.queries.people import resolve_person
    from kithkin.services.ledger import give as give_value
    from kithkin.services.ledger import got as got_value

    ctx = session()
    who = resolve_person(ctx.network, person)
    record = give_value if i_gave else got_value
    exchange = record(
        ctx.network,
        ctx.user,
        who,
        kind,
        description,
        on=parse_day(on, ctx.today, "--on"),
        weight=weight,
        today=ctx.today,
    )
    return who, exchange


@handle_errors
def give(
    person: Annotated[str, typer.Argument(help="Who you gave to (a name or an email).")],
    kind: Annotated[str, typer.Argument(help=f"What: {KINDS}.")],
    description: Annotated[str, typer.Argument(help="What exactly, in a few words.")] = "",
    on: OnOption = None,
    weight: WeightOption = 2,
) -> None:
    """Record value you gave someone: advice, an introduction, a referral..."""
    who, exchange = _record(True, person, kind, description, on, weight)
    out.print(
        f"Gave {who.full_name} {exchange.kind} on {exchange.occurred_on} "
        f"(weight {exchange.weight}){_described(exchange.description)}."
    )


@handle_errors
def got(
    person: Annotated[str, typer.Argument(help="Who gave it to you (a name or an email).")],
    kind: Annotated[str, typer.Argument(help=f"What: {KINDS}.")],
    description: Annotated[str, typer.Argument(help="What exactly, in a few words.")] = "",
    on: OnOption = None,
    weight: WeightOption = 2,
) -> None:
    """Record value someone gave you; until you thank them it comes up under "Say thanks"."""
    who, exchange = _record(False, person, kind, description, on, weight)
    out.print(
        f"Got {exchange.kind} from {who.full_name} on {exchange.occurred_on} "
        f"(weight {exchange.weight}){_described(exchange.description)}."
    )
    out.print(f'Not thanked yet: `kith thank "{who.full_name}"` logs the thank-you.')


@handle_errors
def intro(
    person: Annotated[str, typer.Argument(help="One of the two people you introduced.")],
    other: Annotated[str, typer.Argument(help="The other one.")],
    note: Annotated[str, typer.Option("--note", help="Why they should meet.")] = "",
    on: OnOption = None,
    weight: WeightOption = 2,
) -> None:
    """Record that you introduced two people: an introduction given to each, and one
    message interaction with both."""
    from kithkin.queries.people import resolve_person
    from kithkin.services.ledger import introduce

    ctx = session()
    first = resolve_person(ctx.network, person)
    second = resolve_person(ctx.network, other)
    done = introduce(
        ctx.network,
        ctx.user,
        first,
        second,
        note=note,
        on=parse_day(on, ctx.today, "--on"),
        weight=weight,
        today=ctx.today,
    )
    out.print(f"{done.interaction.summary} (on {done.exchanges[0].occurred_on}).")


@handle_errors
def thank(
    person: Annotated[
        str,
        typer.Argument(
            help="Who to thank (a name, an email or p12), or what for (x12: thanks its giver)."
        ),
    ],
    note: Annotated[str, typer.Option("--note", help="What you said or wrote.")] = "",
) -> None:
    """Log a thank-you to someone: everything they gave you that was not thanked yet is
    marked thanked, and it leaves "Say thanks"."""
    from kithkin import access
    from kithkin.queries.people import resolve_person
    from kithkin.services.ledger import thank as thank_person

    ctx = session()
    typed = refs.parse(person)
    if typed is not None and typed[0] == refs.EXCHANGE:
        who = access.value_exchange_for(ctx.user, ctx.network, typed[1]).giver
    else:
        who = resolve_person(ctx.network, person)
    thanks = thank_person(ctx.network, ctx.user, who, note=note, today=ctx.today)
    count = len(thanks.exchanges)
    things = "1 thing" if count == 1 else f"{count} things"
    kinds = ", ".join(dict.fromkeys(e.kind for e in thanks.exchanges))
    out.print(f"Thanked {who.full_name} for {things}: {kinds}.")


# Reading ----------------------------------------------------------------------------------


def _days(text: str) -> int:
    match = _DAYS.match(text)
    if match is None:
        raise InvalidInput("--thanks-within", f"{text!r} is not a number of days like 3 or 5d")
    return int(match[1])


def _when(day: object) -> str:
    return str(day) if day else "never"


def _exchange_row(exchange: ValueExchange, table: Table) -> None:
    direction = exchange.direction
    if direction == "given":
        who = f"to {exchange.receiver.full_name}"
    elif direction == "received":
        who = f"from {exchange.giver.full_name}"
    else:
        who = f"{exchange.giver.full_name} to {exchange.receiver.full_name}"
    if exchange.introduced_to is not None:
        who += f" (to meet {exchange.introduced_to.full_name})"
    status = ""
    if direction == "received":
        status = "thanked" if exchange.thanked_at else "not thanked"
    table.add_row(
        str(exchange.occurred_on),
        refs.EXCHANGE(exchange.pk),
        exchange.kind,
        who,
        f"weight {exchange.weight}",
        exchange.description,
        status,
    )


def _exchanges_table(title: str, exchanges: list[ValueExchange]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 1))
    for exchange in exchanges:
        _exchange_row(exchange, table)
    return table


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _print_person(ledger: PersonLedger) -> None:
    b = ledger.balance
    out.print(Text(ledger.person.full_name, style="bold"))
    out.print(b.sentence)
    out.print(
        f"Balance {b.balance:+d} (you gave {_times(b.given_count)}, "
        f"they gave {_times(b.received_count)})."
    )
    line = f"Last given: {_when(b.last_given)}; last received: {_when(b.last_received)}."
    if b.unthanked:
        line += f" {b.unthanked} not thanked yet."
    out.print(line)
    if not ledger.exchanges:
        out.print("Nothing exchanged yet.")
        return
    shown = len(ledger.exchanges)
    count = f"{ledger.total}" if shown == ledger.total else f"newest {shown} of {ledger.total}"
    out.print()
    out.print(_exchanges_table(f"Exchanges ({count})", ledger.exchanges))


def _print_network(ledger: NetworkLedger, network_name: str) -> None:
    out.print(Text.assemble(("Ledger", "bold"), f" · {network_name}"))
    out.print(
        f"You gave {ledger.given} ({ledger.given_count} times) and received {ledger.received} "
        f"({ledger.received_count} times)."
    )
    waiting = ledger.thanks_due
    out.print(
        f"Say thanks within {ledger.thanks_within_days} days; "
        + ("nobody waits for thanks." if not waiting else f"{waiting} waiting now (kith today).")
    )
    if ledger.helpers:
        table = Table(
            title=f"Who helped you most ({ledger.helpers_total})",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        for h in ledger.helpers:
            table.add_row(
                h.person.name, f"weight {h.received}", f"{h.count} times", f"last {h.last_received}"
            )
        out.print()
        out.print(table)
    if ledger.give_back:
        table = Table(
            title=f"Gave to you this year, nothing given back in 180 days ({ledger.give_back_total})",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        for g in ledger.give_back:
            table.add_row(
                g.person.name,
                f"weight {g.received}",
                f"last received {g.last_received}",
                f"last given {_when(g.last_given)}",
            )
        out.print()
        out.print(table)
    if ledger.recent:
        out.print()
        out.print(_exchanges_table("Recent exchanges", ledger.recent))
    else:
        out.print('\nNothing recorded yet: `kith give NAME advice "..."` or `kith got ...`.')


@handle_errors
def ledger(
    person: Annotated[
        str | None, typer.Argument(help="One person's ledger; without it, the whole network's.")
    ] = None,
    thanks_within: Annotated[
        str | None,
        typer.Option(
            "--thanks-within",
            metavar="DAYS",
            help="Set how many days help may wait before 'Say thanks' lists it (default 3).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Value given and received: with one person (balance, last given, every exchange), or
    across the network (who helped you most, whom to give back to)."""
    from kithkin.queries.ledger import network_ledger, person_ledger
    from kithkin.queries.people import resolve_person
    from kithkin.services.ledger import set_thanks_window

    ctx = session()
    if thanks_within is not None:
        days = _days(thanks_within)
        set_thanks_window(ctx.network, ctx.user, days)
        if not as_json:
            out.print(f"Say thanks within {days} days: help waits that long before Today lists it.")
            if person is None:
                return
    if person is not None:
        who = resolve_person(ctx.network, person, include_archived=True)
        if who.is_self:
            raise InvalidInput("person", "that is you: ask for someone else's ledger, or none")
        result = person_ledger(ctx.network, who)
        if as_json:
            from kithkin.schemas.ledger import PersonLedgerOut

            print_shape(PersonLedgerOut.of(result))
        else:
            _print_person(result)
        return
    network_result = network_ledger(ctx.network, ctx.today)
    if as_json:
        from kithkin.schemas.ledger import NetworkLedgerOut

        print_shape(NetworkLedgerOut.of(network_result, ctx.network.name))
    else:
        _print_network(network_result, ctx.network.name)


COMMANDS: dict[str, Callable[..., None]] = {
    "give": give,
    "got": got,
    "intro": intro,
    "thank": thank,
    "ledger": ledger,
}
GROUPS: dict[str, typer.Typer] = {}
