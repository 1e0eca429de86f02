"""`kith today`, `log`, `follow-up`, `done`, `snooze`: the daily practice."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli import agenda_refs, shapes
from kithkin.cli.context import handle_errors, out, parse_day, print_json, session
from kithkin.cli.output import JsonOption
from kithkin.errors import InvalidInput
from kithkin.models import Person
from kithkin.queries.agenda_items import PersonRef, Section

FOLLOW_UPS_SHOWN = 20


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

    ctx = session()
    day = parse_day(on, clock.today_in(ctx.user.time_zone), "--on") or ctx.today
    result = agenda(ctx.network, day)
    if as_json:
        print_json(shapes.agenda(result, ctx.network.name))
        return
    out.print(Text.assemble((f"{day:%A %-d %B %Y}", "bold"), f" · {ctx.network.name}"))
    if result.is_empty:
        out.print("\nNothing due. A good day to reach out to someone you admire.")
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
            role = shapes.current_role(check.person)
            who = check.person.full_name + (
                f" · {role['title'] or role['organization']}" if role else ""
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
                f"the next {backlog.days_to_clear} days."
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


@handle_errors
def done(
    follow_ups: Annotated[
        list[str],
        typer.Argument(metavar="REF...", help="Follow-ups, as `kith today` shows them (f12)."),
    ],
) -> None:
    """Mark follow-ups done; a recurring one is scheduled again."""
    from django.db import transaction

    from kithkin import access
    from kithkin.services.followups import complete_follow_up

    ctx = session()
    with transaction.atomic():
        for text in follow_ups:
            number = refs.require_id(text, refs.FOLLOW_UP, "follow-up")
            item = access.follow_up_for(ctx.user, ctx.network, number)
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
    from kithkin import access
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
    follow_up_id = (
        None
        if typed is not None and typed[0] == refs.PERSON
        else refs.id_of(target, refs.FOLLOW_UP, "target")
    )
    if follow_up_id is not None:
        item = access.follow_up_for(ctx.user, ctx.network, follow_up_id)
        snooze_follow_up(ctx.network, ctx.user, item, day, today=ctx.today)
        out.print(f"Snoozed follow-up {refs.FOLLOW_UP(item.pk)} {item.title} until {day}.")
    else:
        person = resolve_person(ctx.network, target)
        snooze_person(ctx.network, ctx.user, person, day, today=ctx.today)
        out.print(f"Snoozed {person.full_name} until {day}.")
