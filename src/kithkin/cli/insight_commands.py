"""kith path, kith stats: warm-intro paths and how the practice is going."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.queries.insights import Stats
    from kithkin.queries.paths import PathSearch


def _print_paths(search: PathSearch) -> None:
    target = search.target
    title = f"Who knows {target.name} best" if target.organization else f"Paths to {target.name}"
    out.print(Text(title, style="bold"))
    if not search.paths:
        out.print(
            f"No path found within three hops from {search.member_name}: nobody they know is "
            f"tied to {target.name} (a relationship, a shared interaction, a job, an introduction)."
        )
        return
    for number, path in enumerate(search.paths, 1):
        chain = " → ".join(hop.person.name for hop in path.hops)
        out.print()
        out.print(Text.assemble((f"{number}. {chain}", "bold"), f"  score {path.percent}"))
        for hop in path.hops:
            out.print(f"   {hop.person.name} ({hop.strength}): {'; '.join(hop.reasons)}")
        if path.there:
            out.print(f"   {path.reaches.name} is {path.there} now")


@handle_errors
def path(
    target: Annotated[
        str, typer.Argument(help="A person (name, email, p12) or an organization (name, o12).")
    ],
    member: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="MEMBER",
            help="Start from another member of a shared network (username, email or name).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Warm-intro paths: the best ways to reach a person, or anyone at an organization,
    through people who know them, each hop explained."""
    from kithkin.queries.paths import member_of, paths_to, resolve_target

    ctx = session()
    found = resolve_target(ctx.user, ctx.network, target)
    start = member_of(ctx.user, ctx.network, member)
    search = paths_to(ctx.network, ctx.user, found, member=start, today=ctx.today)
    if as_json:
        from kithkin.schemas.insights import PathSearchOut

        print_shape(PathSearchOut.of(search))
    else:
        _print_paths(search)


def _print_stats(stats: Stats) -> None:
    out.print(Text.assemble(("How the practice is going", "bold"), f" · {stats.network}"))
    for chart in stats.charts:
        out.print()
        out.print(Text(chart.title, style="bold"))
        out.print(chart.summary)
        if not chart.series or not chart.total:
            out.print("Nothing yet.")
            continue
        table = Table(box=None, padding=(0, 1), title_justify="left")
        table.add_column("")
        for series in chart.series:
            table.add_column(series.name, justify="right")
        for label, values in chart.rows:
            table.add_row(label, *(str(v) for v in values))
        out.print(table)


@handle_errors
def stats(
    as_json: JsonOption = False,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="First compute the stored monthly totals and each organization's count of "
            "its people again from the records (a repair: every write keeps them).",
        ),
    ] = False,
) -> None:
    """How the practice is going: the Dashboard's figures (interactions, circles kept on
    cadence, follow-ups on time, given and received, new people, opportunities)."""
    from kithkin.queries.insights import stats as compute_stats

    ctx = session()
    if rebuild:
        from kithkin.services.insight_totals import rebuild_totals

        rebuild_totals(ctx.network, ctx.user)
    found = compute_stats(ctx.network, ctx.today)
    if as_json:
        from kithkin.schemas.insights import StatsOut

        print_shape(StatsOut.of(found))
    else:
        _print_stats(found)


COMMANDS: dict[str, Callable[..., None]] = {"path": path, "stats": stats}
GROUPS: dict[str, typer.Typer] = {}
