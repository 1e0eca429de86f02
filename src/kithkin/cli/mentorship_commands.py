"""kith mentor, kith mentee: mentors of mine, mentees of mine, their goals and sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kithkin import refs
from kithkin.cli.context import handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.cli.person_choice import known_or_new

if TYPE_CHECKING:
    from kithkin.cli.context import Session
    from kithkin.models import Mentorship, Person
    from kithkin.queries.mentorships import MentorshipSummary

mentor_app = typer.Typer(
    help="Your mentors, and every mentorship: list, show, log sessions, pause, resume, end.",
    no_args_is_help=True,
)
mentee_app = typer.Typer(help="The people you mentor.", no_args_is_help=True)

# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"mentor": mentor_app, "mentee": mentee_app}

_Which = Annotated[
    str, typer.Argument(metavar="PERSON|REF", help="A person in it, or the mentorship's mt12.")
]
_Goals = Annotated[list[str] | None, typer.Option("--goal", help="A goal; repeat for several.")]
_Every = Annotated[str | None, typer.Option("--every", help="Session cadence: 2w, 30d, monthly...")]
_New = Annotated[
    bool, typer.Option("--new", help="Someone new, even if the name is close to someone known.")
]
_Since = Annotated[
    str | None, typer.Option("--since", help="When it started (YYYY-MM-DD); default today.")
]


def _next_text(row: MentorshipSummary, today: dt.date) -> str:
    if row.mentorship.status != "active":
        ended = row.mentorship.ended_on
        return f"ended {ended.isoformat()}" if ended else str(row.mentorship.status)
    if row.next_session_on is None:
        return "no cadence"
    late = (today - row.next_session_on).days
    if late > 0:
        return f"session overdue by {late} day{'s' if late != 1 else ''}"
    if late == 0:
        return "session due today"
    return f"next session {row.next_session_on.isoformat()}"


def _cadence_text(days: int | None) -> str:
    if not days:
        return "no cadence"
    return "every day" if days == 1 else f"every {days} days"


def _person(ctx: Session, text: str, *, new: bool) -> Person:
    """The person ``text`` names (a name, a unique prefix, an email), else someone new as
    `kith met` adds them: a name close to people known is asked about (or refused)."""
    from kithkin.errors import NotFound
    from kithkin.queries.people import resolve_person
    from kithkin.services.known_or_new import find_or_add_person

    if not new:
        try:
            return resolve_person(ctx.network, text)
        except NotFound:
            pass

    def attempt(person: Person | None = None, name: str = "", new: bool = False) -> Person:
        if person is not None:
            return person
        found, added = find_or_add_person(
            ctx.network, ctx.user, name=name, new=new, connected_on=ctx.today
        )
        if added:
            out.print(f"Added {found.full_name} ({refs.PERSON(found.pk)}).")
        return found

    return known_or_new(text, attempt, new=new, nothing="Nothing recorded: no mentorship added.")


def _add(
    ctx: Session,
    *,
    mentor_name: str | None,
    mentee_name: str | None,
    goals: list[str] | None,
    every: str | None,
    since: str | None,
    new: bool = False,
) -> Mentorship:
    from django.db import transaction

    from kithkin.dates import parse_every
    from kithkin.services.mentorships import add_mentorship

    cadence = parse_every(every, "--every").approx_days if every else None
    started_on = parse_day(since, ctx.today, "--since") or ctx.today
    with transaction.atomic():  # someone added for it goes if the mentorship is refused
        # Whichever is not named is me.
        mentor = _person(ctx, mentor_name, new=new) if mentor_name else None
        mentee = _person(ctx, mentee_name, new=new) if mentee_name else None
        return add_mentorship(
            ctx.network,
            ctx.user,
            mentor=mentor,
            mentee=mentee,
            goals=goals or [],
            cadence_days=cadence,
            started_on=started_on,
            today=ctx.today,
        )


def _print_added(mentorship: Mentorship) -> None:
    from kithkin.queries.mentorships import mentorship_title, next_session_on

    m = mentorship
    who = mentorship_title(m)
    due = next_session_on(m, None)
    suffix = f", first session due {due.isoformat()}" if due else ""
    out.print(
        f"{who}: mentorship {refs.MENTORSHIP(m.pk)}, {_cadence_text(m.cadence_days)}{suffix}."
    )


@mentor_app.command("add")
@handle_errors
def mentor_add(
    person: Annotated[str, typer.Argument(help="Your mentor (or, with --of, someone's).")],
    goal: _Goals = None,
    every: _Every = None,
    since: _Since = None,
    of: Annotated[str | None, typer.Option("--of", help="The mentee, when it is not you.")] = None,
    new: _New = False,
) -> None:
    """PERSON mentors you (or the --of person) from today or --since. Someone unknown is
    added, as `kith met` does."""
    ctx = session()
    mentorship = _add(
        ctx, mentor_name=person, mentee_name=of, goals=goal, every=every, since=since, new=new
    )
    _print_added(mentorship)


@mentee_app.command("add")
@handle_errors
def mentee_add(
    person: Annotated[str, typer.Argument(help="Whom you mentor.")],
    goal: _Goals = None,
    every: _Every = None,
    since: _Since = None,
    new: _New = False,
) -> None:
    """You mentor PERSON from today or --since. Someone unknown is added, as `kith met`
    does."""
    ctx = session()
    mentorship = _add(
        ctx, mentor_name=None, mentee_name=person, goals=goal, every=every, since=since, new=new
    )
    _print_added(mentorship)


@mentor_app.command("list")
@handle_errors
def mentor_list(
    show_all: Annotated[bool, typer.Option("--all", help="Ended mentorships too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Your mentors and mentees (and mentorships between others), active first, with when
    the next session is due."""
    from kithkin.queries.mentorships import list_mentorships

    ctx = session()
    rows = list_mentorships(ctx.network, include_ended=show_all)
    if as_json:
        from kithkin.schemas.mentorships import MentorshipOut

        print_shape([MentorshipOut.of(row, ctx.today) for row in rows])
        return
    if not rows:
        out.print("No mentorships yet: `kith mentor add NAME` or `kith mentee add NAME`.")
        return
    table = Table(box=None, padding=(0, 1), show_header=False)
    for row in rows:
        table.add_row(
            refs.MENTORSHIP(row.pk),
            row.title,
            row.mentorship.status,
            _cadence_text(row.mentorship.cadence_days),
            _next_text(row, ctx.today),
            row.goals[0] if row.goals else "",
        )
    out.print(table)


