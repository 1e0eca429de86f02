"""kith draft, kith brief."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.queries.brief import Brief, Some

T = TypeVar("T")

KINDS = "follow-up, thank-you, congratulations, check-in, offer-help or opportunity"


@handle_errors
def draft(
    person: Annotated[str, typer.Argument(help="Who to write to.")],
    kind: Annotated[str | None, typer.Option(help=f"The kind of message: {KINDS}.")] = None,
    follow_up: Annotated[
        str | None,
        typer.Option("--follow-up", help="The follow-up it settles (its reference, f12)."),
    ] = None,
    exchange: Annotated[
        str | None, typer.Option(help="The exchange to thank them for (its reference, x12).")
    ] = None,
    milestone: Annotated[
        str | None,
        typer.Option(help="The milestone or challenge it is about (its reference, m12)."),
    ] = None,
    opportunity: Annotated[
        str | None, typer.Option(help="The opportunity to share (its reference, op12).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """A message to send, filled from what you know about them, ready to copy."""
    from kithkin import access
    from kithkin.models import Milestone
    from kithkin.queries.people import resolve_person
    from kithkin.services.drafts import suggested_draft, words_for

    ctx = session()
    who = resolve_person(ctx.network, person)
    item = (
        access.follow_up_for(
            ctx.user, ctx.network, refs.require_id(follow_up, refs.FOLLOW_UP, "--follow-up")
        )
        if follow_up
        else None
    )
    words = words_for(
        who,
        exchange=access.value_exchange_for(
            ctx.user, ctx.network, refs.require_id(exchange, refs.EXCHANGE, "--exchange")
        )
        if exchange
        else None,
        milestone=access.milestone_for(
            ctx.user, ctx.network, refs.require_id(milestone, refs.MILESTONE, "--milestone")
        )
        if milestone
        else None,
        opportunity=access.opportunity_for(
            ctx.user, ctx.network, refs.require_id(opportunity, refs.OPPORTUNITY, "--opportunity")
        )
        if opportunity
        else None,
    )
    if words and not kind:
        kind = "thank-you" if exchange else "opportunity" if opportunity else None
        if milestone is not None and kind is None:
            support = words.get("occasion_kind") in Milestone.SUPPORT_KINDS
            kind = "offer-help" if support else "congratulations"
    result, settles = suggested_draft(
        ctx.network, who, kind=kind.lower() if kind else None, follow_up=item, words=words
    )
    if as_json:
        from kithkin.schemas.messages import DraftOut

        print_shape(DraftOut.of(who, result, settles))
        return
    out.print(f"Subject: {result.subject}")
    out.print()
    out.print(result.body)


def _more(some: Some[Any]) -> list[str]:
    return [f"  +{some.more} more"] if some.more else []


def _day(day: dt.date, today: dt.date) -> str:
    return f"{day:%-d %b}" if day.year == today.year else f"{day:%-d %b %Y}"


def _brief_lines(brief: Brief) -> list[Text | str]:
    """The brief as short lines; a section without anything to say is left out."""
    person, today = brief.person, brief.today
    head = Text(person.full_name, style="bold")
    if person.pronouns:
        head.append(f" ({person.pronouns})")
    facts = [*brief.roles, person.location, brief.circle or ""]
    facts += [f"#{tag}" for tag in brief.tags] + (
        [f"+{brief.tags.more}"] if brief.tags.more else []
    )
    if not brief.roles and person.headline:
        facts.insert(0, person.headline)
    lines: list[Text | str] = [head + Text("".join(f" · {fact}" for fact in facts if fact))]
    if person.what_matters:
        lines.append(f"What matters: {_first(person.what_matters)}")
    met = [_first(person.how_we_met)] if person.how_we_met else []
    if brief.introduced_by:
        met.append(f"introduced by {brief.introduced_by.full_name}")
    if met:
        lines.append("How we met: " + "; ".join(met))

    def section(title: str, rows: list[str]) -> None:
        if rows:
            lines.extend(["", Text(title, style="bold"), *rows])

    count = len(brief.conversations)
    section(
        "Last time"
        + (f" ({count} of {brief.interaction_count})" if brief.interaction_count > count else ""),
        [
            row
            for c in brief.conversations
            for row in [
                f"  {_day(c.on, today)} {c.kind}" + (f": {c.summary}" if c.summary else ""),
                *([f"    learned: {c.learned}"] if c.learned else []),
            ]
        ],
    )
    section(
        "Ask",
        [f"  • {q.text} (noted {_day(q.asked_on, today)})" for q in brief.questions]
        + _more(brief.questions),
    )
    section(
        "I owe them",
        [
            f"  {refs.FOLLOW_UP(f.pk)} {f.title} · due {_day(f.due_on, today)}"
            + (" (late)" if f.due_on < today else "")
            for f in brief.follow_ups
        ]
        + _more(brief.follow_ups),
    )
    section(
        "Coming up",
        [f"  {_day(u.on, today)} {u.title} ({_in_days(u.days)})" for u in brief.upcoming]
        + _more(brief.upcoming),
    )
    shared = []
    if brief.organizations:
        shared.append(
            "  Organizations: "
            + ", ".join(o.name for o in brief.organizations)
            + (f" +{brief.organizations.more} more" if brief.organizations.more else "")
        )
    if brief.events:
        shared.append(
            "  Events: "
            + ", ".join(e.name for e in brief.events)
            + (f" +{brief.events.more} more" if brief.events.more else "")
        )
    section("In common", shared)
    section(
        "People we both know",
        [f"  {c.person.full_name}: {c.why}" for c in brief.connections] + _more(brief.connections),
    )
    if brief.balance:
        lines += [
            "",
            f"Value: {brief.balance.sentence}",
        ]
    if brief.strength:
        lines += [
            "",
            f"Strength: {brief.strength.score}/100 {brief.strength.arrow} "
            f"({brief.strength.explanation})",
        ]
    return lines


def _in_days(days: int) -> str:
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def _first(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


@handle_errors
def brief(
    person: Annotated[str, typer.Argument(help="Who you are about to meet.")],
    as_json: JsonOption = False,
) -> None:
    """The prep brief: what to remember before meeting them, on one screen."""
    from kithkin.queries.brief import prep_brief
    from kithkin.queries.people import resolve_person

    ctx = session()
    who = resolve_person(ctx.network, person, include_archived=True)
    result = prep_brief(ctx.network, who, ctx.today)
    if as_json:
        from kithkin.schemas.brief import BriefOut

        print_shape(BriefOut.of(result))
        return
    for line in _brief_lines(result):
        out.print(line)


# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {"draft": draft, "brief": brief}
GROUPS: dict[str, typer.Typer] = {}
