"""`--network N`, for the commands that act on one of the user's networks (tokens, the
calendar feed, webhooks): an id or a name, else the current network."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kithkin.cli.context import Session
    from kithkin.models import Network, User

NetworkOption = Annotated[
    str | None,
    typer.Option("--network", help="The network (id or name); else the current one."),
]


def network_named(user: User, text: str) -> Network:
    """One of the user's networks, by id or by name (any case)."""
    from kithkin import access
    from kithkin.errors import NotFound

    grants = access.grants_of(user)
    for grant in grants:
        if text.strip().isdigit() and grant.network.pk == int(text):
            return grant.network
    for grant in grants:
        if grant.network.name.casefold() == text.strip().casefold():
            return grant.network
    raise NotFound(
        f"You belong to no network {text!r}.", suggestions=[g.network.name for g in grants]
    )


def chosen_network(ctx: Session, network: str | None) -> Network:
    """The network ``--network`` names, else the session's current one."""
    return ctx.network if network is None else network_named(ctx.user, network)
