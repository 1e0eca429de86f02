"""`kith org add|show|list|notice` (and edit|rename|merge|delete from
cli.organization_commands), `kith join`, `kith renew`, `kith leave`: organizations
and my memberships of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli import organization_commands
from kithkin.cli.context import handle_errors, options_named, out, parse_day, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.errors import InvalidInput

if TYPE_CHECKING:
    from kithkin.models import Affiliation

_Org = Annotated[
    str, typer.Argument(help="The organization: its name (or a unique prefix) or o12.")
]

org_app = typer.Typer(
    help="Organizations: companies, professional associations, schools, communities.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _role_line(membership: Affiliation) -> str:
    parts = [membership.title or "member"]
    if membership.start_on:
        parts.append(f"since {membership.start_on}")
    if membership.renews_on:
        parts.append(f"renews {membership.renews_on}")
    return ", ".join(parts)


# kith org ...


@org_app.command("add")
@handle_errors
def org_add(
    name: Annotated[str, typer.Argument(help="Its name.")],
    kind: Annotated[
        str, typer.Option(help="company, association, school, community or other.")
    ] = "company",
    website: Annotated[str, typer.Option(help="Its website.")] = "",
    tag: Annotated[list[str] | None, typer.Option(help="A tag (repeatable).")] = None,
    note: Annotated[str, typer.Option(help="Notes (Markdown).")] = "",
    as_json: JsonOption = False,
) -> None:
    """Add an organization."""
    from kithkin.services.organizations import create_organization

    ctx = session()
    with options_named({"kind": "--kind", "website": "--website", "tag": "--tag", "name": "NAME"}):
        organization = create_organization(
            ctx.network, ctx.user, name=name, kind=kind, website=website, tags=tag or [], notes=note
        )
    if as_json:
        from kithkin.schemas.organizations import OrganizationOut

        print_shape(OrganizationOut.of(organization))
        return
    out.print(
        f"Added {organization.name} ({refs.ORGANIZATION(organization.pk)}), {organization.get_kind_display()}."
    )


@org_app.command("show")
@handle_errors
def org_show(organization: _Org, as_json: JsonOption = False) -> None:
    """An organization: its people now and before, and my membership."""
    from kithkin.queries.memberships import organization_detail, resolve_organization

    ctx = session()
    detail = organization_detail(
        ctx.network, resolve_organization(ctx.user, ctx.network, organization)
    )
    if as_json:
        from kithkin.schemas.organizations import OrganizationDetailOut

        print_shape(OrganizationDetailOut.of_detail(detail))
        return
    found = detail.organization
    out.print(
        Text.assemble(
            (found.name, "bold"), f" ({found.get_kind_display()}, {refs.ORGANIZATION(found.pk)})"
        )
    )
    for line in (found.website, ", ".join(detail.tags), found.notes):
        if line:
            out.print(f"  {line}")
    if detail.membership is not None:
        out.print(f"My membership: {_role_line(detail.membership)}")
    else:
        out.print(f'I am not a member (kith join "{found.name}" would record it).')
    for heading, ties in (("People there now", detail.current), ("Were there", detail.past)):
        out.print()
        out.print(Text.assemble((heading, "bold"), f" ({len(ties)})"))
        if not ties:
            out.print("  No one.")
            continue
        table = Table(show_header=False, box=None, padding=(0, 1))
        for tie in ties:
            when = (
                f"until {tie.end_on}"
                if tie.end_on
                else (f"since {tie.start_on}" if tie.start_on else "")
            )
            table.add_row(
                f"  {tie.person.full_name}",
                tie.title or tie.get_kind_display(),
                Text(when, style="dim"),
            )
        out.print(table)


@org_app.command("list")
@handle_errors
def org_list(
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: company, association, school, community.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Organizations, the most people first, with how many people are there now."""
    from kithkin.queries.memberships import list_organizations

    ctx = session()
    found = list(
        list_organizations(ctx.network, kind=kind.strip().lower() if kind else None)[:limit]
    )
    if as_json:
        from kithkin.schemas.organizations import OrganizationRowOut

        print_shape([OrganizationRowOut.of_counted(o) for o in found])
        return
    if not found:
        out.print("No organizations" + (f" of kind {kind}." if kind else " yet."))
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("organization", "kind", "people"):
        table.add_column(column)
    for organization in found:
        table.add_row(
            f"{refs.ORGANIZATION(organization.pk)} {organization.name}",
            organization.get_kind_display(),
            str(organization.people_count),
        )
    out.print(table)


