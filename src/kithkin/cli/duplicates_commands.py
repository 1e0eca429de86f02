"""`kith dupes` and `kith merge`: people recorded twice, and making them one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from kithkin import refs
from kithkin.cli.context import Session, confirmed, handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.models import Person
    from kithkin.services.merge import MergePreview

_BY_ID = re.compile(r"#(\d+)")


@handle_errors
def dupes(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="At most this many pairs.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """People who may be recorded twice, likeliest first, and why."""
    from kithkin.queries.duplicates import stored_duplicates
    from kithkin.queries.people import describe
    from kithkin.services.duplicates import ensure_current

    ctx = session()
    ensure_current(ctx.network, wait=True)
    pairs = stored_duplicates(ctx.network, limit=limit)
    if as_json:
        from kithkin.schemas.duplicates import DuplicatePairOut

        print_shape([DuplicatePairOut.of(pair) for pair in pairs])
        return
    if not pairs:
        out.print("No likely duplicates.")
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("", "score", "person", "and", "why"):
        table.add_column(column)
    for number, pair in enumerate(pairs, 1):
        table.add_row(
            f"{number}.",
            f"{pair.score:.2f}",
            f"{refs.PERSON(pair.a.pk)} {describe(pair.a)}",
            f"{refs.PERSON(pair.b.pk)} {describe(pair.b)}",
            Text("; ".join(pair.reasons), style="dim"),
        )
    out.print(table)
    out.print(
        "Merge one pair with `kith merge KEEP OTHER` (their references, p12): the first is kept."
    )


@handle_errors
def merge(
    keep: Annotated[str, typer.Argument(help="Who is kept: a name, an email, or p12.")],
    other: Annotated[str, typer.Argument(help="Who is merged into them, then deleted.")],
    yes: Annotated[bool, typer.Option("--yes", help="Merge without asking.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Merge the second person into the first: everything of both is kept."""
    from kithkin.services.merge import merge_people, preview_merge

    ctx = session()
    preview = preview_merge(ctx.network, ctx.user, _person(ctx, keep), _person(ctx, other))
    if not yes:
        if as_json:
            _print_merge_json(preview, None)
            return
        _print_preview(preview)
        if not confirmed(
            f"Merge {preview.other.full_name} into {preview.keep.full_name}?",
            unasked="Nothing changed. Run again with --yes to merge.",
        ):
            return
    kept = merge_people(ctx.network, ctx.user, preview.keep, preview.other)
    if as_json:
        _print_merge_json(preview, kept)
        return
    out.print(f"Merged {preview.other.full_name} into {kept.full_name} ({refs.PERSON(kept.pk)}).")


def _person(ctx: Session, text: str) -> Person:
    from kithkin import access
    from kithkin.queries.people import resolve_person

    by_id = _BY_ID.fullmatch(text.strip())
    if by_id:
        return access.person_for(ctx.user, ctx.network, int(by_id.group(1)))
    return resolve_person(ctx.network, text, include_archived=True)


def _print_preview(preview: MergePreview) -> None:
    keep, other = preview.keep, preview.other
    out.print(
        Text.assemble(
            ("Merge ", "bold"),
            f"{other.full_name} ({refs.PERSON(other.pk)})",
            (" into ", "bold"),
            f"{keep.full_name} ({refs.PERSON(keep.pk)})",
        )
    )
    out.print("What the kept person gets:", style="dim")
    facts = Table(show_header=False, box=None, padding=(0, 1))
    facts.add_column(style="dim")
    already = len(preview.contact_points_already_there)
    rows: list[tuple[str, str]] = [
        (
            "contact points",
            ", ".join(p.value for p in preview.contact_points_added)
            + (f" ({already} already there)" if already else ""),
        ),
        ("tags", ", ".join(preview.tags_added)),
        ("affiliations", ", ".join(str(a) for a in preview.affiliations_added)),
        ("interactions", _counted(preview.interactions_moved, preview.interactions_shared, "both")),
        ("follow-ups", f"{preview.follow_ups_moved} moved" if preview.follow_ups_moved else ""),
        (
            "relationships",
            _counted(preview.relationships_moved, preview.relationships_dropped, "dropped"),
        ),
        ("introduced", _counted(preview.introductions_moved, 0, "")),
        *preview.fields_filled.items(),
        ("notes", preview.notes if preview.notes_changed else ""),
    ]
    for label, text in rows:
        if text.strip():
            facts.add_row(label, text)
    out.print(facts)
    out.print(f"{other.full_name} ({refs.PERSON(other.pk)}) is then deleted.")


def _counted(moved: int, other: int, what: str) -> str:
    parts = [f"{moved} moved"] if moved else []
    if other:
        parts.append(f"{other} {'with both' if what == 'both' else 'dropped'}")
    return ", ".join(parts)


def _print_merge_json(preview: MergePreview, kept: Person | None) -> None:
    from kithkin.schemas.base import PersonRef
    from kithkin.schemas.duplicates import MergeOut, MergePreviewOut

    print_shape(
        MergeOut(
            merged=kept is not None,
            preview=MergePreviewOut.of(preview),
            person=PersonRef.maybe(kept),
        )
    )
