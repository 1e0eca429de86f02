"""What every command needs: Django set up, the database ready, who is acting, where."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from kithkin.cli.output import err, out, print_json  # noqa: F401  (re-exported)
from kithkin.errors import Ambiguous, InvalidInput, KithError, Misconfigured, NotFound

if TYPE_CHECKING:
    from kithkin.models import Network, User

P = ParamSpec("P")
R = TypeVar("R")


def setup_django() -> None:
    from kithkin.files import restrict_umask

    restrict_umask()  # the database, its -wal and -shm, exports: this user's alone
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        try:
            django.setup()
        except Exception as exc:  # ImproperlyConfigured from a bad KITH_* variable
            from django.core.exceptions import ImproperlyConfigured

            if isinstance(exc, ImproperlyConfigured):
                raise Misconfigured(f"Configuration: {exc}") from exc
            raise


def is_sqlite() -> bool:
    from django.conf import settings

    return str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3")


def database_is_initialised() -> bool:
    """Whether Kithkin's tables exist; a damaged or foreign database, or one from a newer
    Kithkin, is an error that says so (``storage.check_database``)."""
    from kithkin.storage import check_database

    return check_database()


def _newest_migrations_applied() -> bool:
    """Whether the newest migration file of every installed app is recorded as applied:
    one query and a directory listing, where the full check loads the migration graph."""
    from django.apps import apps
    from django.db import DatabaseError, connection

    newest = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        names = sorted(p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))
        if names:
            newest.append((config.label, names[-1]))
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT app, name FROM django_migrations WHERE "
                + " OR ".join(["(app = %s AND name = %s)"] * len(newest)),
                [value for pair in newest for value in pair],
            )
            return len(cursor.fetchall()) == len(newest)
    except DatabaseError:
        return False


def migrate(verbosity: int = 0, *, quick: bool = False) -> None:
    """Apply any migrations not yet applied (first run, or after an upgrade). ``quick``
    (every command): trust the newest migration files being applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if quick and _newest_migrations_applied():
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=verbosity, interactive=False)
        from kithkin.services.query_planner import refresh_statistics

        refresh_statistics()


@dataclass
class Session:
    """The acting user, the network they work in, and their local today."""

    user: User
    network: Network
    today: dt.date


def session(*, on: dt.date | None = None) -> Session:
    setup_django()
    secure_files()  # before SQLite opens (and so creates) a -wal and -shm
    if not database_is_initialised():
        from django.conf import settings

        raise KithError(f"No Kithkin database in {settings.DATA_DIR}: run `kith init` first.")
    migrate(quick=True)
    from kithkin import access, clock

    user = acting_user()
    return Session(
        user=user, network=access.current_network(user), today=on or clock.today_in(user.time_zone)
    )


def secure_files() -> None:
    """Make the data directory and the database private (kithkin.files), saying so in one
    line on stderr when an install had them readable by others."""
    from django.conf import settings

    from kithkin.files import describe, secure_data_dir

    database = Path(str(settings.DATABASES["default"]["NAME"])) if is_sqlite() else None
    if database is not None and str(database) == ":memory:":
        database = None
    data_dir = Path(settings.DATA_DIR)
    line = describe(secure_data_dir(data_dir, database), data_dir)
    if line:
        err.print(line)


def acting_user() -> User:
    from django.conf import settings

    from kithkin.models import User

    if settings.CLI_USERNAME:
        user = User.objects.filter(username=settings.CLI_USERNAME).first()
        if user is None:
            raise KithError(f"KITH_USER={settings.CLI_USERNAME!r}: no such user.")
        return user
    user = User.objects.order_by("pk").first()
    if user is None:
        raise KithError("No Kithkin user yet: run `kith init` first.")
    return user


def handle_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Set Django up, then run the command, turning Kithkin's errors into one clear line on
    stderr and the documented exit code."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            setup_django()  # here, not at start-up: `kith --help` never needs it
            return function(*args, **kwargs)
        except Ambiguous as exc:
            err.print(f"Error: {exc}")
            for candidate in exc.candidates:
                err.print(f"  • {candidate}")
            raise typer.Exit(exc.exit_code) from None
        except NotFound as exc:
            hint = f" Did you mean {' or '.join(exc.suggestions)}?" if exc.suggestions else ""
            err.print(f"Error: {exc}{hint}")
            raise typer.Exit(exc.exit_code) from None
        except InvalidInput as exc:
            err.print(f"Error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except KithError as exc:
            err.print(f"Error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except Exception as exc:
            # A full disk, a locked or damaged database: one line and its own exit code.
            from kithkin.storage import as_kith_error

            said = as_kith_error(exc)
            if said is None:
                raise
            err.print(f"Error: {said}")
            raise typer.Exit(said.exit_code) from None

    return wrapper


def parse_day(text: str | None, today: dt.date, field: str) -> dt.date | None:
    if text is None:
        return None
    from kithkin.dates import parse_date  # parsedatetime: only when there is a date to read

    return parse_date(text, today, field)


@contextmanager
def options_named(names: dict[str, str]) -> Iterator[None]:
    """Name a service's field as the user typed it: 'renews_on' is --renews here."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field in names:
            raise InvalidInput(names[exc.field], exc.message) from None
        raise


def can_ask() -> bool:
    """Whether someone is at the keyboard to answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


def confirmed(question: str, *, unasked: str) -> bool:
    """Ask ``question``; without a terminal, print ``unasked`` (what to do instead) and
    change nothing. Every destructive command asks through here."""
    if not can_ask():
        out.print(unasked)
        return False
    if not typer.confirm(question, default=False):
        out.print("Nothing changed.")
        return False
    return True
