"""kith opp, kith share: the opportunity board, matching, sharing and the who-you-know report.

Sharing is one command: `kith share REF PERSON` tells someone about an opportunity; run it
again with `--outcome` to record what came of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import handle_errors, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.models import Opportunity


opp_app = typer.Typer(
    help="Opportunities: jobs, clients, talks, grants — for me or to share.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"opp": opp_app}
_OpportunityRef = Annotated[
    str, typer.Argument(metavar="REF", help="The opportunity's reference (op12, or its number).")
]


# --- commands -----------------------------------------------------------------------------


def _describe(item: Opportunity) -> str:
    parts = [item.kind]
    if item.organization:
        parts.append(f"at {item.organization.name}")
    parts.append("for me" if item.for_me else "to share")
    if item.source:
        parts.append(f"from {item.source.full_name}")
    if item.deadline:
        parts.append(f"deadline {item.deadline.isoformat()}")
    return ", ".join(parts)


@opp_app.command("add")
@handle_errors
def add(
    title: Annotated[str, typer.Argument(help="What it is: 'Staff engineer at Babbage'.")],
    kind: Annotated[
        str, typer.Option(help="job, client, deal, event, speaking, grant or collaboration.")
    ] = "job",
    org: Annotated[str, typer.Option(help="The organization it is at or for.")] = "",
    tag: Annotated[
        list[str] | None, typer.Option(help="A tag or skill (repeatable): rust, compilers.")
    ] = None,
    url: Annotated[str, typer.Option(help="Where to read more (http:// or https://).")] = "",
    deadline: Annotated[str | None, typer.Option(help="Apply by (YYYY-MM-DD, +2w).")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="Who brought it (a name or an email).")
    ] = None,
    for_me: Annotated[bool, typer.Option("--for-me", help="It is for me, not to share.")] = False,
    description: Annotated[str, typer.Option(help="More about it.")] = "",
    as_json: JsonOption = False,
) -> None:
    """Record an opportunity, and who brought it."""
    from kithkin.queries.people import resolve_person
    from kithkin.services.opportunities import NewOpportunity, add_opportunity

    ctx = session()
    due = parse_day(deadline, ctx.today, "--deadline")
    source = resolve_person(ctx.network, from_) if from_ else None
    item = add_opportunity(
        ctx.network,
        ctx.user,
        NewOpportunity(
            title=title,
            kind=kind,
            organization=org,
            tags=tag or [],
            url=url,
            deadline=due,
            source=source,
            for_me=for_me,
            description=description,
        ),
    )
    if as_json:
        from kithkin.schemas.opportunities import OpportunityDetailOut

        print_shape(OpportunityDetailOut.of_detail(item, ctx.user.time_zone, shares=[]))
        return
    out.print(f"Opportunity {refs.OPPORTUNITY(item.pk)}: {item.title} ({_describe(item)}).")
    if not item.for_me:
        out.print(f"`kith opp match {refs.OPPORTUNITY(item.pk)}` shows who would want it.")


@opp_app.command("list")
@handle_errors
def list_(
    status: Annotated[
        str | None,
        typer.Option(help="Only this status: open, shared, pursuing, won, lost, closed."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Won, lost and closed ones too.")] = False,
    as_json: JsonOption = False,
) -> None:
    """The opportunity board: open, shared and pursuing ones, soonest deadline first."""
    from kithkin.errors import InvalidInput
    from kithkin.models import Opportunity
    from kithkin.queries.opportunities import board

    ctx = session()
    wanted = (status or "").strip().lower()
    if wanted and wanted not in Opportunity.Status.values:
        raise InvalidInput(
            "--status", f"{wanted!r} is not one of: {', '.join(Opportunity.Status.values)}"
        )
    items = list(board(ctx.network, status=wanted, show_all=show_all))
    if as_json:
        from kithkin.schemas.opportunities import OpportunityOut

        print_shape([OpportunityOut.of(item, ctx.user.time_zone) for item in items])
        return
    if not items:
        out.print("No opportunities yet: `kith opp add TITLE` records one.")
        return
    table = Table(box=None, padding=(0, 1), show_header=True, header_style="bold")
    for column in ("ref", "title", "kind", "status", "from", "deadline"):
        table.add_column(column)
    for item in items:
        table.add_row(
            refs.OPPORTUNITY(item.pk),
            item.title + (" (for me)" if item.for_me else ""),
            item.kind,
            item.status,
            item.source.full_name if item.source else "",
            item.deadline.isoformat() if item.deadline else "",
        )
    out.print(table)


@opp_app.command("show")
@handle_errors
def show(
    opportunity_id: _OpportunityRef,
    as_json: JsonOption = False,
) -> None:
    """One opportunity: what it is, who brought it, whom I shared it with and what came of it."""
    from kithkin import access, clock
    from kithkin.queries.opportunities import opportunity_detail

    ctx = session()
    item = access.opportunity_for(
        ctx.user, ctx.network, refs.require_id(opportunity_id, refs.OPPORTUNITY, "opportunity")
    )
    detail = opportunity_detail(ctx.network, item)
    if as_json:
        from kithkin.schemas.opportunities import OpportunityDetailOut

        print_shape(
            OpportunityDetailOut.of_detail(
                item, ctx.user.time_zone, tags=detail.tags, shares=detail.shares
            )
        )
        return
    out.print(
        Text.assemble((f"{refs.OPPORTUNITY(item.pk)} {item.title}", "bold"), f" · {item.status}")
    )
    out.print(_describe(item))
    if detail.tags:
        out.print("Tags: " + ", ".join(detail.tags))
    if item.url:
        out.print(item.url)
    if item.description:
        out.print(item.description)
    if detail.shares:
        out.print()
        out.print("Shared with", style="bold")
        for share in detail.shares:
            on = clock.local_date(share.shared_at, ctx.user.time_zone)
            note = f" · {share.note}" if share.note else ""
            out.print(
                f"  share #{share.pk} {share.person.full_name} on {on.isoformat()}: "
                f"{share.get_outcome_display().lower()}{note}"
            )


@opp_app.command("status")
@handle_errors
def status(
    opportunity_id: _OpportunityRef,
    new_status: Annotated[
        str,
        typer.Argument(metavar="STATUS", help="open, shared, pursuing, won, lost or closed."),
    ],
) -> None:
    """Change an opportunity's status: pursuing it, won, lost, closed."""
    from kithkin import access
    from kithkin.services.opportunities import set_status

    ctx = session()
    item = access.opportunity_for(
        ctx.user, ctx.network, refs.require_id(opportunity_id, refs.OPPORTUNITY, "opportunity")
    )
    set_status(ctx.network, ctx.user, item, new_status)
    out.print(f"{refs.OPPORTUNITY(item.pk)} {item.title} is now {item.status}.")


