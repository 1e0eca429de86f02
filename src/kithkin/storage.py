"""What can go wrong with the database, said in one line with what to do, and kept small.

Four conditions end a command (and refuse `kith serve`'s start) with one line naming the
database and an exit code of their own (docs/cli.md, docs/security.md):

| error | exit | when |
|---|---|---|
| ``DatabaseDamaged`` | 65 | the file is not a database, is damaged, or is another program's |
| ``DiskFull`` | 74 | SQLite's SQLITE_FULL, PostgreSQL's disk_full, a file write's ENOSPC/EDQUOT |
| ``DatabaseLocked`` | 75 | another process held the write lock past the busy timeout |
| ``NewerSchema`` | 78 | the database has migrations this version of Kithkin does not know |

``as_kith_error`` recognises them in any exception (Django wraps the driver's), by the
driver's error code first (``sqlite_errorcode``, psycopg's ``sqlstate``), then by its
message. ``check_database`` looks before anything is written: a file that is not a
SQLite database, a database whose tables are another program's, migrations from a newer
Kithkin. ``checkpoint_wal`` gives the disk back after a large write (an import): without
it SQLite's WAL keeps the size of the largest transaction until every connection closes.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kithkin.errors import KithError

_log = logging.getLogger(__name__)


class DatabaseDamaged(KithError):
    exit_code = 65


class DiskFull(KithError):
    exit_code = 74


class DatabaseLocked(KithError):
    exit_code = 75


class NewerSchema(KithError):
    exit_code = 78


# SQLite result codes (the primary code is the low byte of an extended one).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_NOTADB = 5, 6, 11, 13, 26
# PostgreSQL SQLSTATEs.
_PG_DISK_FULL = {"53100"}
_PG_LOCKED = {"55P03", "40P01"}  # lock_not_available, deadlock_detected
_PG_DAMAGED = {"XX001", "XX002"}  # data_corrupted, index_corrupted


def where() -> str:
    """The database as a person would look for it: its file, or PostgreSQL's name."""
    from django.conf import settings

    config = settings.DATABASES["default"]
    if str(config["ENGINE"]).endswith("sqlite3"):
        return str(config["NAME"])
    return f"PostgreSQL database {config['NAME']} on {config.get('HOST') or 'localhost'}"


def damaged(reason: str) -> DatabaseDamaged:
    return DatabaseDamaged(
        f"{where()} is not a usable Kithkin database ({reason}). Restore it from a backup, "
        "or move it away and run `kith init` to start afresh; `kith doctor` checks it."
    )


def as_kith_error(exc: BaseException) -> KithError | None:
    """The one-line error for a full disk, a locked or damaged database in ``exc`` (or
    what caused it), else None."""
    for error in _chain(exc):
        if isinstance(error, KithError):
            return None
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            target = error.filename or where()
            return DiskFull(
                f"The disk is full: cannot write {target}. Free some space and run the "
                "command again; what it was writing was not saved."
            )
        found = _from_code(error) or _from_message(str(error).lower())
        if found is not None:
            return found
    return None


RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class Unavailable:
    """How a server answers a request the database cannot serve now: the status, one
    sentence for the person (nothing of the server's paths) and the headers."""

    status: int
    message: str
    headers: dict[str, str]


