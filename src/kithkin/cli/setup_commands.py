"""`kith init` and `kith demo`: getting started."""

from __future__ import annotations

import getpass
import os
import pwd
import secrets
from pathlib import Path
from typing import Annotated

import typer

from kithkin import access
from kithkin.cli.context import err, handle_errors, is_sqlite, migrate, out, setup_django
from kithkin.errors import KithError
from kithkin.models import User


def _default_full_name() -> str:
    try:
        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or getpass.getuser().replace(".", " ").title() or "Me"


def _system_time_zone() -> str:
    from django.conf import settings

    if os.environ.get("KITH_TIME_ZONE"):
        return str(settings.DEFAULT_TIME_ZONE)
    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    try:
        timezone_file = Path("/etc/timezone").read_text().strip()
        if timezone_file:
            return timezone_file
    except OSError:
        pass
    localtime = Path("/etc/localtime")
    if localtime.is_symlink() and "zoneinfo/" in str(localtime.resolve()):
        return str(localtime.resolve()).split("zoneinfo/", 1)[1]
    return str(settings.DEFAULT_TIME_ZONE)


def prepare_storage() -> None:
    """Create the data directory, the secret key and the database schema."""
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(50) + "\n")
    except OSError as exc:
        raise KithError(f"Cannot create the data directory {data_dir}: {exc.strerror}") from exc
    migrate()


def ensure_user(
    name: str | None, username: str | None, email: str, time_zone: str | None
) -> tuple[User, bool]:
    from kithkin.models import User
    from kithkin.services.accounts import create_user

    existing = User.objects.order_by("pk").first()
    if existing is not None:
        return existing, False
    full_name = name or _default_full_name()
    user = create_user(
        username=username or getpass.getuser() or "me",
        full_name=full_name,
        email=email,
        time_zone=time_zone or _system_time_zone(),
    )
    return user, True


@handle_errors
def init(
    name: Annotated[str | None, typer.Option(help="Your name (default: from the system).")] = None,
    username: Annotated[
        str | None, typer.Option(help="Your login (default: your system user).")
    ] = None,
    email: Annotated[str, typer.Option(help="Your email address.")] = "",
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="e.g. Europe/Paris (default: the system's).")
    ] = None,
) -> None:
    """Set up Kithkin: the data directory, the database, your user and *me*.

    Safe to run again: it then only applies pending database upgrades.
    """
    setup_django()
    from django.conf import settings

    prepare_storage()
    user, created = ensure_user(name, username, email, time_zone)
    where = (
        settings.DATABASES["default"]["NAME"]
        if is_sqlite()
        else f"PostgreSQL database {settings.DATABASES['default']['NAME']}"
    )
    if created:
        out.print(f"Kithkin is ready: {where}")
        out.print(
            f"You are {user.username} ({user.time_zone}); your network is "
            f"{access.current_network(user).name}."
        )
        out.print('Next: kith add "Ada Lovelace" --email ada@example.org --circle close')
    else:
        out.print(f"Kithkin is already set up: {where} (user {user.username}).")


@handle_errors
def demo(
    people: Annotated[int, typer.Option(min=10, max=30000, help="How many people.")] = 250,
    interactions: Annotated[
        int, typer.Option(min=0, max=1_000_000, help="How many interactions over two years.")
    ] = 3000,
    seed: Annotated[int, typer.Option(help="Same seed, same network.")] = 7,
) -> None:
    """Load a realistic generated network ("Demo") to explore, and switch to it.

    Your own network is left untouched; `kith network use` switches back.
    """
    from rich.progress import Progress, TaskID

    setup_django()
    from django.conf import settings

    prepare_storage()
    user, _ = ensure_user(None, None, "", None)
    from django.db import transaction

    from kithkin.demo import generate_network
    from kithkin.models import Network
    from kithkin.services.accounts import create_network

    with transaction.atomic():
        Network.objects.filter(
            name="Demo", memberships__user=user, memberships__role="owner"
        ).delete()
        network = create_network(user, name="Demo")
        with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage.capitalize(), total=total)
                progress.update(tasks[stage], completed=done, total=total)

            stats = generate_network(
                network,
                user,
                people=people,
                interactions=interactions,
                seed=seed,
                progress=report,
            )
    from kithkin.cli.serve_commands import DEMO_LOGIN_FILE
    from kithkin.demo.login import demo_login

    username, password = demo_login(network)
    login_file = Path(settings.DATA_DIR) / DEMO_LOGIN_FILE
    login_file.touch(mode=0o600)
    login_file.write_text(f"{username} / {password}\n")
    out.print(
        f"Loaded the Demo network: {stats.people} people, {stats.organizations} organizations, "
        f"{stats.interactions} interactions, {stats.follow_ups} follow-ups."
    )
    out.print(
        "You are now working in it. Try: kith today · kith find python · "
        "kith network use (to switch back)"
    )
    out.print(f"Web: `kith serve`, then log in as {username} / {password}")
    out.print(
        "Your own network: LinkedIn → Settings → Data privacy → Get a copy of your data, "
        "then `kith network use` your network and `kith import linkedin ~/Downloads/Basic_LinkedInDataExport.zip`"
    )
