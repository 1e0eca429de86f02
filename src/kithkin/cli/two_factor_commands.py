"""`kith mfa reset USER`: for whoever runs the server, when someone lost both their
authenticator app and their recovery codes (docs/two-factor.md). The `kith` command needs
no sign-in: it acts on the database it is given, as `kith password` does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from kithkin.cli.context import handle_errors, out, session

two_factor_app = typer.Typer(
    help="Two-factor sign-in to the web app: reset it for someone who lost their app.",
    no_args_is_help=True,
)


@two_factor_app.command("reset")
@handle_errors
def two_factor_reset(
    username: Annotated[str, typer.Argument(help="The user's login name.")],
) -> None:
    """Turn two-factor off for USERNAME (their app's secret and recovery codes are deleted),
    so they sign in with their password alone and can set it up again."""
    from kithkin.errors import NotFound
    from kithkin.models import User
    from kithkin.services import mfa

    session()
    user = User.objects.filter(username__iexact=username.strip()).first()
    if user is None:
        raise NotFound(f"No user {username!r}.")
    if mfa.reset(user):
        out.print(
            f"Two-factor is off for {user.username}: they sign in with their password alone "
            "and can set it up again in Settings → Two-factor."
        )
    else:
        out.print(f"{user.username} had no two-factor sign-in: nothing to reset.")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"mfa": two_factor_app}
