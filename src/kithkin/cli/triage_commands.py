"""`kith triage`: a circle for everyone who has none, suggested with its evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table

from kithkin import refs
from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape


def next_step(network: Any) -> str:
    """What to do after adding people: how many have a rhythm, and triage for the rest."""
    from kithkin.queries.triage import standing

    counts = standing(network)
    line = f"{counts.with_cadence} {'person has' if counts.with_cadence == 1 else 'people have'} a check-in cadence."
    if counts.untriaged:
        who = "person has" if counts.untriaged == 1 else "people have"
        line += f" {counts.untriaged} {who} no circle and will never be due: run `kith triage`."
    return line


@handle_errors
def triage(
    accept: Annotated[
        bool, typer.Option("--accept", help="Put everyone in the circle suggested for them.")
    ] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="List at most this many.")] = None,
    as_json: JsonOption = False,
) -> None:
    """People with no circle: the circle suggested for each and the evidence for it."""
    from kithkin.queries.triage import suggestions
    from kithkin.services.people_bulk import accept_suggestions

    ctx = session()
    if accept:
        moved = accept_suggestions(ctx.network, ctx.user, ctx.today)
        if as_json:
            from kithkin.schemas.networks import AcceptedOut

            print_shape(AcceptedOut(accepted=moved))
            return
        out.print(
            f"Placed {moved} {'person' if moved == 1 else 'people'} in their suggested circle."
        )
        out.print(next_step(ctx.network))
        return
    found = suggestions(ctx.network, ctx.today, limit=limit)
    if as_json:
        from kithkin.schemas.networks import TriageSuggestionOut

        print_shape([TriageSuggestionOut.of(s) for s in found])
        return
    if not found:
        out.print("Everyone has a circle: nothing to triage.")
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("ref", "name", "suggested", "evidence"):
        table.add_column(column, no_wrap=column != "evidence")
    for s in found:
        table.add_row(
            refs.PERSON(s.person.pk),
            s.person.full_name,
            s.circle.name if s.circle else "",
            "; ".join(s.evidence),
        )
    out.print(table)
    if out.is_terminal:
        out.print("Accept every suggestion with `kith triage --accept`.")


COMMANDS: dict[str, Callable[..., None]] = {"triage": triage}
GROUPS: dict[str, typer.Typer] = {}
