"""`kith dav password|passwords|revoke`: app passwords for CardDAV (docs/carddav.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import local_moment

dav_app = typer.Typer(
    help="CardDAV: app passwords a contacts program (iOS, macOS, DAVx5, Thunderbird) signs in with.",
    no_args_is_help=True,
)


def dav_address(base_url: str | None) -> str:
    """Where contacts programs find the address books: /dav/ under KITH_BASE_URL."""
    from django.conf import settings

    return (base_url or settings.BASE_URL).rstrip("/") + "/dav/"


@dav_app.command("password")
@handle_errors
def dav_password(
    name: Annotated[
        str, typer.Option("--name", help='What it is for, e.g. "iPhone" (default "CardDAV").')
    ] = "",
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="Where the web app is reached, e.g. https://kith.example.org."
        ),
    ] = None,
) -> None:
    """Make an app password and print the url, username and password to paste into a
    phone's contacts account; the password is shown only this once."""
    from kithkin.services.app_passwords import create_app_password

    ctx = session()
    made = create_app_password(ctx.user, name)
    out.print(f"url: {dav_address(base_url)}", markup=False, highlight=False)
    out.print(f"username: {ctx.user.username}", markup=False, highlight=False)
    out.print(f"password: {made.secret}", markup=False, highlight=False)
    if out.is_terminal:
        out.print(
            f"App password {made.app_password.name!r} (#{made.app_password.pk}). Copy it now: "
            "it is not shown again. `kith dav revoke "
            f"{made.app_password.pk}` signs out whatever uses it."
        )


@dav_app.command("passwords")
@handle_errors
def dav_passwords() -> None:
    """List your app passwords: number, name, made, last used."""
    from kithkin.services.app_passwords import app_passwords_of

    ctx = session()
    zone = ctx.user.time_zone
    for row in app_passwords_of(ctx.user):
        out.print(
            f"{row.pk}\t{row.name}\tmade {local_moment(row.created_at, zone)}"
            f"\tlast used {local_moment(row.last_used_at, zone)}",
            markup=False,
            highlight=False,
        )


@dav_app.command("revoke")
@handle_errors
def dav_revoke(app_password_id: Annotated[int, typer.Argument(help="Its number.")]) -> None:
    """Revoke an app password: the programs signed in with it are signed out."""
    from kithkin.services.app_passwords import revoke_app_password

    ctx = session()
    revoke_app_password(ctx.user, app_password_id)
    out.print(f"Revoked app password #{app_password_id}.")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"dav": dav_app}