@mentor_app.command("show")
@handle_errors
def mentor_show(which: _Which, as_json: JsonOption = False) -> None:
    """One mentorship: goals, status, cadence and the sessions, newest first."""
    from kithkin import clock
    from kithkin.queries.mentorships import mentorship_detail, resolve_mentorship

    ctx = session()
    mentorship = resolve_mentorship(ctx.user, ctx.network, which)
    detail = mentorship_detail(ctx.network, mentorship)
    row = detail.summary
    if as_json:
        from kithkin.schemas.mentorships import MentorshipDetailOut

        print_shape(MentorshipDetailOut.of_detail(detail, ctx.today, ctx.user.time_zone))
        return
    m = row.mentorship
    out.print(f"{refs.MENTORSHIP(m.pk)} {row.title}", style="bold")
    since = f"since {m.started_on.isoformat()}"
    ended = f", ended {m.ended_on.isoformat()}" if m.ended_on else ""
    out.print(f"{m.status} · {_cadence_text(m.cadence_days)} · {since}{ended}")
    if m.status == "active" and row.next_session_on:
        out.print(_next_text(row, ctx.today))
    out.print()
    out.print("Goals", style="bold")
    for line in row.goals or ["(none yet: `kith mentor goal`)"]:
        out.print(f"  • {line}")
    out.print()
    out.print(f"Sessions ({row.session_count})", style="bold")
    for item in detail.sessions:
        day = clock.local_date(item.occurred_at, ctx.user.time_zone)
        out.print(f"  {day.isoformat()}  {item.summary or '(no note)'}")
        if item.learned:
            out.print(f"              learned: {item.learned}")
        if item.next_questions:
            out.print(f"              ask next: {item.next_questions}")


