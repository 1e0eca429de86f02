"""`kith today`, `log`, `follow-up`, `done`, `snooze`, `undo`: the daily practice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from kithkin import refs
from kithkin.cli import agenda_refs
from kithkin.cli.context import handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.errors import InvalidInput

if TYPE_CHECKING:
    from kithkin.cli.context import Session
    from kithkin.models import FollowUp, Person
    from kithkin.queries.agenda_items import PersonRef, Section
    from kithkin.queries.plan import Plan

FOLLOW_UPS_SHOWN = 20


def follow_up_by_ref(ctx: Session, ref: str | int) -> FollowUp:
    """The follow-up a reference names ("6", "#6" or "f6", as `kith today` prints it),
    loaded through access.py. The one place the CLI parses a follow-up reference."""
    from kithkin import access

    return access.follow_up_for(
        ctx.user, ctx.network, refs.require_id(str(ref), refs.FOLLOW_UP, "follow-up")
    )


def _print_plan(result: Plan) -> None:
    if not result.rows:
        return
    table = Table(
        title=f"Your {result.size} for today (budget {result.budget} a day"
        + (f"; {result.waiting} more can wait)" if result.waiting else ")"),
        title_justify="left",
        show_header=False,
        box=None,
        padding=(0, 1),
    )
    for row in result.rows:
        action = agenda_refs.plan_row(row)
        table.add_row(action.ref, row.title, _ref_names(row.people), row.reason, action.command)
    out.print()
    out.print(table)


def _names(people: list[Person]) -> str:
    return ", ".join(person.full_name for person in people)


def _ref_names(people: list[PersonRef]) -> str:
    return ", ".join(ref.name for ref in people)


def _print_sections(sections: list[Section]) -> None:
    for section in sections:
        if not section.items:
            continue
        count = (
            f"{section.total}"
            if section.total == len(section.items)
            else (f"first {len(section.items)} of {section.total}")
        )
        table = Table(
            title=f"{section.title} ({count})",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        for item in section.items:
            action = agenda_refs.section_item(section.key, item)
            table.add_row(
                action.ref,
                item.title,
                _ref_names(item.people),
                item.reason + (f"\n{item.detail}" if item.detail else ""),
                Text(action.command, style="dim"),
            )
        out.print()
        out.print(table)


@handle_errors
def today(
    on: Annotated[
        str | None, typer.Option(help="The agenda for another date (YYYY-MM-DD).")
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help=f"List every follow-up due, not the first {FOLLOW_UPS_SHOWN}."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The agenda: follow-ups due, check-ins due within today's budget, what comes next."""
    from kithkin import clock
    from kithkin.queries.agenda import agenda
    from kithkin.queries.plan import plan

    ctx = session()
    day = parse_day(on, clock.today_in(ctx.user.time_zone), "--on") or ctx.today
    result = agenda(ctx.network, day)
    todays = plan(result)
    if as_json:
        from kithkin.schemas.agenda import AgendaOut

        print_shape(AgendaOut.of(result, todays, ctx.network.name))
        return
    out.print(Text.assemble((f"{day:%A %-d %B %Y}", "bold"), f" · {ctx.network.name}"))
    if result.is_empty:
        out.print("\nNothing due. A good day to reach out to someone you admire.")
    _print_plan(todays)
    if result.follow_ups_due:
        table = Table(
            title=f"Follow-ups due ({len(result.follow_ups_due)})",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        shown = result.follow_ups_due if show_all else result.follow_ups_due[:FOLLOW_UPS_SHOWN]
        for item in shown:
            action = agenda_refs.follow_up(item)
            table.add_row(
                action.ref,
                item.title,
                _ref_names(item.people),
                item.reason,
                Text(action.command, style="dim"),
                style="red" if item.days_overdue > 0 else None,
            )
        out.print()
        out.print(table)
        if len(shown) < len(result.follow_ups_due):
            out.print(
                f"{len(result.follow_ups_due) - len(shown)} more follow-ups due, oldest first "
                "above: `kith today --all` lists them all."
            )
    _print_sections(result.sections_first)
    if result.check_ins:
        backlog = result.backlog
        table = Table(
            title=f"Check in ({len(result.check_ins)} of {backlog.due_total} due, "
            f"budget {backlog.budget} a day)",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        for check in result.check_ins:
            role = check.person.current_affiliation
            who = check.person.full_name + (
                f" · {role.title or role.organization.name}" if role else ""
            )
            action = agenda_refs.check_in(check.person.pk)
            table.add_row(
                action.ref,
                who,
                check.circle or "",
                check.status.reason,
                Text(action.command, style="dim"),
            )
        out.print()
        out.print(table)
        if backlog.later:
            out.print(
                f"{backlog.later} more due; at {backlog.budget} a day they are spread over "
                + (
                    "tomorrow."
                    if backlog.days_to_clear == 1
                    else f"the next {backlog.days_to_clear} days."
                )
            )
    _print_sections(result.sections_later)
    if result.follow_ups_upcoming:
        table = Table(
            title="Coming up", title_justify="left", show_header=False, box=None, padding=(0, 1)
        )
        for item in result.follow_ups_upcoming:
            table.add_row(refs.FOLLOW_UP(item.id), item.title, _ref_names(item.people), item.reason)
        out.print()
        out.print(table)


@handle_errors
def log(
    kind: Annotated[
        str, typer.Argument(help="meeting, call, video, email, message, event, social or note.")
    ],
    people: Annotated[list[str], typer.Argument(help="Who was there (names or emails).")],
    on: Annotated[
        str | None, typer.Option(help="When (YYYY-MM-DD, yesterday, -3d); default now.")
    ] = None,
    note: Annotated[str, typer.Option(help="What it was about.")] = "",
    learned: Annotated[str, typer.Option(help="What I learned.")] = "",
    ask: Annotated[str, typer.Option(help="What to ask next time.")] = "",
    direction: Annotated[str, typer.Option(help="outbound, inbound or mutual.")] = "mutual",
) -> None:
    """Log an interaction; it resets the check-in of everyone in it."""
    from kithkin import clock
    from kithkin.queries.people import resolve_person
    from kithkin.services.interactions import log_interaction, occurred_at_on

    ctx = session()
    when = occurred_at_on(
        parse_day(on, ctx.today, "--on"),
        today=ctx.today,
        time_zone=ctx.user.time_zone,
        field="--on",
    )
    participants = [resolve_person(ctx.network, name) for name in people]
    interaction = log_interaction(
        ctx.network,
        ctx.user,
        kind=kind.lower(),
        people=participants,
        occurred_at=when,
        summary=note,
        learned=learned,
        next_questions=ask,
        direction=direction.lower(),
    )
    day_shown = clock.local_date(interaction.occurred_at, ctx.user.time_zone)
    out.print(
        f"Logged {interaction.get_kind_display()} with {_names(participants)} on {day_shown}."
    )


class _AddUnlessSubcommand(TyperGroup):
    """`kith follow-up PERSON TITLE` still adds one (as `kith follow-up add`); `edit` and
    `delete` are subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


follow_up_app = typer.Typer(
    cls=_AddUnlessSubcommand,
    help="Add, edit or delete something you owe someone.",
    no_args_is_help=True,
)


@follow_up_app.command("add")
@handle_errors
def follow_up(
    person: Annotated[str, typer.Argument(help="Who it is owed to.")],
    title: Annotated[str, typer.Argument(help="What to do.")],
    due: Annotated[str, typer.Option(help="When (YYYY-MM-DD, tomorrow, +2d).")] = "+2d",
    every: Annotated[str | None, typer.Option(help="Repeat: 1w, 2w, 1m, quarterly...")] = None,
) -> None:
    """Add something I owe someone; due in two days unless --due says otherwise."""
    from kithkin.dates import parse_every
    from kithkin.queries.people import resolve_person
    from kithkin.services.followups import add_follow_up

    ctx = session()
    due_on = parse_day(due, ctx.today, "--due")
    assert due_on is not None
    repeat = parse_every(every, "--every") if every else None
    who = resolve_person(ctx.network, person)
    item = add_follow_up(
        ctx.network, ctx.user, people=[who], title=title, due_on=due_on, every=repeat
    )
    suffix = f", {repeat}" if repeat else ""
    out.print(
        f"Follow-up {refs.FOLLOW_UP(item.pk)} for {who.full_name}: {item.title} (due {due_on}{suffix})."
    )


@follow_up_app.command("edit")
@handle_errors
def follow_up_edit(
    ref: Annotated[
        str, typer.Argument(metavar="REF", help="The follow-up (f6, as `kith today` shows).")
    ],
    title: Annotated[str | None, typer.Option(help="What to do, reworded.")] = None,
    due: Annotated[str | None, typer.Option(help="When (YYYY-MM-DD, tomorrow, +2d).")] = None,
    every: Annotated[
        str | None, typer.Option(help="Repeat: 1w, 2w, 1m...; `never` stops repeating.")
    ] = None,
    person: Annotated[
        list[str] | None, typer.Option("--person", help="Whom it is owed to (repeatable).")
    ] = None,
) -> None:
    """Change a follow-up's title, due date, recurrence or people."""
    from kithkin.dates import parse_every
    from kithkin.queries.people import resolve_person
    from kithkin.services.followups import KEEP, edit_follow_up

    ctx = session()
    item = follow_up_by_ref(ctx, ref)
    if title is None and due is None and every is None and not person:
        raise InvalidInput("follow-up", "say what to change: --title, --due, --every or --person")
    repeat: Any = KEEP
    if every is not None:
        repeat = None if every.strip().lower() in ("never", "none", "") else parse_every(every)
    edit_follow_up(
        ctx.network,
        ctx.user,
        item,
        title=title,
        due_on=parse_day(due, ctx.today, "--due") if due else None,
        every=repeat,
        people=[resolve_person(ctx.network, name) for name in person] if person else None,
    )
    people = _names(list(item.people.order_by("full_name", "pk")))
    repeats = " (repeats)" if item.recurrence else ""
    out.print(
        f"Follow-up {refs.FOLLOW_UP(item.pk)} for {people}: {item.title} "
        f"(due {item.due_on}){repeats}."
    )


@follow_up_app.command("delete")
@handle_errors
def follow_up_delete(
    ref: Annotated[
        str, typer.Argument(metavar="REF", help="The follow-up (f6, as `kith today` shows).")
    ],
) -> None:
    """Delete a follow-up you no longer owe (done keeps it in the history instead)."""
    from kithkin.services.followups import delete_follow_up

    ctx = session()
    item = follow_up_by_ref(ctx, ref)
    number, title = item.pk, item.title
    delete_follow_up(ctx.network, ctx.user, item)
    out.print(f"Deleted follow-up {refs.FOLLOW_UP(number)} {title}.")


@handle_errors
def undo() -> None:
    """Revert your last action in this network: done, snooze, log, thank or celebrate."""
    from kithkin import access
    from kithkin.services import undo as undoing

    ctx = session()
    found = access.last_undoable_action(ctx.user, ctx.network)
    undoing.undo(ctx.network, ctx.user, found)
    out.print(f"Undone: {found.summary}.")


@handle_errors
def done(
    follow_ups: Annotated[
        list[str],
        typer.Argument(metavar="REF...", help="Follow-ups, as `kith today` shows them (f12)."),
    ],
) -> None:
    """Mark follow-ups done; a recurring one is scheduled again."""
    from django.db import transaction

    from kithkin.services.followups import complete_follow_up

    ctx = session()
    with transaction.atomic():
        for text in follow_ups:
            item = follow_up_by_ref(ctx, text)
            following = complete_follow_up(ctx.network, ctx.user, item, today=ctx.today)
            message = f"Done: {refs.FOLLOW_UP(item.pk)} {item.title}."
            if following is not None:
                message += f" Next one {refs.FOLLOW_UP(following.pk)} due {following.due_on}."
            out.print(message)


@handle_errors
def snooze(
    target: Annotated[
        str, typer.Argument(help="A person (a name or p12), or a follow-up (f12 or its number).")
    ],
    until: Annotated[str | None, typer.Option(help="Until when (YYYY-MM-DD or +2w).")] = None,
    for_: Annotated[str | None, typer.Option("--for", help="For how long (3d, 2w, 1m).")] = None,
) -> None:
    """Put off a check-in with a person, or a follow-up, until a later date."""
    from kithkin.dates import parse_every
    from kithkin.queries.people import resolve_person
    from kithkin.services.followups import snooze_follow_up
    from kithkin.services.people import snooze_person

    ctx = session()
    if (until is None) == (for_ is None):
        raise InvalidInput("--until", "give either --until DATE or --for 2w")
    day = (
        parse_day(until, ctx.today, "--until")
        if until
        else parse_every(for_ or "", "--for").after(ctx.today)
    )
    assert day is not None
    typed = refs.parse(target)
    person_named = typed is not None and typed[0] == refs.PERSON
    if not person_named and refs.id_of(target, refs.FOLLOW_UP, "target") is not None:
        item = follow_up_by_ref(ctx, target)
        snooze_follow_up(ctx.network, ctx.user, item, day, today=ctx.today)
        out.print(f"Snoozed follow-up {refs.FOLLOW_UP(item.pk)} {item.title} until {day}.")
    else:
        person = resolve_person(ctx.network, target)
        snooze_person(ctx.network, ctx.user, person, day, today=ctx.today)
        out.print(f"Snoozed {person.full_name} until {day}.")


COMMANDS: dict[str, Callable[..., None]] = {"undo": undo}
GROUPS: dict[str, typer.Typer] = {"follow-up": follow_up_app}