@opp_app.command("match")
@handle_errors
def match(
    opportunity_id: _OpportunityRef,
    limit: Annotated[int, typer.Option(help="How many people to list.", min=1, max=100)] = 10,
    as_json: JsonOption = False,
) -> None:
    """Who in the network would most want it, and why."""
    from kithkin import access
    from kithkin.queries.matching import match_people

    ctx = session()
    item = access.opportunity_for(
        ctx.user, ctx.network, refs.require_id(opportunity_id, refs.OPPORTUNITY, "opportunity")
    )
    matches = match_people(ctx.network, item, limit=limit)
    if as_json:
        from kithkin.schemas.opportunities import MatchesOut

        print_shape(MatchesOut.of(item, matches))
        return
    if not matches:
        out.print(
            f"No one matches {refs.OPPORTUNITY(item.pk)} {item.title} yet: add tags to it, or to people."
        )
        return
    table = Table(
        title=f"Who would want {refs.OPPORTUNITY(item.pk)} {item.title}",
        title_justify="left",
        box=None,
        padding=(0, 1),
        show_header=False,
    )
    for m in matches:
        table.add_row(
            refs.PERSON(m.person.pk),
            m.person.full_name,
            f"{m.score:g}",
            "; ".join(m.reasons),
            style="dim" if m.already_shared else None,
        )
    out.print(table)
    fresh = next((m for m in matches if not m.already_shared), None)
    if fresh is not None:
        out.print(
            f'`kith share {refs.OPPORTUNITY(item.pk)} "{fresh.person.full_name}"` tells them.'
        )


