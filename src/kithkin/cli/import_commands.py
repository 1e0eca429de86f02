"""`kith import FORMAT PATH`: parse, show the plan, apply it in one transaction."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from rich.table import Table

from kithkin.cli.context import err, handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

ERRORS_SHOWN = 20
MERGES_SHOWN = 20
P = ParamSpec("P")
R = TypeVar("R")


def _cancellable(function: Callable[P, R]) -> Callable[P, R]:
    """Ctrl-C says so in one line and exits 130: the import is one transaction, so an
    interrupted one wrote nothing."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except KeyboardInterrupt:
            err.print("Import cancelled: nothing was written.")
            raise typer.Exit(130) from None

    return wrapper


def _restore_json(ctx: Any, path: Path, *, dry_run: bool, as_json: bool) -> None:
    """Kithkin JSON is a whole network: it is restored, not matched, into an empty one."""
    from kithkin.transfer import restore_file

    counts = restore_file(ctx.network, ctx.user, path, dry_run=dry_run)  # checked either way
    if as_json:
        from kithkin.schemas.imports import RestoredCountsOut, RestoreOut

        restored = RestoredCountsOut(**counts)
        print_shape(RestoreOut(format="json", path=str(path), dry_run=dry_run, restored=restored))
        return
    verb = "Would restore" if dry_run else "Restored"
    out.print(
        f"{verb} {counts['people']} people (you included), {counts['interactions']} "
        f"interactions and {counts['follow_ups']} follow-ups into {ctx.network.name}."
    )


@_cancellable
@handle_errors
def import_(
    format_name: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT", help="linkedin, google, outlook, vcard, ics, mbox or json."
        ),
    ],
    path: Annotated[
        Path, typer.Argument(help="The file (or, for LinkedIn, the export folder or ZIP).")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; write nothing.")
    ] = False,
    me: Annotated[
        list[str] | None, typer.Option("--me", help="Another address of mine (repeatable).")
    ] = None,
    create_people: Annotated[
        bool,
        typer.Option(
            "--create-people", help="Add people met in meetings or mail who are not known yet."
        ),
    ] = False,
    circle: Annotated[
        str,
        typer.Option(help="The circle the new people join (default: the network's setting)."),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Import people and interactions: parse, plan (new, updated, merged, skipped, errors),
    then apply everything in one transaction. Importing the same file again changes nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from kithkin.importers.apply import APPLY_STEPS
    from kithkin.importers.records import ParseResult
    from kithkin.transfer import import_file

    ctx = session()
    if format_name.lower() == "json":
        _restore_json(ctx, path, dry_run=dry_run, as_json=as_json)
        return
    # Reading, matching, then each step of writing: a bar that moves stage by stage.
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=as_json or not err.is_terminal,
    ) as progress:
        steps = 2 + (0 if dry_run else len(APPLY_STEPS))
        task = progress.add_task(f"Reading {path.name}…", total=steps)

        def matching(parsed: ParseResult) -> None:
            progress.update(
                task,
                advance=1,
                description=f"Matching {len(parsed.contacts)} people and "
                f"{len(parsed.interactions)} interactions…",
            )

        def writing(step: str) -> None:
            done = APPLY_STEPS.index(step)
            progress.update(task, completed=2 + done, description=f"Writing {step}…")

        done = import_file(
            ctx.network,
            ctx.user,
            format_name,
            path,
            dry_run=dry_run,
            create_people=create_people,
            circle=circle,
            my_addresses=me or [],
            on_parsed=matching,
            progress=writing,
        )
        progress.update(task, completed=steps)
    plan, summary = done.plan, done.summary
    if as_json:
        from kithkin.schemas.imports import ImportPlanOut

        applied = summary is not None
        print_shape(ImportPlanOut.of(plan, format_name, path, dry_run=dry_run, applied=applied))
        return
    numbers = plan.summary
    table = Table(
        title=f"{'Plan' if dry_run else 'Import'}: {path.name}",
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 2),
    )
    for label, key in (
        ("new people", "new"),
        ("updated", "updated"),
        ("unchanged", "unchanged"),
        ("merged within the file", "merged"),
        ("new interactions", "interactions_new"),
        ("interactions already here", "interactions_existing"),
        ("interactions with no one known", "interactions_unmatched"),
        ("my own jobs", "my_jobs"),
        ("value received", "values_new"),
        ("value received already here", "values_existing"),
        ("value received from no one known", "values_unmatched"),
        ("skipped", "skipped"),
        ("errors", "errors"),
    ):
        if numbers[key]:
            table.add_row(label, str(numbers[key]))
    out.print(table)
    merges = plan.merges
    for merge in merges[:MERGES_SHOWN]:
        out.print(f"  merge  {merge}", highlight=False, markup=False, soft_wrap=True)
    if len(merges) > MERGES_SHOWN:
        out.print(f"  … and {len(merges) - MERGES_SHOWN} more merges (--json lists them all)")
    for error in plan.errors[:ERRORS_SHOWN]:
        out.print(f"  error  {error}")
    if len(plan.errors) > ERRORS_SHOWN:
        out.print(f"  … and {len(plan.errors) - ERRORS_SHOWN} more errors (--json lists them all)")
    if dry_run:
        out.print("Dry run: nothing was written. Run again without --dry-run to import.")
    elif summary is None:
        out.print("Nothing to change: everything in this file is already here.")
    else:
        out.print(
            f"Imported: {len(summary.created)} new, {len(summary.updated)} updated, "
            f"{summary.interactions} interactions"
            + (f", {summary.values} value received." if summary.values else ".")
        )
    if not dry_run:
        from kithkin.cli.triage_commands import next_step

        out.print(next_step(ctx.network))
