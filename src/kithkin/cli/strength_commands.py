"""`kith strength [NAME]`: relationship strength from me, explained (docs/strength.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.table import Table

from kithkin import refs
from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape


@handle_errors
def strength(
    person: Annotated[
        str | None,
        typer.Argument(help="A name (fuzzy), an email or a reference; none: the lists."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="List at most this many.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Relationship strength from me (0-100), with its words; no NAME: the strongest and the fading ties."""
    from kithkin.queries import strength as queries
    from kithkin.queries.people import resolve_person

    ctx = session()
    if person is not None:
        found = resolve_person(ctx.network, person, include_archived=True)
        shown = queries.of_person(ctx.network, found)
        if as_json:
            from kithkin.schemas.strength import StrengthOut, nothing_yet

            print_shape(StrengthOut.of(shown) if shown else nothing_yet(found.pk, found.full_name))
            return
        if shown is None:
            out.print(f"{found.full_name}: no strength yet (no contact in the past year).")
            return
        out.print(
            f"{shown.name}: {shown.score}/100 {shown.arrow} "
            f"({_signed(shown.trend)} since 90 days ago, then {shown.before})"
        )
        out.print(f"  {shown.explanation}")
        return
    strongest = queries.strongest(ctx.network, limit)
    fading = queries.fading(ctx.network, limit)
    if as_json:
        from kithkin.schemas.strength import StrengthListOut, StrengthOut

        print_shape(
            StrengthListOut(
                strongest=[StrengthOut.of(s) for s in strongest],
                fading=[StrengthOut.of(s) for s in fading],
            )
        )
        return
    for title, rows in (("Strongest", strongest), ("Fading ties", fading)):
        out.print(f"{title}:" if rows else f"{title}: none.")
        if not rows:
            continue
        table = Table(box=None, padding=(0, 1))
        for column in ("ref", "name", "strength", "trend", "why"):
            table.add_column(column, no_wrap=column != "why")
        for row in rows:
            table.add_row(
                refs.PERSON(row.person_id),
                row.name,
                str(row.score),
                f"{row.arrow} {_signed(row.trend)}",
                row.explanation,
            )
        out.print(table)


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


COMMANDS: dict[str, Callable[..., None]] = {"strength": strength}
GROUPS: dict[str, typer.Typer] = {}
