"""`kith add`, `show`, `find`, `people`, `edit`: the people in the network."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import err, handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.errors import InvalidInput

if TYPE_CHECKING:
    from kithkin.cli.context import Session
    from kithkin.models import ContactPoint, Person


@handle_errors
def add(
    name: Annotated[str, typer.Argument(help="Their full name.")],
    email: Annotated[list[str] | None, typer.Option(help="An email address (repeatable).")] = None,
    phone: Annotated[
        list[str] | None, typer.Option(help="A phone number, +country code (repeatable).")
    ] = None,
    url: Annotated[
        list[str] | None, typer.Option(help="A profile or website (repeatable).")
    ] = None,
    org: Annotated[str, typer.Option(help="Where they work.")] = "",
    title: Annotated[str, typer.Option(help="Their job title.")] = "",
    circle: Annotated[str, typer.Option(help="close, regular, occasional, acquaintance...")] = "",
    every: Annotated[
        str | None, typer.Option(help="Check in this often (30d, 6w, 3m), overriding the circle.")
    ] = None,
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    met: Annotated[str, typer.Option(help="How we met.")] = "",
    matters: Annotated[str, typer.Option(help="What matters to them.")] = "",
    note: Annotated[str, typer.Option(help="Notes (Markdown).")] = "",
    location: Annotated[str, typer.Option(help="Where they live or work.")] = "",
    connected: Annotated[str | None, typer.Option(help="When we connected (YYYY-MM-DD).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Add a person to the network."""
    from kithkin.dates import parse_every
    from kithkin.queries.people import person_card
    from kithkin.services.people import NewPerson, add_person

    ctx = session()
    person = add_person(
        ctx.network,
        ctx.user,
        NewPerson(
            full_name=name,
            emails=email or [],
            phones=phone or [],
            urls=url or [],
            organization=org,
            title=title,
            circle=circle,
            cadence_days=parse_every(every, "--every").approx_days if every else None,
            tags=tag or [],
            how_we_met=met,
            what_matters=matters,
            notes=note,
            location=location,
            connected_on=parse_day(connected, ctx.today, "--connected"),
        ),
    )
    if as_json:
        from kithkin.schemas.people import PersonCardOut

        card = person_card(ctx.network, person, ctx.today)
        print_shape(PersonCardOut.of(card, ctx.network.time_zone))
        return
    due = f"; first check-in due {person.check_in_due_on}" if person.check_in_due_on else ""
    out.print(f"Added {person.full_name} ({refs.PERSON(person.pk)}){due}.")
    if person.effective_cadence_days is None and person.circle is None:
        err.print(
            f"Warning: {person.full_name} has no circle and will never be due for a check-in: "
            f"`kith edit {refs.PERSON(person.pk)} --circle regular`, or choose the circle new people join "
            "with `kith circles --new-people`."
        )


def _role_text(person: Person) -> str:
    """'CTO at Analytical Engines': their current affiliation, or ''."""
    current = person.current_affiliation
    if current is None:
        return ""
    return " at ".join(x for x in (current.title, current.organization.name) if x)


def _point_text(point: ContactPoint) -> str:
    """A contact point on one line, as `kith show` prints it: an address's lines joined by
    commas, a label in parentheses, an unverified phone said to be one."""
    text = point.value.replace("\n", ", ")
    if point.label and point.kind in ("address", "chat"):
        text += f" ({point.label})"
    if point.is_unverified:
        text += " (unverified: not read as a phone number)"
    return text


