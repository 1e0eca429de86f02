"""`kith history PERSON`, `kith delete PERSON`, `kith trash` and `kith trash restore ID`:
what changed about someone, and what was deleted (kept 30 days in the trash)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from kithkin.cli.context import confirmed, handle_errors, out, session
from kithkin.cli.output import JsonOption, local_moment, print_shape


@handle_errors
def history(
    person: Annotated[str, typer.Argument(help="A name (fuzzy), an email, p12, or 'me'.")],
    page: Annotated[int, typer.Option(help="Older changes: page 2, 3...", min=1)] = 1,
    as_json: JsonOption = False,
) -> None:
    """What changed about a person, newest first: who, when, and each field before → after."""
    from kithkin.queries.history import person_history
    from kithkin.queries.people import resolve_person

    ctx = session()
    who = resolve_person(ctx.network, person, include_archived=True)
    found = person_history(ctx.network, who, page=page)
    if as_json:
        from kithkin.schemas.history import HistoryEntryOut

        print_shape([HistoryEntryOut.of(entry) for entry in found.entries])
        return
    if not found.entries:
        out.print(
            f"No changes recorded for {who.full_name}" + (" on this page." if page > 1 else ".")
        )
        return
    zone = ctx.user.time_zone
    for entry in found.entries:
        line = f"{local_moment(entry.occurred_at, zone)}  {entry.who} {entry.says}"
        if entry.fields and not entry.values:
            line += f" ({', '.join(entry.fields)})"
        out.print(line, highlight=False)
        for value in entry.values:
            out.print(
                f"    {value.field}: {value.before_text} → {value.after_text}",
                highlight=False,
            )
    if found.has_next:
        out.print(f"Older changes: kith history {person!r} --page {page + 1}", highlight=False)


@handle_errors
def delete(
    person: Annotated[str, typer.Argument(help="A name (fuzzy), an email, or p12.")],
    yes: Annotated[bool, typer.Option("--yes", help="Delete without asking.")] = False,
) -> None:
    """Move a person to the trash, with what only concerned them; restorable for 30 days."""
    from kithkin import refs
    from kithkin.models.trash import KEEP_DAYS
    from kithkin.queries.people import resolve_person
    from kithkin.services.people import delete_person

    ctx = session()
    who = resolve_person(ctx.network, person, include_archived=True)
    name = who.full_name
    if not yes and not confirmed(
        f"Move {name} ({refs.PERSON(who.pk)}) and what only concerned them to the trash?",
        unasked="Nothing changed. Run again with --yes to delete.",
    ):
        return
    item = delete_person(ctx.network, ctx.user, who)
    out.print(
        f"Moved {name} to the trash: `kith trash restore {item.pk}` brings them back "
        f"within {KEEP_DAYS} days.",
        highlight=False,
    )


trash_app = typer.Typer(
    help="What was deleted in the last 30 days: list it, or restore it with every link.",
    invoke_without_command=True,
)


@trash_app.callback()
@handle_errors
def trash_list(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """What was deleted in the last 30 days (the trash), newest first."""
    if ctx.invoked_subcommand is not None:
        return
    from kithkin.queries.trash import trash_rows

    session_ = session()
    rows = trash_rows(session_.network)
    if as_json:
        from kithkin.schemas.history import TrashedItemOut

        print_shape([TrashedItemOut.of(row) for row in rows])
        return
    if not rows:
        out.print("The trash is empty.")
        return
    from rich.table import Table

    table = Table("id", "kind", "name", "deleted by", "deleted", "days left")
    for row in rows:
        table.add_row(
            str(row.id),
            row.kind_label,
            row.name,
            row.deleted_by,
            local_moment(row.deleted_at, session_.user.time_zone),
            str(row.days_left),
        )
    out.print(table)
    out.print("Restore one with `kith trash restore ID`.")


@trash_app.command("restore")
@handle_errors
def trash_restore(
    item_id: Annotated[int, typer.Argument(metavar="ID", help="Its id, as `kith trash` shows.")],
    as_json: JsonOption = False,
) -> None:
    """Bring something back from the trash with its links, as it was."""
    from kithkin import access
    from kithkin.services.trash import restore

    ctx = session()
    restored = restore(
        ctx.network, ctx.user, access.trashed_item_for(ctx.user, ctx.network, item_id)
    )
    if as_json:
        from kithkin.schemas.history import RestoredOut

        print_shape(RestoredOut.of(restored))
        return
    out.print(restored.sentence(), highlight=False)


COMMANDS: dict[str, Callable[..., None]] = {"history": history, "delete": delete}
GROUPS: dict[str, typer.Typer] = {"trash": trash_app}
