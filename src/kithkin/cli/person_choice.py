"""The one "known or new?" step of the commands that name someone in passing (`kith met`,
`kith mentor add`, `kith mentee add`): a name close to people already known is asked about
at a terminal, refused elsewhere with the candidates and a hint to pass --new."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import typer

from kithkin.cli.context import err
from kithkin.errors import KithError

T = TypeVar("T")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def known_or_new(
    name: str,
    attempt: Callable[..., T],
    *,
    new: bool = False,
    question: str = "Do you mean",
    purpose: str = "the one you mean",
    nothing: str = "Nothing recorded.",
) -> T:
    """``attempt(name=name, new=new)``; when it raises NearMatch, ask at a terminal whether
    one of the candidates is meant (``attempt(person=...)``) or someone new
    (``attempt(name=name, new=True)``). Without a terminal, list the candidates and exit 1."""
    from kithkin.queries.people import describe
    from kithkin.services.known_or_new import NearMatch

    try:
        return attempt(name=name, new=new)
    except NearMatch as near:
        described = [describe(person) for person in near.candidates]
        if not interactive():
            err.print(
                f"Error: {near}: pass --new to add {near.name} anyway, "
                f"or give the exact name of {purpose}:"
            )
            for line in described:
                err.print(f"  • {line}")
            raise typer.Exit(1) from None
        chosen = next(
            (
                person
                for person, line in zip(near.candidates, described, strict=True)
                if typer.confirm(f"{question} {line}?", default=False)
            ),
            None,
        )
        if chosen is not None:
            return attempt(person=chosen)
        if typer.confirm(f"Add {near.name} as someone new?", default=False):
            return attempt(name=name, new=True)
        raise KithError(nothing) from None