@handle_errors
def show(
    person: Annotated[str, typer.Argument(help="A name (fuzzy), an email, or 'me'.")],
    as_json: JsonOption = False,
) -> None:
    """The person card: who they are, how to reach them, timeline, follow-ups, due date."""
    from kithkin import clock
    from kithkin.queries.people import person_card, resolve_person

    ctx = session()
    card = person_card(
        ctx.network, resolve_person(ctx.network, person, include_archived=True), ctx.today
    )
    zone = ctx.network.time_zone
    if as_json:
        from kithkin.schemas.people import PersonCardOut

        print_shape(PersonCardOut.of(card, zone))
        return
    p = card.person
    out.print(Text.assemble((p.full_name, "bold"), f" ({p.pronouns})" if p.pronouns else ""))
    for line in (
        p.headline,
        *(str(a) + ("" if a.is_current else f" (until {a.end_on})") for a in card.affiliations),
        p.location,
    ):
        if line:
            out.print(f"  {line}")
    facts = Table(show_header=False, box=None, padding=(0, 1))
    facts.add_column(style="dim")
    for point in card.contact_points:
        facts.add_row(point.service_name or point.get_kind_display(), _point_text(point))
    if card.tags:
        facts.add_row("tags", ", ".join(card.tags))
    facts.add_row("circle", card.circle or "none")
    facts.add_row(
        "check-in",
        (f"due {card.check_in.due_on} · " if card.check_in.due_on else "") + card.check_in.reason,
    )
    for label, text in (
        ("how we met", p.how_we_met),
        ("what matters", p.what_matters),
        ("notes", p.notes),
    ):
        if text:
            facts.add_row(label, text)
    for relation in card.relationships:
        facts.add_row("knows", relation)
    out.print(facts)
    if card.open_follow_ups:
        out.print()
        out.print("Open follow-ups", style="bold")
        for item in card.open_follow_ups:
            out.print(f"  {refs.FOLLOW_UP(item.pk)} {item.title} · due {item.due_on}")
    out.print()
    out.print(Text.assemble(("Timeline", "bold"), f" ({card.interaction_count})"))
    if not card.timeline:
        out.print("  No interactions yet.")
    timeline = Table(show_header=False, box=None, padding=(0, 1))
    timeline.add_column(no_wrap=True)
    timeline.add_column(no_wrap=True)
    timeline.add_column()
    for entry in card.timeline:
        i = entry.interaction
        summary = i.summary + (f" (with {', '.join(entry.others)})" if entry.others else "")
        timeline.add_row(str(clock.local_date(i.occurred_at, zone)), i.get_kind_display(), summary)
        if i.learned:
            timeline.add_row("", "", Text.assemble(("learned: ", "dim"), i.learned))
        if i.next_questions:
            timeline.add_row("", "", Text.assemble(("ask next time: ", "dim"), i.next_questions))
    out.print(timeline)


@handle_errors
def find(
    query: Annotated[
        str, typer.Argument(help="Words to look for in names, organizations, emails, tags, notes.")
    ],
    limit: Annotated[int, typer.Option(min=1, max=500)] = 25,
    as_json: JsonOption = False,
) -> None:
    """Search people by name, organization, email, tag, notes and conversations."""
    from kithkin import clock
    from kithkin.queries.search import search

    ctx = session()
    results = search(ctx.network, query, limit=limit)
    if as_json:
        from kithkin.schemas.search import SearchOut

        print_shape(SearchOut.of(results, ctx.network.time_zone))
        return
    if not results.people and not results.organizations:
        out.print(f"Nothing matches {query!r}.")
        return
    table = Table(show_header=False, box=None, padding=(0, 1))
    for hit in results.people:
        where = _role_text(hit.person) or hit.person.headline
        because = ", ".join(hit.matched)
        if hit.interaction is not None:
            day = clock.local_date(hit.interaction.occurred_at, ctx.network.time_zone)
            because += f" ({day}: {hit.interaction.summary[:60]})"
        table.add_row(
            refs.PERSON(hit.person.pk), hit.person.full_name, where, Text(because, style="dim")
        )
    out.print(table)
    if results.organizations:
        out.print("Organizations: " + ", ".join(o.name for o in results.organizations))


