"""`kith org edit|rename|merge|delete`: changing organizations themselves.
(cli.membership_commands registers them on `kith org`.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from kithkin import refs
from kithkin.cli import context
from kithkin.cli.context import confirmed, handle_errors, options_named, out, session
from kithkin.cli.output import JsonOption, print_shape
from kithkin.errors import KithError

if TYPE_CHECKING:
    from kithkin.models import Affiliation, Organization
    from kithkin.services.organizations import OrganizationDeletion, OrganizationMergePreview

_Org = Annotated[
    str, typer.Argument(help="The organization: its name (or a unique prefix) or #id.")
]


def _print_merge_json(preview: OrganizationMergePreview, kept: Organization | None) -> None:
    from kithkin.schemas.organizations import (
        OrganizationMergeOut,
        OrganizationMergePreviewOut,
        OrganizationOut,
    )

    print_shape(
        OrganizationMergeOut(
            merged=kept is not None,
            preview=OrganizationMergePreviewOut.of(preview),
            organization=OrganizationOut.of(kept) if kept is not None else None,
        )
    )


@handle_errors
def org_edit(
    organization: _Org,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    kind: Annotated[
        str | None, typer.Option(help="company, association, school, community or other.")
    ] = None,
    website: Annotated[str | None, typer.Option(help="Its website ('' clears it).")] = None,
    note: Annotated[str | None, typer.Option(help="Its notes, replaced (Markdown).")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Its tags, replaced (repeatable).")] = None,
    no_tags: Annotated[bool, typer.Option("--no-tags", help="Remove every tag.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Change an organization's name, kind, website, notes or tags."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.organizations import edit_organization

    ctx = session()
    found = resolve_organization(ctx.user, ctx.network, organization)
    before = found.name
    with options_named(
        {"name": "--name", "kind": "--kind", "website": "--website", "tags": "--tag"}
    ):
        edited = edit_organization(
            ctx.network,
            ctx.user,
            found,
            name=name,
            kind=kind,
            website=website,
            notes=note,
            tags=[] if no_tags else tag,
        )
    if as_json:
        from kithkin.schemas.organizations import OrganizationOut

        print_shape(OrganizationOut.of(edited))
        return
    renamed = f" (was {before})" if edited.name != before else ""
    out.print(
        f"Saved {edited.name}{renamed} ({refs.ORGANIZATION(edited.pk)}), {edited.get_kind_display()}."
    )


@handle_errors
def org_rename(
    organization: _Org,
    new_name: Annotated[str, typer.Argument(metavar="NEW", help="Its new name.")],
) -> None:
    """Give an organization a new name (one no other organization has: merge those)."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.organizations import rename_organization

    ctx = session()
    found = resolve_organization(ctx.user, ctx.network, organization)
    before = found.name
    with options_named({"name": "NEW"}):
        renamed = rename_organization(ctx.network, ctx.user, found, new_name)
    out.print(f"Renamed {before} to {renamed.name} ({refs.ORGANIZATION(renamed.pk)}).")


def _tie(affiliation: Affiliation) -> str:
    what = affiliation.title or affiliation.get_kind_display()
    until = f", until {affiliation.end_on}" if affiliation.end_on else ""
    return f"{affiliation.person.full_name} ({what}{until})"


def _print_merge(preview: OrganizationMergePreview) -> None:
    keep, other = preview.keep, preview.other
    out.print(
        Text.assemble(
            ("Merge ", "bold"),
            f"{other.name} ({refs.ORGANIZATION(other.pk)})",
            (" into ", "bold"),
            f"{keep.name} ({refs.ORGANIZATION(keep.pk)})",
        )
    )
    rows = [
        ("people moved", ", ".join(_tie(a) for a in preview.affiliations_moved)),
        (
            "already there",
            ", ".join(_tie(a) for a, _ in preview.affiliations_combined),
        ),
        ("tags", ", ".join(preview.tags_added)),
        ("events", ", ".join(e.name for e in preview.events_moved)),
        ("opportunities", ", ".join(o.title for o in preview.opportunities_moved)),
        *((label, value) for label, value in preview.fields_filled.items()),
    ]
    shown = [f"  {label}: {value}" for label, value in rows if value]
    for line in shown or ["  Nothing is linked to it."]:
        out.print(line, highlight=False)
    out.print(f"{other.name} ({refs.ORGANIZATION(other.pk)}) is then deleted.")


@handle_errors
def org_merge(
    keep: Annotated[str, typer.Argument(help="The organization kept: a name or #id.")],
    other: Annotated[str, typer.Argument(help="The one merged into it, then deleted.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would happen.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Merge without asking.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Merge the second organization into the first: every affiliation, membership, tag,
    event and opportunity moves."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.organizations import merge_organizations, preview_organization_merge

    ctx = session()
    preview = preview_organization_merge(
        ctx.network,
        ctx.user,
        resolve_organization(ctx.user, ctx.network, keep),
        resolve_organization(ctx.user, ctx.network, other),
    )
    if dry_run or not yes:
        if as_json:
            _print_merge_json(preview, None)
            return
        _print_merge(preview)
        if dry_run:
            out.print("Nothing changed (--dry-run).")
            return
        if not confirmed(
            f"Merge {preview.other.name} into {preview.keep.name}?",
            unasked="Nothing changed. Run again with --yes to merge.",
        ):
            return
    kept = merge_organizations(ctx.network, ctx.user, preview.keep, preview.other)
    if as_json:
        _print_merge_json(preview, kept)
        return
    out.print(f"Merged {preview.other.name} into {kept.name} ({refs.ORGANIZATION(kept.pk)}).")


def _print_deletion(deletion: OrganizationDeletion) -> None:
    organization = deletion.organization
    out.print(
        Text.assemble(
            ("Delete ", "bold"), f"{organization.name} ({refs.ORGANIZATION(organization.pk)})"
        )
    )
    ties = deletion.affiliations
    if ties:
        out.print(f"  Removes {len(ties)} affiliation{'s' if len(ties) != 1 else ''}:")
        for affiliation in ties:
            out.print(f"    {_tie(affiliation)}")
    else:
        out.print("  No one is affiliated with it.")
    if deletion.events:
        out.print(f"  {deletion.events} event(s) it organized stay, without an organizer.")
    if deletion.opportunities:
        out.print(f"  {deletion.opportunities} opportunity(ies) stay, without an organization.")
    if deletion.tags:
        out.print(f"  Its tags go with it: {', '.join(deletion.tags)}.")


@handle_errors
def org_delete(
    organization: _Org,
    force: Annotated[
        bool,
        typer.Option("--force", help="Delete even when people are affiliated (no question)."),
    ] = False,
) -> None:
    """Delete an organization, saying what goes with it. Refused while people are
    affiliated with it, unless confirmed at a terminal or --force."""
    from kithkin.queries.memberships import resolve_organization
    from kithkin.services.organizations import delete_organization, deletion_preview

    ctx = session()
    found = resolve_organization(ctx.user, ctx.network, organization)
    preview = deletion_preview(ctx.network, ctx.user, found)
    _print_deletion(preview)
    if preview.affiliations and not force:
        if not context.can_ask():
            raise KithError(
                f"Nothing deleted: people are affiliated with {found.name}. "
                "Pass --force to delete it and their affiliations."
            )
        if not typer.confirm(f"Delete {found.name} and these affiliations?", default=False):
            out.print("Nothing deleted.")
            return
        force = True
    with options_named({"force": "--force"}):
        delete_organization(ctx.network, ctx.user, found, force=force)
    out.print(f"Deleted {found.name}.")
