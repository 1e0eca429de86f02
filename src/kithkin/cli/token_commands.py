"""`kith token create|list|revoke`: personal access tokens for the API (docs/api.md)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.network_option import network_named
from kithkin.cli.output import JsonOption, local_moment, print_shape

if TYPE_CHECKING:
    pass

token_app = typer.Typer(
    help="Personal access tokens for the API: create, list, revoke.", no_args_is_help=True
)


class ScopeChoice(StrEnum):
    read = "read"
    write = "write"


@token_app.command("create")
@handle_errors
def token_create(
    name: Annotated[str, typer.Option("--name", help="What the token is for.")],
    scope: Annotated[
        ScopeChoice, typer.Option("--scope", help="read, or write (read and change).")
    ],
    network: Annotated[
        str | None,
        typer.Option("--network", help="Limit it to this network (id or name); else all."),
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", min=1, help="Expire after this many days.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Make a token and print its secret, once: it is stored only as a digest."""
    from kithkin.services.tokens import create_token

    ctx = session()
    limited_to = network_named(ctx.user, network) if network is not None else None
    made = create_token(ctx.user, name, scope.value, network=limited_to, expires_in_days=days)
    if as_json:
        from kithkin.schemas.tokens import TokenCreatedOut

        print_shape(TokenCreatedOut.made(made.token, made.secret))
        return
    out.print(made.secret)
    if out.is_terminal:
        where = made.token.network.name if made.token.network else "all your networks"
        out.print(
            f"Token {made.token.name!r} ({made.token.scope}, {where}). Copy it now: it is "
            "shown only this once. Send it as `Authorization: Bearer <token>`."
        )


@token_app.command("list")
@handle_errors
def token_list(as_json: JsonOption = False) -> None:
    """Your tokens: name, prefix, scope, network, created and last used."""
    from kithkin.services.tokens import tokens_of

    ctx = session()
    found = tokens_of(ctx.user)
    if as_json:
        from kithkin.schemas.tokens import TokenOut

        print_shape([TokenOut.of(token) for token in found])
        return
    if not found:
        out.print("No tokens. Make one with `kith token create --name NAME --scope read`.")
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("id", "name", "prefix", "scope", "network", "created", "last used"):
        table.add_column(column, no_wrap=column != "name")
    zone = ctx.user.time_zone
    for token in found:
        table.add_row(
            str(token.pk),
            token.name if token.is_active else f"{token.name} (expired)",
            f"{token.prefix}…",
            token.scope,
            token.network.name if token.network else "all",
            local_moment(token.created_at, zone),
            local_moment(token.last_used_at, zone),
        )
    out.print(table)


@token_app.command("revoke")
@handle_errors
def token_revoke(
    token: Annotated[str, typer.Argument(help="The token's name or id.")],
) -> None:
    """Revoke a token: programs using it are refused from now on."""
    from kithkin.services.tokens import revoke_token

    ctx = session()
    revoked = revoke_token(ctx.user, token)
    out.print(f"Revoked {revoked.name!r} ({revoked.prefix}…).")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"token": token_app}
