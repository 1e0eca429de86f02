"""`kith digest`: today's digest for you, as the email says it; `--send` emails it now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape


@handle_errors
def digest(
    send: Annotated[
        bool,
        typer.Option("--send", help="Email it to you now (and push it, if a topic is set)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Today's digest: the plan of each of your networks with its links, as emailed."""
    from kithkin import clock
    from kithkin.services import digest as digests

    ctx = session()
    now = clock.now()
    preference = digests.preference_of(ctx.user)
    today = digests.digest_today(ctx.user, now, preference)
    if send:
        digests.send_digest(ctx.user, now, digest=today)
        if preference is not None and preference.ntfy_url:
            digests.send_push(ctx.user, now, digest=today)
    if as_json:
        from kithkin.schemas.digest import DigestOut

        print_shape(DigestOut.of(today))
        return
    if send:
        out.print(f"Sent to {ctx.user.email}: {today.subject}", markup=False, highlight=False)
        return
    out.print(digests.render_text(today), markup=False, highlight=False, end="")


COMMANDS: dict[str, Callable[..., None]] = {"digest": digest}
GROUPS: dict[str, typer.Typer] = {}