@opp_app.command("report")
@handle_errors
def report(
    as_json: JsonOption = False,
) -> None:
    """Who you know: what came through the network, who brought it, what sharing led to."""
    from kithkin.queries.dashboard import report as build_report

    ctx = session()
    result = build_report(ctx.network)
    if as_json:
        from kithkin.schemas.opportunities import ReportOut

        print_shape(ReportOut.of(result))
        return
    total = result.total
    out.print(
        f"{total.total} opportunities: {total.through_network} came through your network, "
        f"{total.direct} did not."
    )
    won = result.won
    if won.total:
        out.print(f"Won: {won.total}, {won.through_network} of them through your network.")
    table = Table(box=None, padding=(0, 1), header_style="bold")
    for column in ("", "through network", "direct"):
        table.add_column(column)
    for split in result.by_kind + [s for s in result.by_status if s.total]:
        table.add_row(split.label, str(split.through_network), str(split.direct))
    if total.total:
        out.print(table)
    if result.top_sources:
        out.print()
        out.print("Who brought the most", style="bold")
        for source in result.top_sources:
            wins = f", {source.won} won" if source.won else ""
            out.print(f"  {source.person.name}: {source.brought}{wins}")
    out.print()
    out.print(
        f"Shared {result.shares} times; {result.shares_taken_up} taken up "
        "(interested, applied or won)."
    )
    counts = ", ".join(f"{o.label.lower()} {o.count}" for o in result.share_outcomes if o.count)
    if counts:
        out.print(f"  {counts}")


@handle_errors
def share(
    opportunity_id: _OpportunityRef,
    person: Annotated[str, typer.Argument(help="Whom to tell (a name or an email).")],
    note: Annotated[str, typer.Option(help="What I told them.")] = "",
    outcome: Annotated[
        str | None,
        typer.Option(
            help="What came of a share made earlier: interested, applied, declined, won, "
            "lost (or pending)."
        ),
    ] = None,
) -> None:
    """Share an opportunity with someone (logs a message to them); with --outcome, record
    what came of it."""
    from kithkin import access, clock
    from kithkin.errors import InvalidInput
    from kithkin.models import OpportunityShare
    from kithkin.queries.people import resolve_person
    from kithkin.services.opportunities import set_share_outcome, share_opportunity

    ctx = session()
    item = access.opportunity_for(
        ctx.user, ctx.network, refs.require_id(opportunity_id, refs.OPPORTUNITY, "opportunity")
    )
    who = resolve_person(ctx.network, person)
    earlier = (
        OpportunityShare.objects.select_related("opportunity", "person")
        .filter(opportunity=item, person=who)
        .first()
    )
    if outcome is not None:
        if earlier is None:
            raise InvalidInput(
                "--outcome",
                f"{refs.OPPORTUNITY(item.pk)} was not shared with {who.full_name} yet; "
                f'`kith share {refs.OPPORTUNITY(item.pk)} "{who.full_name}"` first',
            )
        if note:
            raise InvalidInput("--note", "goes with a new share, not with --outcome")
        set_share_outcome(ctx.network, ctx.user, earlier, outcome)
        out.print(
            f"Share #{earlier.pk}: {who.full_name} on {item.title}: "
            f"{earlier.get_outcome_display().lower()}."
        )
        return
    if earlier is not None:
        on = clock.local_date(earlier.shared_at, ctx.user.time_zone)
        raise InvalidInput(
            "person",
            f"already shared with {who.full_name} on {on.isoformat()}; "
            "--outcome records what came of it",
        )
    made = share_opportunity(ctx.network, ctx.user, item, who, note=note)
    out.print(
        f"Shared {refs.OPPORTUNITY(item.pk)} {item.title} with {who.full_name} (share #{made.pk}); "
        f'logged a message. `kith share {refs.OPPORTUNITY(item.pk)} "{who.full_name}" --outcome applied` '
        "records what came of it."
    )


COMMANDS["share"] = share