@handle_errors
def people(
    circle: Annotated[str | None, typer.Option(help="Only this circle.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only people with this tag.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Only people due for a check-in.")] = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    set_circle: Annotated[
        str | None,
        typer.Option("--set-circle", help="Move everyone matching into this circle."),
    ] = None,
    add_tag: Annotated[str | None, typer.Option("--add-tag", help="Tag everyone matching.")] = None,
    remove_tag: Annotated[
        str | None, typer.Option("--remove-tag", help="Take this tag off everyone matching.")
    ] = None,
    archive: Annotated[bool, typer.Option("--archive", help="Archive everyone matching.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List people, most overdue first when --due; or change everyone matching at once."""
    from kithkin.queries.people_list import list_people

    ctx = session()
    actions = [a for a in (set_circle, add_tag, remove_tag) if a is not None] + (
        ["archive"] if archive else []
    )
    if len(actions) > 1:
        raise InvalidInput("--set-circle", "give one change at a time")
    if actions:
        _change_everyone(
            ctx,
            circle=circle,
            tag=tag,
            due=due,
            set_circle=set_circle,
            add_tag=add_tag,
            remove_tag=remove_tag,
            archive=archive,
            as_json=as_json,
        )
        return
    rows = list_people(ctx.network, ctx.today, circle=circle, tag=tag, due_only=due, limit=limit)
    if as_json:
        from kithkin.schemas.people import PersonRowOut

        print_shape([PersonRowOut.of_row(row) for row in rows])
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("ref", "name", "role", "circle", "check-in"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            refs.PERSON(row.person.pk),
            row.person.full_name,
            _role_text(row.person),
            row.person.circle.name if row.person.circle else "",
            row.status.reason,
        )
    out.print(table)


def _change_everyone(
    ctx: Any,
    *,
    circle: str | None,
    tag: str | None,
    due: bool,
    set_circle: str | None,
    add_tag: str | None,
    remove_tag: str | None,
    archive: bool,
    as_json: bool,
) -> None:
    """`kith people FILTERS --set-circle/--add-tag/--remove-tag/--archive`: one service
    call on everyone the filters match (not only the first --limit)."""
    from kithkin.queries.people_list import PeopleFilter, matching_people
    from kithkin.services import people_bulk

    filters = PeopleFilter(circle=circle or "", tag=tag or "", status="due" if due else "")
    matching = matching_people(ctx.network, ctx.today, filters)
    if set_circle is not None:
        changed = people_bulk.set_circle(ctx.network, ctx.user, matching, set_circle)
        done = f"moved to {set_circle}"
    elif add_tag is not None:
        changed = people_bulk.add_tag(ctx.network, ctx.user, matching, add_tag)
        done = f"tagged {add_tag}"
    elif remove_tag is not None:
        changed = people_bulk.remove_tag(ctx.network, ctx.user, matching, remove_tag)
        done = f"untagged {remove_tag}"
    else:
        changed = people_bulk.archive(ctx.network, ctx.user, matching)
        done = "archived"
    if as_json:
        from kithkin.schemas.people import ChangedOut

        print_shape(ChangedOut(changed=changed))
        return
    out.print(f"{changed} {'person' if changed == 1 else 'people'} {done}.")


@handle_errors
def edit(
    person: Annotated[str, typer.Argument(help="Who (fuzzy name or email).")],
    name: Annotated[str | None, typer.Option(help="Their full name, corrected.")] = None,
    first: Annotated[str | None, typer.Option(help="Their given name.")] = None,
    last: Annotated[str | None, typer.Option(help="Their family name.")] = None,
    email: Annotated[list[str] | None, typer.Option(help="Add an email (repeatable).")] = None,
    remove_email: Annotated[
        list[str] | None, typer.Option("--remove-email", help="Remove an email (repeatable).")
    ] = None,
    phone: Annotated[list[str] | None, typer.Option(help="Add a phone (repeatable).")] = None,
    remove_phone: Annotated[
        list[str] | None, typer.Option("--remove-phone", help="Remove a phone (repeatable).")
    ] = None,
    job: Annotated[
        str | None, typer.Option(help='A current job: "Title at Organization" (or just one).')
    ] = None,
    org: Annotated[str | None, typer.Option(help="A current job at this organization.")] = None,
    title: Annotated[str | None, typer.Option(help="The title of the --org job.")] = None,
    end_job: Annotated[
        str | None, typer.Option("--end-job", help="End their current job at this organization.")
    ] = None,
    circle: Annotated[str | None, typer.Option(help="Move to this circle.")] = None,
    every: Annotated[str | None, typer.Option(help="Check in this often (30d, 6w, 3m).")] = None,
    circle_cadence: Annotated[
        bool, typer.Option("--circle-cadence", help="Drop the override; follow the circle.")
    ] = False,
    url: Annotated[
        list[str] | None,
        typer.Option(help="Add a profile (LinkedIn, GitHub, Mastodon, X...) or website."),
    ] = None,
) -> None:
    """Change a person's names, emails, phones, jobs, circle or check-in cadence; add
    profiles and websites. All or nothing."""
    from django.db import transaction

    from kithkin.dates import parse_every
    from kithkin.queries.people import resolve_person

    ctx = session()
    who = resolve_person(ctx.network, person)
    if job is not None and (org is not None or title is not None):
        raise InvalidInput("--job", "give either --job or --org/--title, not both")
    if title is not None and org is None:
        raise InvalidInput("--title", "say where with --org")
    new_job = _job(job) if job is not None else ((org, title or "") if org is not None else None)
    cadence = parse_every(every, "--every").approx_days if every else None
    with transaction.atomic():
        lines = _edit(ctx, who, name, first, last, email, remove_email, phone, remove_phone, url)
        lines += _edit_jobs(ctx, who, new_job, end_job)
        if circle is not None or cadence is not None or circle_cadence or not lines:
            lines.append(_edit_cadence(ctx, who, circle, cadence, circle_cadence))
    for line in lines:
        out.print(line, highlight=False)


def _job(text: str) -> tuple[str, str]:
    """(organization, title) of "Title at Organization"; a text without " at " is the
    organization alone."""
    title, at, organization = text.partition(" at ")
    return (organization, title) if at else (text, "")


def _edit(
    ctx: Session,
    who: Person,
    name: str | None,
    first: str | None,
    last: str | None,
    emails: list[str] | None,
    removed_emails: list[str] | None,
    phones: list[str] | None,
    removed_phones: list[str] | None,
    urls: list[str] | None,
) -> list[str]:
    """Names and contact points, through the people and contact-point services."""
    from kithkin.services.contact_points import add_contact_point, remove_contact_value
    from kithkin.services.people import PersonChanges, update_person

    lines = []
    for kind, option, removed in (
        ("email", "--remove-email", removed_emails),
        ("phone", "--remove-phone", removed_phones),
    ):
        for value in removed or []:
            with _named({kind: option}):
                point = remove_contact_value(ctx.network, ctx.user, who, kind=kind, value=value)
            lines.append(f"Removed {kind} {point.value}.")
    for kind, option, added in (("email", "--email", emails), ("phone", "--phone", phones)):
        for value in added or []:
            with _named({kind: option}):
                point = add_contact_point(ctx.network, ctx.user, who, kind=kind, value=value)
            lines.append(f"Added {kind} {point.value}.")
    for value in urls or []:
        with _named({"url": "--url"}):
            point = add_contact_point(ctx.network, ctx.user, who, kind="url", value=value)
        lines.append(f"Added {point.service or point.get_kind_display()} {point.value}.")
    if name is not None or first is not None or last is not None:
        before = who.full_name
        with _named({"full_name": "--name", "given_name": "--first", "family_name": "--last"}):
            update_person(
                ctx.network,
                ctx.user,
                who,
                PersonChanges(full_name=name, given_name=first, family_name=last),
            )
        renamed = f"Renamed {before} to {who.full_name}" if who.full_name != before else ""
        lines.append(
            (renamed or f"Saved {who.full_name}")
            + f" (given name {who.given_name or '-'}, family name {who.family_name or '-'})."
        )
    return lines


def _edit_jobs(
    ctx: Session, who: Person, new_job: tuple[str, str] | None, end_job: str | None
) -> list[str]:
    from kithkin.services.affiliations import add_affiliation, end_job_at

    lines = []
    if end_job is not None:
        with _named({"organization": "--end-job", "end_on": "--end-job"}):
            ended = end_job_at(ctx.network, ctx.user, who, end_job, end_on=ctx.today)
        lines += [f"Ended job: {job} on {job.end_on}." for job in ended]
    if new_job is not None:
        organization, title = new_job
        with _named({"organization": "--org", "title": "--title"}):
            added = add_affiliation(
                ctx.network, ctx.user, who, organization=organization, title=title
            )
        lines.append(f"Added job: {added}.")
    return lines


def _edit_cadence(
    ctx: Session, who: Person, circle: str | None, cadence: int | None, circle_cadence: bool
) -> str:
    from kithkin.services.people import set_cadence

    updated = set_cadence(
        ctx.network,
        ctx.user,
        who,
        circle=circle,
        cadence_days=cadence,
        clear_cadence=circle_cadence,
    )
    due = (
        f"next check-in due {updated.check_in_due_on}"
        if updated.check_in_due_on
        else "no check-in cadence"
    )
    return f"{updated.full_name}: {updated.circle.name if updated.circle else 'no circle'}, {due}."


@contextmanager
def _named(options: dict[str, str]) -> Iterator[None]:
    """Name a service's field as the option the user typed."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field in options:
            raise InvalidInput(options[exc.field], exc.message) from None
        raise
