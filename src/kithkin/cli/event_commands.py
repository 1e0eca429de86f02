"""`kith event add|list|show|edit|follow-up`, `kith met`: events and the people met there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.cli.person_choice import known_or_new
from kithkin.errors import InvalidInput

if TYPE_CHECKING:
    from kithkin.cli.context import Session
    from kithkin.models import Event

event_app = typer.Typer(
    help="Events I go to (conferences, meetups, webinars...) and the people I met there.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_EventArg = Annotated[
    str, typer.Argument(help="The event: its name (or a unique start), or its reference (e12).")
]


def _event(ctx: Session, text: str) -> Event:
    from kithkin import access
    from kithkin.queries.events import resolve_event

    number = refs.id_of(text, refs.EVENT, "event")
    if number is not None:
        return access.event_for(ctx.user, ctx.network, number)
    return resolve_event(ctx.network, text)


def _when(event: Event) -> str:
    if event.ends_on:
        return f"{event.starts_on} → {event.ends_on}"
    return str(event.starts_on)


def _fields(
    *,
    name: str,
    kind: str,
    start: str,
    end: str | None,
    location: str,
    url: str,
    organizer: str,
    status: str,
    tag: list[str] | None,
    note: str,
    ctx: Session,
) -> Any:
    from kithkin.services.events import EventFields

    starts_on = parse_day(start, ctx.today, "--start")
    assert starts_on is not None
    return EventFields(
        name=name,
        kind=kind.lower(),
        starts_on=starts_on,
        ends_on=parse_day(end, ctx.today, "--end"),
        location=location,
        url=url,
        organizer=organizer,
        status=status.lower(),
        notes=note,
        tags=tag or [],
    )


@event_app.command("add")
@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="The event's name, e.g. 'PyCon US 2027'.")],
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD, today, +3w).")],
    kind: Annotated[
        str, typer.Option(help="conference, workshop, seminar, meetup, webinar or social.")
    ] = "meetup",
    end: Annotated[str | None, typer.Option(help="Last day, for a multi-day event.")] = None,
    location: Annotated[str, typer.Option(help="Where it takes place.")] = "",
    url: Annotated[str, typer.Option(help="Its web page (https://...).")] = "",
    organizer: Annotated[
        str, typer.Option(help="The organization behind it (found or added by name).")
    ] = "",
    status: Annotated[str, typer.Option(help="interested, going or attended.")] = "interested",
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    note: Annotated[str, typer.Option(help="Notes (Markdown).")] = "",
    as_json: JsonOption = False,
) -> None:
    """Add an event."""
    from kithkin.services.events import add_event

    ctx = session()
    event = add_event(
        ctx.network,
        ctx.user,
        _fields(
            name=name,
            kind=kind,
            start=start,
            end=end,
            location=location,
            url=url,
            organizer=organizer,
            status=status,
            tag=tag,
            note=note,
            ctx=ctx,
        ),
    )
    if as_json:
        from kithkin.schemas.events import EventOut

        print_shape(EventOut.of(event, people_met=0))
        return
    where = f", {event.location}" if event.location else ""
    out.print(
        f"Added event {refs.EVENT(event.pk)} {event.name} ({event.kind}, {_when(event)}{where})."
    )


@event_app.command("edit")
@handle_errors
def edit(
    event: _EventArg,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    kind: Annotated[str | None, typer.Option(help="conference, workshop, meetup...")] = None,
    start: Annotated[str | None, typer.Option(help="First day.")] = None,
    end: Annotated[str | None, typer.Option(help="Last day ('' for a one-day event).")] = None,
    location: Annotated[str | None, typer.Option(help="Where it takes place.")] = None,
    url: Annotated[str | None, typer.Option(help="Its web page.")] = None,
    organizer: Annotated[str | None, typer.Option(help="The organization behind it.")] = None,
    status: Annotated[str | None, typer.Option(help="interested, going or attended.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option(help="A tag (repeatable); replaces the tags.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Notes (Markdown); replaces them.")] = None,
) -> None:
    """Change an event; options not given stay as they are."""
    from kithkin.services.events import update_event

    ctx = session()
    found = _event(ctx, event)
    fields = _fields(
        name=found.name if name is None else name,
        kind=found.kind if kind is None else kind,
        start=start or found.starts_on.isoformat(),
        end=(found.ends_on.isoformat() if found.ends_on else None) if end is None else end or None,
        location=found.location if location is None else location,
        url=found.url if url is None else url,
        organizer=(found.organizer.name if found.organizer else "")
        if organizer is None
        else organizer,
        status=found.status if status is None else status,
        tag=list(found.tags.values_list("name", flat=True)) if tag is None else tag,
        note=found.notes if note is None else note,
        ctx=ctx,
    )
    updated = update_event(ctx.network, ctx.user, found, fields)
    out.print(
        f"Saved event {refs.EVENT(updated.pk)} {updated.name} ({updated.kind}, {_when(updated)})."
    )


@event_app.command("list")
@handle_errors
def list_(
    upcoming: Annotated[
        bool, typer.Option("--upcoming", help="Only events to come (or going on).")
    ] = False,
    past: Annotated[bool, typer.Option("--past", help="Only events that are over.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List events: upcoming first (soonest first), then past ones (latest first)."""
    from kithkin.queries.events import list_events

    if upcoming and past:
        raise InvalidInput("--upcoming", "give --upcoming or --past, not both")
    ctx = session()
    result = list_events(ctx.network, ctx.today)
    groups = [("Upcoming", result.upcoming), ("Past", result.past)]
    if upcoming:
        groups = groups[:1]
    if past:
        groups = groups[1:]
    if as_json:
        from kithkin.schemas.events import EventListOut, EventOut

        shown = {label.lower(): [EventOut.of_row(row) for row in rows] for label, rows in groups}
        print_shape(EventListOut(upcoming=shown.get("upcoming"), past=shown.get("past")))
        return
    if not any(rows for _, rows in groups):
        out.print("No events yet: `kith event add NAME --start DATE` adds one.")
        return
    for label, rows in groups:
        if not rows:
            continue
        table = Table(
            title=f"{label} ({len(rows)})",
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
        )
        for row in rows:
            e = row.event
            table.add_row(
                refs.EVENT(e.pk),
                e.name,
                e.kind,
                _when(e),
                e.location,
                e.status,
                f"{row.met_count} met" if row.met_count else "",
            )
        out.print(table)