@org_app.command("notice")
@handle_errors
def org_notice(
    days: Annotated[
        str | None,
        typer.Argument(help="How many days ahead renewals show on the agenda (0 to 365, or 30d)."),
    ] = None,
) -> None:
    """Show or set how many days ahead membership renewals appear on the agenda."""
    from kithkin.services.memberships import set_renewal_notice

    ctx = session()
    if days is not None:
        text = days.strip().lower().removesuffix("d").strip()
        if not text.isdigit():
            raise InvalidInput("DAYS", f"{days!r} is not a number of days (e.g. 30 or 30d)")
        with options_named({"days": "DAYS"}):
            set_renewal_notice(ctx.network, ctx.user, int(text))
        out.print(f"Renewals now show on the agenda {int(text)} days ahead.")
        return
    out.print(f"Renewals show on the agenda {ctx.network.renewal_notice_days} days ahead.")


# kith join / renew / leave


@handle_errors
def join(
    organization: Annotated[
        str,
        typer.Argument(
            help="The organization's name (added as a professional association if new) or o12."
        ),
    ],
    role: Annotated[str | None, typer.Option(help="My role (default: member).")] = None,
    renews: Annotated[
        str | None, typer.Option(help="When the membership renews (YYYY-MM-DD, +1y).")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="When I joined (YYYY-MM-DD); default today.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record my membership of an organization, or update it (role, renewal date, since)."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.memberships import join_organization

    ctx = session()
    target = (
        resolve_organization(ctx.user, ctx.network, organization)
        if organization.strip().startswith("#")
        else organization
    )
    with options_named({"renews_on": "--renews", "role": "--role", "organization": "ORG"}):
        result = join_organization(
            ctx.network,
            ctx.user,
            target,
            role=role,
            renews_on=parse_day(renews, ctx.today, "--renews"),
            start_on=parse_day(since, ctx.today, "--since"),
            today=ctx.today,
        )
    membership = result.membership
    if as_json:
        from kithkin.schemas.memberships import JoinOut

        print_shape(JoinOut.of_result(result))
        return
    name = membership.organization.name
    added = (
        f" (added {name} as a {membership.organization.get_kind_display()})"
        if result.new_organization
        else ""
    )
    verb = "Joined" if result.new_membership else "Updated my membership of"
    out.print(f"{verb} {name}{added}: {_role_line(membership)}.")


@handle_errors
def renew(
    organization: _Org,
    until: Annotated[str, typer.Option(help="The new renewal date (YYYY-MM-DD, +1y).")],
) -> None:
    """Record that I renewed a membership: it now renews on --until."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.memberships import renew_membership

    ctx = session()
    found = resolve_organization(ctx.user, ctx.network, organization)
    day = parse_day(until, ctx.today, "--until")
    assert day is not None
    with options_named({"until": "--until", "renews_on": "--until", "organization": "ORG"}):
        membership = renew_membership(ctx.network, ctx.user, found, until=day, today=ctx.today)
    out.print(f"Renewed my membership of {found.name} until {membership.renews_on}.")


@handle_errors
def leave(organization: _Org) -> None:
    """End my membership of an organization today; it stays as a past membership."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.memberships import leave_organization

    ctx = session()
    found = resolve_organization(ctx.user, ctx.network, organization)
    with options_named({"organization": "ORG"}):
        membership = leave_organization(ctx.network, ctx.user, found, today=ctx.today)
    out.print(f"Left {found.name} on {membership.end_on}.")


# Changing organizations themselves (cli.organization_commands).
org_app.command("edit")(organization_commands.org_edit)
org_app.command("rename")(organization_commands.org_rename)
org_app.command("merge")(organization_commands.org_merge)
org_app.command("delete")(organization_commands.org_delete)

# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {"join": join, "renew": renew, "leave": leave}
GROUPS: dict[str, typer.Typer] = {"org": org_app}
