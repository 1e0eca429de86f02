"""`kith milestone add|list|remove|window` and `kith celebrate`: being supportive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kithkin import refs
from kithkin.cli.context import Session, handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    pass

milestone_app = typer.Typer(
    help="Milestones to celebrate and challenges to help with.", no_args_is_help=True
)


def _today(ctx: Session) -> dt.date:
    """Occasions fall on the network's calendar."""
    from kithkin import clock

    return clock.today_in(ctx.network.time_zone)


def _days(text: str, field: str) -> int:
    """'14', '14d', '2w', '1m' as a number of days."""
    from kithkin.dates import parse_every
    from kithkin.errors import InvalidInput

    value = text.strip().lower()
    if value.removesuffix("d").isdigit():
        return int(value.removesuffix("d"))
    try:
        return parse_every(value, field).approx_days
    except InvalidInput:
        raise InvalidInput(field, f"{text!r} is not a number of days: use 14, 14d or 2w") from None


@milestone_app.command("add")
@handle_errors
def milestone_add(
    person: Annotated[str, typer.Argument(help="Whose milestone (a name or an email).")],
    kind: Annotated[
        str,
        typer.Argument(
            help="new-job, promotion, launch, award, publication, graduation, birthday, "
            "work-anniversary, custom; or a challenge: job-loss, illness, move, loss."
        ),
    ],
    on: Annotated[
        str,
        typer.Option(
            "--on", help="When: YYYY-MM-DD, or MM-DD without a year (--yearly or birthday)."
        ),
    ],
    note: Annotated[str, typer.Option(help="A note: what it is, how it went.")] = "",
    yearly: Annotated[bool, typer.Option("--yearly", help="It comes back every year.")] = False,
    title: Annotated[str, typer.Option(help="What it is, in a few words.")] = "",
) -> None:
    """Record a milestone (or a challenge) in someone's life."""
    from kithkin.queries.milestones import date_text
    from kithkin.queries.people import resolve_person
    from kithkin.services.milestones import add_milestone, parse_on

    ctx = session()
    who = resolve_person(ctx.network, person)
    milestone = add_milestone(
        ctx.network,
        ctx.user,
        person=who,
        kind=kind,
        on=parse_on(on, _today(ctx), "--on"),
        recurs_yearly=yearly,
        title=title,
        note=note,
    )
    from kithkin.queries.occasions import kind_label

    what = "Challenge" if milestone.is_support else "Milestone"
    every = ", every year" if milestone.recurs_yearly else ""
    detail = f": {milestone.title}" if milestone.title else ""
    out.print(
        f"{what} {refs.MILESTONE(milestone.pk)} for {who.full_name}: {kind_label(milestone.kind)}{detail} "
        f"({date_text(milestone)}{every})."
    )


@milestone_app.command("list")
@handle_errors
def milestone_list(
    upcoming: Annotated[
        str | None,
        typer.Option(
            "--upcoming",
            help="Occasions in the next N days (14d, 2w), birthdays and anniversaries too.",
        ),
    ] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only this person's.")] = None,
    as_json: JsonOption = False,
) -> None:
    """The milestones on record, or (--upcoming) every occasion coming up."""
    from kithkin.queries import milestones as queries
    from kithkin.queries.occasions import kind_label
    from kithkin.queries.people import resolve_person

    ctx = session()
    today = _today(ctx)
    who = resolve_person(ctx.network, person) if person else None
    if upcoming is not None:
        days = _days(upcoming, "--upcoming")
        found = queries.upcoming(ctx.network, today, days, person_id=who.pk if who else None)
        if as_json:
            from kithkin.schemas.milestones import OccasionOut

            print_shape([OccasionOut.of(o, today) for o in found])
            return
        if not found:
            out.print(f"Nothing in the next {days} days.")
            return
        table = Table(show_header=False, box=None, padding=(0, 1))
        for o in found:
            table.add_row(
                f"{o.on:%a %-d %b}",
                o.person.name,
                queries.reason(o, today),
                refs.MILESTONE(o.milestone_id) if o.milestone_id else refs.PERSON(o.person.id),
                "celebrated" if o.celebrated else "",
            )
        out.print(table)
        return
    rows = queries.milestones_of(ctx.network, person=who)
    if as_json:
        from kithkin.schemas.milestones import MilestoneOut

        print_shape([MilestoneOut.of(m) for m in rows])
        return
    if not rows:
        out.print("No milestones yet: `kith milestone add PERSON KIND --on DATE` records one.")
        return
    table = Table(show_header=False, box=None, padding=(0, 1))
    for m in rows:
        table.add_row(
            refs.MILESTONE(m.pk),
            queries.date_text(m) + (" yearly" if m.recurs_yearly else ""),
            m.person.full_name,
            kind_label(m.kind) + (f": {m.title}" if m.title else ""),
            m.note.splitlines()[0] if m.note else "",
        )
    out.print(table)