@event_app.command("show")
@handle_errors
def show(event: _EventArg, as_json: JsonOption = False) -> None:
    """An event: details, who I met there and where each follow-up stands."""
    from kithkin.queries.events import event_page

    ctx = session()
    page = event_page(ctx.network, _event(ctx, event))
    if as_json:
        from kithkin.schemas.events import EventDetailOut

        print_shape(EventDetailOut.of_page(page))
        return
    e = page.event
    out.print(Text.assemble((e.name, "bold"), f" ({refs.EVENT(e.pk)})"))
    facts = Table(show_header=False, box=None, padding=(0, 1))
    facts.add_column(style="dim")
    for label, value in (
        ("kind", e.kind),
        ("when", _when(e)),
        ("where", e.location),
        ("url", e.url),
        ("organizer", e.organizer.name if e.organizer else ""),
        ("status", e.status),
        ("tags", ", ".join(page.tags)),
        ("notes", e.notes),
    ):
        if value:
            facts.add_row(label, value)
    out.print(facts)
    out.print()
    out.print(Text.assemble(("Met there", "bold"), f" ({len(page.met)})"))
    if not page.met:
        out.print(f'  No one yet: kith met NAME --at "{e.name}"')
    table = Table(show_header=False, box=None, padding=(0, 1))
    for row in page.met:
        follow = {
            "open": f"follow-up {refs.FOLLOW_UP(row.follow_up.pk)} due {row.follow_up.due_on}"
            if row.follow_up
            else "",
            "done": "followed up",
            "none": "no follow-up yet",
        }[row.follow_up_status]
        table.add_row(f"  {row.person.name}", row.note, follow)
    out.print(table)


@event_app.command("follow-up")
@handle_errors
def follow_up(
    event: _EventArg,
    person: Annotated[str, typer.Argument(help="Someone I met there (a name or an email).")],
) -> None:
    """Owe someone met at an event a follow-up within 48 hours, with a draft."""
    from kithkin.queries.people import resolve_person
    from kithkin.services.events import follow_up_after_meeting

    ctx = session()
    found = _event(ctx, event)
    who = resolve_person(ctx.network, person)
    item, created = follow_up_after_meeting(ctx.network, ctx.user, found, who)
    if not created:
        out.print(
            f"Follow-up {refs.FOLLOW_UP(item.pk)} is already open for {who.full_name} (due {item.due_on})."
        )
        return
    out.print(f"Follow-up {refs.FOLLOW_UP(item.pk)} due {item.due_on}: {item.title}.")
    _print_draft(item.draft)


def _print_draft(draft: str) -> None:
    out.print("Draft:")
    for line in draft.splitlines():
        out.print(f"  {line}" if line else "")


@handle_errors
def met(
    name: Annotated[str, typer.Argument(help="Who I met: their full name.")],
    at: Annotated[str, typer.Option(help="The event (its name, a unique start, or e12).")],
    note: Annotated[str, typer.Option(help="What we talked about.")] = "",
    email: Annotated[str, typer.Option(help="Their email (finds or describes them).")] = "",
    org: Annotated[str, typer.Option(help="Where they work (someone new).")] = "",
    on: Annotated[
        str | None,
        typer.Option(help="When we met (default today, or the event's last day once over)."),
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="Someone new, even if the name is close to someone known.")
    ] = False,
) -> None:
    """Record meeting someone at an event: a follow-up within 48 hours, with a draft."""
    from kithkin import clock
    from kithkin.services.events import meet_at_event

    ctx = session()
    event = _event(ctx, at)
    day = parse_day(on, ctx.today, "--on")

    def meet(**who: Any) -> Any:
        return meet_at_event(
            ctx.network, ctx.user, event, note=note, email=email, organization=org, on=day, **who
        )

    result = known_or_new(name, meet, new=new, question="Did you meet", purpose="the one you met")
    person = result.person
    shown_day = clock.local_date(result.interaction.occurred_at, ctx.network.time_zone)
    if result.created:
        out.print(
            f"Added {person.full_name} ({refs.PERSON(person.pk)}); met at {event.name} on {shown_day}."
        )
    else:
        out.print(
            f"Met {person.full_name} ({refs.PERSON(person.pk)}) at {event.name} on {shown_day}."
        )
    out.print("Logged an event conversation" + (f": {note}" if note else "") + ".")
    if result.how_we_met_set:
        out.print(f"How we met: {person.how_we_met}.")
    follow = result.follow_up
    assert follow is not None
    if not result.follow_up_created:
        out.print(
            f"Follow-up {refs.FOLLOW_UP(follow.pk)} from {event.name} is already open (due {follow.due_on})."
        )
        return
    out.print(f"Follow-up {refs.FOLLOW_UP(follow.pk)} due {follow.due_on}: {follow.title}.")
    _print_draft(follow.draft)


# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {"met": met}
GROUPS: dict[str, typer.Typer] = {"event": event_app}
