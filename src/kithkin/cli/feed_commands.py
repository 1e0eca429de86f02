"""`kith feed url|revoke`: the calendar feed of a network (docs/feeds.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from kithkin.cli.context import err, handle_errors, out, session
from kithkin.cli.network_option import NetworkOption, chosen_network
from kithkin.cli.output import JsonOption, local_moment, print_shape

if TYPE_CHECKING:
    pass


feed_app = typer.Typer(
    help="The calendar feed of a network: its URL (made once), or revoke it.",
    no_args_is_help=True,
)


def feed_address(secret: str, base_url: str | None) -> str:
    """The feed's URL under ``base_url``, else KITH_BASE_URL (where people open Kithkin)."""
    from django.conf import settings
    from django.urls import reverse

    base = base_url or settings.BASE_URL
    return base.rstrip("/") + reverse("feed_calendar", args=[secret])


@feed_app.command("url")
@handle_errors
def feed_url(
    network: NetworkOption = None,
    regenerate: Annotated[
        bool,
        typer.Option("--regenerate", help="Make a new URL; the old one stops working."),
    ] = False,
    titles_only: Annotated[
        bool | None,
        typer.Option(
            "--titles-only/--full",
            help="Titles only (no notes, places, reasons), or everything.",
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="Where the web app is reached, e.g. https://kith.example.org."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Print the calendar feed's URL: made now if there is none (or with --regenerate),
    shown only this once."""
    from kithkin.services.feeds import feed_of, make_feed, set_titles_only

    ctx = session()
    chosen = chosen_network(ctx, network)
    feed = feed_of(ctx.user, chosen)
    url = None
    if feed is None or regenerate:
        made = make_feed(ctx.user, chosen, titles_only=titles_only)
        feed, url = made.feed, feed_address(made.secret, base_url)
    elif titles_only is not None:
        feed = set_titles_only(ctx.user, chosen, titles_only)
    if as_json:
        from kithkin.schemas.feeds import FeedOut

        print_shape(FeedOut.of(feed, chosen, url))
        return
    what = "titles only" if feed.titles_only else "with details"
    if url is not None:
        out.print(url)
        if out.is_terminal:
            out.print(
                f"The calendar feed of {chosen.name} ({what}). Copy it now: it is shown only "
                "this once, and anyone who has it reads the feed. Subscribe to it in your "
                "calendar (docs/feeds.md)."
            )
        return
    err.print(
        f"{chosen.name} has a calendar feed ({what}; made "
        f"{local_moment(feed.created_at, ctx.user.time_zone)}, last fetched "
        f"{local_moment(feed.last_used_at, ctx.user.time_zone)}). Its URL was shown when it was "
        "made and is not stored: `kith feed url --regenerate` makes a new one (the old "
        "one stops working)."
    )


@feed_app.command("revoke")
@handle_errors
def feed_revoke(network: NetworkOption = None, as_json: JsonOption = False) -> None:
    """Revoke the calendar feed: its URL opens nothing from now on."""
    from kithkin.services.feeds import revoke_feed

    ctx = session()
    chosen = chosen_network(ctx, network)
    revoked = revoke_feed(ctx.user, chosen)
    if as_json:
        from kithkin.schemas.feeds import FeedOut

        print_shape(FeedOut.of(revoked, chosen))
        return
    out.print(f"Revoked the calendar feed of {chosen.name}: its URL opens nothing now.")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"feed": feed_app}