@mentor_app.command("session")
@handle_errors
def mentor_session(
    which: _Which,
    note: Annotated[str, typer.Option("--note", help="What it was about.")] = "",
    learned: Annotated[str, typer.Option("--learned", help="What I learned.")] = "",
    ask: Annotated[str, typer.Option("--ask", help="What to ask next time.")] = "",
    on: Annotated[
        str | None, typer.Option("--on", help="When (YYYY-MM-DD, yesterday, -3d); default now.")
    ] = None,
) -> None:
    """Log a session: a meeting linked to the mentorship; the next one is due a cadence
    later."""
    from kithkin import clock
    from kithkin.queries.mentorships import mentorship_detail, resolve_mentorship
    from kithkin.services.interactions import occurred_at_on
    from kithkin.services.mentorships import log_session

    ctx = session()
    mentorship = resolve_mentorship(ctx.user, ctx.network, which)
    when = occurred_at_on(
        parse_day(on, ctx.today, "--on"),
        today=ctx.today,
        time_zone=ctx.user.time_zone,
        field="--on",
    )
    interaction = log_session(
        ctx.network, ctx.user, mentorship, occurred_at=when, note=note, learned=learned, ask=ask
    )
    row = mentorship_detail(ctx.network, mentorship).summary
    day = clock.local_date(interaction.occurred_at, ctx.user.time_zone)
    due = f"; next one due {row.next_session_on.isoformat()}" if row.next_session_on else ""
    out.print(
        f"Logged a session of {refs.MENTORSHIP(mentorship.pk)} ({row.title}) on {day.isoformat()}{due}."
    )


def _change_status(which: str, status: str, verb: str) -> None:
    from kithkin.queries.mentorships import mentorship_title, resolve_mentorship
    from kithkin.services.mentorships import set_status

    ctx = session()
    mentorship = resolve_mentorship(ctx.user, ctx.network, which)
    set_status(ctx.network, ctx.user, mentorship, status, today=ctx.today)
    out.print(f"{verb} {refs.MENTORSHIP(mentorship.pk)}: {mentorship_title(mentorship)}.")


@mentor_app.command("pause")
@handle_errors
def mentor_pause(which: _Which) -> None:
    """Pause a mentorship: no session is due until it resumes."""
    _change_status(which, "paused", "Paused")


@mentor_app.command("resume")
@handle_errors
def mentor_resume(which: _Which) -> None:
    """Resume a paused mentorship."""
    _change_status(which, "active", "Resumed")


@mentor_app.command("end")
@handle_errors
def mentor_end(which: _Which) -> None:
    """End a mentorship today; its sessions stay in the history."""
    _change_status(which, "ended", "Ended")


@mentor_app.command("goal")
@handle_errors
def mentor_goal(
    which: _Which, goal: Annotated[str, typer.Argument(help="The goal to add.")]
) -> None:
    """Add a goal line to a mentorship."""
    from kithkin.queries.mentorships import goal_lines, resolve_mentorship
    from kithkin.services.mentorships import add_goal

    ctx = session()
    mentorship = resolve_mentorship(ctx.user, ctx.network, which)
    add_goal(ctx.network, ctx.user, mentorship, goal)
    lines = goal_lines(mentorship)
    out.print(
        f"{refs.MENTORSHIP(mentorship.pk)} now has {len(lines)} goal{'s' if len(lines) != 1 else ''}:"
    )
    for line in lines:
        out.print(f"  • {line}")
