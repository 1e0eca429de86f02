"""`kith webhook add|list|remove|test|enable`: a network's webhooks (docs/webhooks.md)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.network_option import NetworkOption, chosen_network
from kithkin.cli.output import JsonOption, print_shape

if TYPE_CHECKING:
    from kithkin.models import WebhookDelivery

webhook_app = typer.Typer(
    help="Webhooks: a network's changes POSTed, signed, to your URLs (docs/webhooks.md).",
    no_args_is_help=True,
)


def _outcome(delivery: WebhookDelivery) -> str:
    if delivery.attempted_at is None:
        return "waiting"
    if delivery.succeeded:
        return f"{delivery.status_code} ok"
    return delivery.error or f"HTTP {delivery.status_code}"


@webhook_app.command("add")
@handle_errors
def webhook_add(
    url: Annotated[str, typer.Argument(help="The http(s) URL that receives the POSTs.")],
    event: Annotated[
        list[str] | None,
        typer.Option("--event", help="An event to send (repeat it); none: every event."),
    ] = None,
    network: NetworkOption = None,
    as_json: JsonOption = False,
) -> None:
    """Subscribe a URL to the network's changes and print its signing secret, once."""
    from kithkin.services.webhooks import add_subscription

    ctx = session()
    made = add_subscription(chosen_network(ctx, network), ctx.user, url, event or [])
    if as_json:
        from kithkin.schemas.webhooks import WebhookCreatedOut

        print_shape(WebhookCreatedOut.made(made.subscription, made.secret))
        return
    out.print(made.secret)
    if out.is_terminal:
        subscription = made.subscription
        events = ", ".join(subscription.events) or "every event"
        out.print(
            f"Webhook #{subscription.pk} to {subscription.display_url} ({events}). Copy the "
            "signing secret above into the receiver now: it is shown only this once "
            "(docs/webhooks.md says how to verify a delivery)."
        )


@webhook_app.command("list")
@handle_errors
def webhook_list(network: NetworkOption = None, as_json: JsonOption = False) -> None:
    """The network's webhooks: URL, events, state, and the latest delivery."""
    from kithkin.queries.webhooks import webhooks_of

    ctx = session()
    rows = webhooks_of(ctx.user, chosen_network(ctx, network))
    if as_json:
        from kithkin.schemas.webhooks import WebhookOut

        print_shape([WebhookOut.of(row.subscription, row.recent) for row in rows])
        return
    if not rows:
        out.print("No webhooks. Add one with `kith webhook add URL`.")
        return
    zone = zoneinfo.ZoneInfo(ctx.user.time_zone)
    table = Table(box=None, padding=(0, 1))
    for column in ("id", "url", "events", "state", "last delivery"):
        table.add_column(column, no_wrap=column in ("id", "state"))
    for row in rows:
        subscription = row.subscription
        if not subscription.active:
            state = f"DISABLED: {subscription.disabled_reason}"
        elif subscription.failure_count:
            state = f"failing ({subscription.failure_count} in a row)"
        else:
            state = "on"
        last = row.recent[0] if row.recent else None
        when = (last.attempted_at or last.created_at) if last else None
        table.add_row(
            str(subscription.pk),
            subscription.display_url,
            ", ".join(subscription.events) or "all",
            state,
            f"{when.astimezone(zone):%Y-%m-%d %H:%M} {last.kind} {_outcome(last)}"
            if last and when
            else "none yet",
        )
    out.print(table)


@webhook_app.command("remove")
@handle_errors
def webhook_remove(
    webhook: Annotated[int, typer.Argument(help="The webhook's id (`kith webhook list`).")],
    network: NetworkOption = None,
) -> None:
    """Remove a webhook and its delivery log: nothing more is sent to it."""
    from kithkin.services.webhooks import remove_subscription

    ctx = session()
    removed = remove_subscription(chosen_network(ctx, network), ctx.user, webhook)
    out.print(f"Removed webhook #{webhook} to {removed.display_url}.")


@webhook_app.command("test")
@handle_errors
def webhook_test(
    webhook: Annotated[int, typer.Argument(help="The webhook's id (`kith webhook list`).")],
    network: NetworkOption = None,
) -> None:
    """Send a `ping` event now and print the answer; exit 1 when it was not a 2xx."""
    from kithkin.services.webhooks import ping_subscription

    ctx = session()
    delivery = ping_subscription(chosen_network(ctx, network), ctx.user, webhook)
    timing = f" in {delivery.response_ms} ms" if delivery.response_ms is not None else ""
    if delivery.succeeded:
        out.print(f"ping delivered: HTTP {delivery.status_code}{timing}.")
        return
    out.print(f"ping failed: {_outcome(delivery)}{timing}.")
    raise typer.Exit(1)


@webhook_app.command("enable")
@handle_errors
def webhook_enable(
    webhook: Annotated[int, typer.Argument(help="The webhook's id (`kith webhook list`).")],
    network: NetworkOption = None,
) -> None:
    """Turn a disabled webhook on again; changes from now on are delivered."""
    from kithkin.services.webhooks import enable_subscription

    ctx = session()
    enabled = enable_subscription(chosen_network(ctx, network), ctx.user, webhook)
    out.print(f"Webhook #{webhook} to {enabled.display_url} is on again.")


COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {"webhook": webhook_app}
