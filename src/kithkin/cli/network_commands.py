"""`kith network`, `kith circles`, `kith settings`: where you work and how."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kithkin.cli.context import handle_errors, out, session
from kithkin.cli.output import JsonOption, print_shape

network_app = typer.Typer(help="List your networks and switch between them.", no_args_is_help=True)


@network_app.command("list")
@handle_errors
def network_list(as_json: JsonOption = False) -> None:
    """The networks you belong to, and your role in each."""
    from kithkin.models import Membership

    ctx = session()
    memberships = (
        Membership.objects.filter(user=ctx.user)
        .select_related("network")
        .order_by("network__name", "network__pk")
    )
    if as_json:
        from kithkin.schemas.networks import NetworkOut

        print_shape([NetworkOut.of(m, ctx.network) for m in memberships])
        return
    for m in memberships:
        marker = "*" if m.network.pk == ctx.network.pk else " "
        out.print(f"{marker} {m.network.name} ({m.role})")


@network_app.command("new")
@handle_errors
def network_new(name: Annotated[str, typer.Argument(help="The new network's name.")]) -> None:
    """Create a network of your own (empty but for you) and switch to it."""
    from kithkin.services.accounts import create_network

    ctx = session()
    network = create_network(ctx.user, name=name)
    out.print(f"Created {network.name}; you are now working in it.")


@network_app.command("use")
@handle_errors
def network_use(name: Annotated[str, typer.Argument(help="The network's name.")]) -> None:
    """Switch to another of your networks."""
    from kithkin.errors import NotFound
    from kithkin.models import Network
    from kithkin.services.accounts import switch_network

    ctx = session()
    network = Network.objects.filter(memberships__user=ctx.user, name__iexact=name.strip()).first()
    if network is None:
        names = Network.objects.filter(memberships__user=ctx.user).values_list("name", flat=True)
        raise NotFound(f"You have no network called {name!r}.", suggestions=list(names))
    switch_network(ctx.user, network)
    out.print(f"Now working in {network.name}.")


@handle_errors
def circles(
    name: Annotated[str | None, typer.Argument(help="A circle to change.")] = None,
    every: Annotated[str | None, typer.Option(help="Its new cadence (30d, 6w, 3m).")] = None,
    never: Annotated[bool, typer.Option("--never", help="People in it are never due.")] = False,
    new_people: Annotated[
        str | None,
        typer.Option(
            "--new-people", help="The circle people added without one join ('none': no circle)."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the circles and their check-in cadences, or change one."""
    from kithkin.dates import parse_every
    from kithkin.queries.circles import circles_with_sizes
    from kithkin.services.people import find_circle, set_circle_cadence, set_new_people_circle

    ctx = session()
    if new_people is not None:
        chosen = set_new_people_circle(ctx.network, ctx.user, new_people)
        out.print(
            f"People added without a circle now join {chosen.name}."
            if chosen
            else "People added without a circle stay without one until triaged."
        )
        if name is None:
            return
    if name is not None:
        if every is None and not never:
            raise typer.BadParameter("give --every 30d or --never", param_hint="--every")
        circle = find_circle(ctx.network, name)
        cadence = None if never else parse_every(every or "", "--every").approx_days
        changed = set_circle_cadence(ctx.network, ctx.user, circle, cadence)
        out.print(
            f"{circle.name}: {'never due' if cadence is None else f'every {cadence} days'} "
            f"({changed} due dates moved).",
        )
        return
    rows = circles_with_sizes(ctx.network)
    if as_json:
        from kithkin.schemas.networks import CircleOut

        print_shape([CircleOut.of(c, size=c.size, network=ctx.network) for c in rows])  # type: ignore[attr-defined]
        return
    table = Table(box=None, padding=(0, 1))
    for column in ("circle", "check in", "people"):
        table.add_column(column)
    for c in rows:
        every_text = f"every {c.cadence_days} days" if c.cadence_days else "never"
        joins = " (new people join)" if c.pk == ctx.network.new_people_circle_id else ""
        table.add_row(f"{c.name}{joins}", every_text, str(c.size))  # type: ignore[attr-defined]
    out.print(table)


@handle_errors
def settings(
    budget: Annotated[int | None, typer.Option(min=1, max=200, help="Check-ins a day.")] = None,
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="Your time zone, e.g. Europe/Paris.")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="Country of phone numbers written without +code, e.g. FR ('' for none).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show or change your time zone, the network's daily outreach budget and its phone
    region."""
    from kithkin.services.accounts import update_settings

    ctx = session()
    if budget is not None or time_zone is not None or region is not None:
        update_settings(
            ctx.user,
            ctx.network,
            daily_outreach_budget=budget,
            time_zone=time_zone,
            phone_region=region,
        )
    lines = {
        "network": ctx.network.name,
        "daily outreach budget": ctx.network.daily_outreach_budget,
        "time zone": ctx.user.time_zone,
        "network time zone": ctx.network.time_zone,
        "phone region": ctx.network.phone_region or "none",
    }
    if as_json:
        from kithkin.schemas.networks import SettingsOut

        print_shape(SettingsOut.of(ctx.user, ctx.network))
        return
    for label, value in lines.items():
        out.print(f"{label}: {value}")