@milestone_app.command("remove")
@handle_errors
def milestone_remove(
    milestone_ref: Annotated[
        str, typer.Argument(metavar="REF", help="The milestone's reference (m12).")
    ],
) -> None:
    """Delete a milestone; interactions that celebrated it stay."""
    from kithkin import access
    from kithkin.queries.occasions import kind_label
    from kithkin.services.milestones import remove_milestone

    ctx = session()
    milestone_id = refs.require_id(milestone_ref, refs.MILESTONE, "milestone")
    milestone = access.milestone_for(ctx.user, ctx.network, milestone_id)
    remove_milestone(ctx.network, ctx.user, milestone)
    what = milestone.title or kind_label(milestone.kind)
    out.print(
        f"Removed milestone {refs.MILESTONE(milestone_id)} ({what}) of {milestone.person.full_name}."
    )


@milestone_app.command("window")
@handle_errors
def milestone_window(
    days: Annotated[
        str | None, typer.Argument(help="How far ahead to look: 21, 21d, 3w. None: show it.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show or set how many days ahead the agenda shows occasions to celebrate."""
    from kithkin.services.milestones import set_celebrate_window

    ctx = session()
    if days is not None:
        set_celebrate_window(ctx.network, ctx.user, _days(days, "window"))
    if as_json:
        from kithkin.schemas.milestones import CelebrateWindowOut

        print_shape(CelebrateWindowOut(celebrate_within_days=ctx.network.celebrate_within_days))
        return
    verb = "now shows" if days is not None else "shows"
    out.print(
        f"The agenda {verb} birthdays, anniversaries and milestones "
        f"{ctx.network.celebrate_within_days} days ahead."
    )


@handle_errors
def celebrate(
    person: Annotated[
        str | None,
        typer.Argument(
            help="Whom (their nearest occasion is celebrated), or a milestone's reference (m12)."
        ),
    ] = None,
    milestone: Annotated[
        str | None, typer.Option("--milestone", help="A milestone's reference (m12), instead.")
    ] = None,
    note: Annotated[str, typer.Option(help="What you said or did.")] = "",
    kind: Annotated[
        str, typer.Option(help="How: message, call, email, meeting... (default message).")
    ] = "message",
) -> None:
    """Celebrate someone's occasion, or offer help with a challenge; logs an interaction."""
    from kithkin import access
    from kithkin.errors import InvalidInput
    from kithkin.queries.occasions import milestone_occasion, reason
    from kithkin.queries.people import resolve_person
    from kithkin.services.milestones import celebrate_milestone, celebrate_person

    ctx = session()
    today = _today(ctx)
    if (person is None) == (milestone is None):
        raise InvalidInput("person", "name a person, or give --milestone REF (not both)")
    typed = refs.parse(person) if person is not None else None
    if typed is not None and typed[0] == refs.MILESTONE:
        person, milestone = None, person
    if milestone is not None:
        record = access.milestone_for(
            ctx.user, ctx.network, refs.require_id(milestone, refs.MILESTONE, "--milestone")
        )
        celebrate_milestone(
            ctx.network, ctx.user, record, today=today, note=note, kind=kind.lower()
        )
        occasion = milestone_occasion(record, today, nearest=True)
        who = record.person.full_name
    else:
        found = resolve_person(ctx.network, person or "")
        _, occasion = celebrate_person(
            ctx.network, ctx.user, found, today=today, note=note, kind=kind.lower()
        )
        who = found.full_name
    verb = "Offered help to" if occasion.support else "Celebrated with"
    out.print(f"{verb} {who}: {reason(occasion, today)}. Logged a {kind}.")


COMMANDS: dict[str, Callable[..., None]] = {"celebrate": celebrate}
GROUPS: dict[str, typer.Typer] = {"milestone": milestone_app}