def unavailable(exc: BaseException) -> Unavailable | None:
    """503 with ``Retry-After`` for a database another process holds past the busy
    timeout (a large import on SQLite), 507 for a full disk; None for anything else."""
    problem = as_kith_error(exc)
    if isinstance(problem, DatabaseLocked):
        return Unavailable(
            503,
            "Kithkin is busy: another process (an import or a backup) is writing. "
            "Nothing was saved; try again in a moment.",
            {"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if isinstance(problem, DiskFull):
        return Unavailable(
            507, "The server's disk is full, so nothing was saved. Tell whoever runs it.", {}
        )
    return None


class UnavailableInOneLine(logging.Filter):
    """A handler filter: a request that failed because the database was busy or the disk
    full is logged as one line ("Service Unavailable: /today/ (database locked)"), not
    with the traceback Django attaches to every 5xx. Those are conditions of the
    machine, answered with 503 or 507 and a Retry-After; a traceback in the log reads as
    a crash and buries the real ones, which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and unavailable(error) is not None:
            why = (
                "database locked"
                if isinstance(as_kith_error(error), DatabaseLocked)
                else "disk full"
            )
            record.msg, record.args = f"{record.getMessage()} ({why})", ()
            record.exc_info = None
            record.exc_text = None
        return True


def _from_code(error: BaseException) -> KithError | None:
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str):
        if sqlstate in _PG_DISK_FULL:
            return _disk_full()
        if sqlstate in _PG_LOCKED:
            return _locked()
        if sqlstate in _PG_DAMAGED:
            return damaged(str(error).strip().splitlines()[0][:120])
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF
        if primary == _SQLITE_FULL:
            return _disk_full()
        if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return _locked()
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            return damaged(str(error))
    return None


def _from_message(text: str) -> KithError | None:
    if "database or disk is full" in text or "no space left on device" in text:
        return _disk_full()
    if "database is locked" in text or "database table is locked" in text:
        return _locked()
    if "file is not a database" in text or "disk image is malformed" in text:
        return damaged(text.strip()[:120])
    return None


def _disk_full() -> DiskFull:
    return DiskFull(
        f"The disk holding {where()} is full. Free some space and run the command again; "
        "the change was not saved."
    )


def _locked() -> DatabaseLocked:
    return DatabaseLocked(
        f"{where()} is locked: another Kithkin process (an import, a backup?) is writing. "
        "Run the command again in a moment."
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


# Before anything is written -----------------------------------------------------------


def check_database() -> bool:
    """Whether the database holds Kithkin's tables (False: empty or absent, `kith init`
    makes them). Raises DatabaseDamaged for a file that is not a database, is damaged or
    is another program's, NewerSchema for migrations this Kithkin does not know; on
    SQLite a missing file is not created."""
    from django.db import DatabaseError, connection

    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        in_memory = connection.is_in_memory_db()  # type: ignore[attr-defined]
        if not in_memory and not os.path.exists(name):
            return False  # don't let sqlite3 create an empty file here
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError as exc:
        raise as_kith_error(exc) or damaged(str(exc).strip()[:120]) from exc
    if "kithkin_user" not in tables:
        foreign = _foreign_tables(tables)
        if foreign:
            raise damaged(f"its tables {', '.join(foreign[:3])} are another program's")
        return False  # empty, or a first `kith init` cut short: migrating goes on
    unknown = unknown_migrations()
    if unknown:
        from kithkin import __version__

        raise NewerSchema(
            f"{where()} was written by a newer Kithkin: its migration {unknown[-1]} is "
            f"unknown to Kithkin {__version__}. Upgrade Kithkin "
            "(`pip install --upgrade kithkin`) to open it."
        )
    return True


def _foreign_tables(tables: set[str]) -> list[str]:
    """Tables that say the database is another program's: any, without Django's record
    of migrations; else those of apps Kithkin does not have."""
    from django.apps import apps
    from django.db import connection

    tables = {name for name in tables if not name.startswith("sqlite_")}
    if "django_migrations" not in tables:
        return sorted(tables)
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT app FROM django_migrations")
        recorded = {row[0] for row in cursor.fetchall()}
    labels = {config.label for config in apps.get_app_configs()}
    return sorted(recorded - labels)


def unknown_migrations() -> list[str]:
    """Migrations recorded as applied that no installed app has a file for ("app.name"),
    in the order applied: the database comes from a newer Kithkin. One query."""
    from django.apps import apps
    from django.db import connection

    known: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            known[config.label] = {p.stem for p in folder.glob("[0-9][0-9][0-9][0-9]_*.py")}
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        rows = cursor.fetchall()
    return [f"{app}.{name}" for app, name in rows if app in known and name not in known[app]]


# After a large write ------------------------------------------------------------------


def checkpoint_wal() -> bool:
    """Give the disk back after a large write: copy SQLite's WAL into the database and
    truncate it (``PRAGMA wal_checkpoint(TRUNCATE)``). Never fails the write it follows:
    busy (a reader or writer elsewhere) or any error, and it is left for later. Whether
    the WAL was truncated; nothing to do on PostgreSQL or in a transaction."""
    from django.db import DatabaseError, connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    try:
        with connection.cursor() as cursor:
            return truncate_wal(cursor)
    except DatabaseError as exc:
        _log.info("WAL checkpoint left for later: %s", exc)
        return False


def truncate_wal(cursor: Any) -> bool:
    """On a DB-API cursor of a SQLite connection: checkpoint and truncate the WAL; False
    when busy (a connection is reading or writing).

    Never waits: a TRUNCATE checkpoint that waits for readers holds every new writer off
    while it waits — up to the whole busy timeout (20 s), which refused the web's and the
    CLI's writes while a backup read. So it runs without a busy timeout, and the WAL a
    busy moment leaves is SQLite's own to checkpoint (and ``journal_size_limit`` to
    shrink) later."""
    cursor.execute("PRAGMA busy_timeout")
    row = cursor.fetchone()
    waited = row[0] if row else 0
    try:
        cursor.execute("PRAGMA busy_timeout = 0")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        row = cursor.fetchone()
    except sqlite3.OperationalError as exc:  # locked by a writer elsewhere
        _log.info("WAL checkpoint left for later: %s", exc)
        return False
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(waited)}")
    return row is not None and row[0] == 0
