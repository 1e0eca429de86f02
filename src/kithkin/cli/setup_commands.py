"""`kith init`, `kith password` and `kith demo`: getting started."""

from __future__ import annotations

import getpass
import os
import pwd
import re
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kithkin.cli import context
from kithkin.cli.context import (
    acting_user,
    err,
    handle_errors,
    is_sqlite,
    migrate,
    out,
    secure_files,
    session,
    setup_django,
)
from kithkin.errors import InvalidInput, KithError

if TYPE_CHECKING:
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
        secure_files()  # an existing directory, database, uploads: before SQLite opens
        key_file = data_dir / "secret_key"
        if not key_file.exists():
            key_file.touch(mode=0o600)
            key_file.write_text(secrets.token_urlsafe(50) + "\n")
    except OSError as exc:
        raise KithError(f"Cannot create the data directory {data_dir}: {exc.strerror}") from exc
    from kithkin.storage import check_database

    check_database()  # a damaged, foreign or newer database is refused, never migrated
    migrate()


def login_for(name: str | None, email: str) -> str:
    """The web login of someone who said who they are: their email's local part, else their
    first name ("sam" for Sam Writer), else the system's user name."""
    from kithkin.fulltext import fold

    candidates = [email.partition("@")[0] if "@" in email else ""]
    candidates.append(fold(name.split()[0]) if name and name.split() else "")
    for candidate in candidates:
        login = re.sub(r"[^a-z0-9_.+-]", "", candidate.lower())[:150]
        if login:
            return login
    return getpass.getuser() or "me"


def ensure_user(
    name: str | None,
    username: str | None,
    email: str,
    time_zone: str | None,
    *,
    ask: bool = False,
) -> tuple[User, bool]:
    """The first user (the one the command line acts as), created when there is none: as
    ``name``, else (``ask``) as whoever answers at the terminal, else after the system's
    user."""
    from kithkin.models import User
    from kithkin.services.accounts import create_user

    existing = User.objects.order_by("pk").first()
    if existing is not None:
        return existing, False
    if name is None and ask:
        name, email = _ask_who(email)
    full_name = name or _default_full_name()
    user = create_user(
        username=username or login_for(name, email),
        full_name=full_name,
        email=email,
        time_zone=time_zone or _system_time_zone(),
    )
    return user, True


def _ask_who(email: str) -> tuple[str, str]:
    """Your name and email, asked at the terminal (an email given as an option is kept)."""
    from kithkin import normalize

    def checked_email(typed: str) -> str:
        try:
            return normalize.email(typed, "email")[0] if typed.strip() else ""
        except InvalidInput as exc:
            raise typer.BadParameter(exc.message) from None  # asked again

    out.print("Who are you? Drafts are signed with your name; the web app logs you in with it.")
    name = typer.prompt("Your name", default=_default_full_name()).strip()
    if not email:
        email = typer.prompt(
            "Your email (optional)", default="", show_default=False, value_proc=checked_email
        )
    return name, email


def login_hint(user: User | None, url: str) -> str:
    """How to log in to the web app at ``url``, for `kith init` and `kith serve`."""
    from django.conf import settings

    if user is None:
        if settings.SIGNUP:
            return f"Create your account at {url}signup/ (or run `kith init` first)."
        return "No user yet: run `kith init`, then `kith password`."
    if not user.has_usable_password():
        return (
            f"No web password for {user.username} yet: run `kith password` to set one, "
            f"then log in as {user.username} at {url}"
        )
    return f"Log in as {user.username} at {url}"


def cli_user_or_none() -> User | None:
    """The user the command line acts as, if there is one yet."""
    try:
        return acting_user()
    except KithError:
        return None


@handle_errors
def init(
    name: Annotated[
        str | None, typer.Option(help="Your name (default: asked, else from the system).")
    ] = None,
    username: Annotated[
        str | None, typer.Option(help="Your login (default: your system user).")
    ] = None,
    email: Annotated[str, typer.Option(help="Your email address (default: asked).")] = "",
    time_zone: Annotated[
        str | None, typer.Option("--time-zone", help="e.g. Europe/Paris (default: the system's).")
    ] = None,
) -> None:
    """Set up Kithkin: the data directory, the database, you (your user) and *me*.

    On a terminal it asks your name and email, unless --name is given. Safe to run again:
    it then only applies pending database upgrades.
    """
    setup_django()
    from django.conf import settings

    from kithkin.access import current_network

    prepare_storage()
    user, created = ensure_user(name, username, email, time_zone, ask=context.can_ask())
    where = (
        settings.DATABASES["default"]["NAME"]
        if is_sqlite()
        else f"PostgreSQL database {settings.DATABASES['default']['NAME']}"
    )
    if created:
        out.print(f"Kithkin is ready: {where}")
        out.print(
            f"You are {user.get_full_name() or user.username} ({user.username}, "
            f"{user.time_zone}); your network is {current_network(user).name}."
        )
        out.print('Next: kith add "Ada Lovelace" --email ada@example.org --circle close')
    else:
        out.print(f"Kithkin is already set up: {where} (user {user.username}).")
    out.print(f"Web app (`kith serve`): {login_hint(user, 'http://localhost:8000/')}")


@handle_errors
def password(
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the password from one line of standard input.")
    ] = False,
) -> None:
    """Set your password for the web app, so it logs you in as the same user as `kith`.

    Asked twice, hidden, on a terminal; --stdin reads it from a script or a password
    manager instead.
    """
    from kithkin.services.accounts import set_password

    user = session().user
    if stdin:
        typed = sys.stdin.readline().rstrip("\r\n")
    elif context.can_ask():
        typed = typer.prompt(
            f"New web password for {user.username}", hide_input=True, confirmation_prompt=True
        )
    else:
        raise InvalidInput(
            "password", "no terminal to ask it at: pipe it in with `kith password --stdin`"
        )
    set_password(user, typed)
    out.print(f"Password set. Log in to the web app (`kith serve`) as {user.username}.")


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
