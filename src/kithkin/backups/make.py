"""Making a backup: a consistent copy of the whole install while the server writes.

- SQLite: the online backup API (``sqlite3.Connection.backup``) in steps of pages, with
  progress. The source connection holds one read transaction for the whole copy, so every
  step copies the same snapshot (WAL: writers go on meanwhile, and nothing restarts the
  copy). The result is turned into a plain single-file database before it is published.
  It is not read back here: the copy is page for page, and checking it whole costs ~9x the
  copy (docs/performance.md); ``kith backup --verify`` (``restore.verify_backup``) checks
  a backup fully, and the worker verifies each scheduled one.
- PostgreSQL: ``pg_dump --format=custom`` (one repeatable-read snapshot of its own) when a
  ``pg_dump`` of the server's major version is on PATH; else Kithkin JSON of every network,
  users and memberships included, read in one repeatable-read transaction.

A backup is written beside its target as a private partial file and moved into place
when whole: the target is a finished backup or absent. Encrypted: see ``crypto``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection

from kithkin import clock
from kithkin.backups import crypto
from kithkin.errors import KithError
from kithkin.files import new_private_file, private_dir, publish
from kithkin.models import Backup

# Pages copied per step of SQLite's backup (4 KiB pages: 16 MiB a step).
STEP_PAGES = 4096
JSON_FORMAT = "kithkin-backup"
JSON_VERSION = 1
EXTENSIONS: dict[str, str] = {
    Backup.Method.SQLITE: ".sqlite3",
    Backup.Method.PG_DUMP: ".pgdump",
    Backup.Method.JSON: ".kithkin-backup.json",
}
ENCRYPTED_EXTENSION = ".enc"

Progress = Callable[[str, int, int], None]  # what, done, total


def _quiet(what: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class MadeBackup:
    record: Backup | None  # None: made, but the database was too busy to record it
    path: Path
    method: str
    note: str  # why this method, when it is not the engine's first choice ("" otherwise)
    size: int


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def database_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def default_name(method: str, encrypted: bool, at: dt.datetime) -> str:
    stamp = at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"kithkin-{stamp}{EXTENSIONS[method]}" + (ENCRYPTED_EXTENSION if encrypted else "")


def free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or ``name`` with -2, -3… before its extensions when that is
    taken: the default name counts seconds, and two backups can start in one."""
    stem, dot, extensions = name.partition(".")
    candidate, number = folder / name, 2
    while candidate.exists():
        candidate, number = folder / f"{stem}-{number}{dot}{extensions}", number + 1
    return candidate


def choose_method() -> tuple[str, str]:
    """The method this install backs up with, and why it is not pg_dump when it is not."""
    if is_sqlite():
        return Backup.Method.SQLITE, ""
    problem = pg_dump_problem()
    if problem is None:
        return Backup.Method.PG_DUMP, ""
    return Backup.Method.JSON, f"{problem}: writing Kithkin JSON of every network instead"


def pg_dump_problem() -> str | None:
    """None when a ``pg_dump`` of the server's major version is on PATH; else what is wrong."""
    executable = shutil.which("pg_dump")
    if executable is None:
        return "pg_dump is not on PATH"
    try:
        shown = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return f"{executable} --version failed"
    found = re.search(r"(\d+)(?:\.\d+)?", shown)
    client = int(found.group(1)) if found else 0
    connection.ensure_connection()
    server = connection.pg_version // 10000  # type: ignore[attr-defined]
    if client != server:
        return f"pg_dump {client} does not match the server's PostgreSQL {server}"
    return None


def make_backup(
    target: Path | None = None,
    *,
    passphrase: str = "",
    scheduled: bool = False,
    progress: Progress = _quiet,
) -> MadeBackup:
    """Back the whole install up to ``target`` (default: the backup folder, named by the
    time), encrypted when ``passphrase`` is given, and record it."""
    method, note = choose_method()
    made_at = clock.now()
    if target is None:
        private_dir(backup_dir())
        target = free_name(backup_dir(), default_name(method, bool(passphrase), made_at))
    target = target.expanduser().absolute()
    if target.exists():
        raise KithError(f"{target} exists already: name a new file.")
    if not target.parent.is_dir():
        raise KithError(f"{target.parent} is not a folder: create it first.")
    try:
        return _made(target, method, note, made_at, passphrase, scheduled, progress)
    except OSError as exc:  # a full disk, a folder that cannot be written
        raise KithError(f"Cannot write the backup {target}: {exc.strerror or exc}.") from exc


def _made(
    target: Path,
    method: str,
    note: str,
    made_at: dt.datetime,
    passphrase: str,
    scheduled: bool,
    progress: Progress,
) -> MadeBackup:
    partial = new_private_file(target.with_name(f".{target.name}.partial-{os.getpid()}"))
    sealed = None
    try:
        if method == Backup.Method.SQLITE:
            copy_sqlite(database_path(), partial, progress)
        elif method == Backup.Method.PG_DUMP:
            dump_postgresql(partial)
        else:
            write_json(partial, progress)
        if passphrase:
            progress("encrypting", 0, 1)
            sealed = new_private_file(target.with_name(f".{target.name}.sealed-{os.getpid()}"))
            crypto.encrypt_file(partial, sealed, passphrase)
            partial.unlink()
            partial, sealed = sealed, None
            progress("encrypting", 1, 1)
        publish(partial, target)
    finally:
        for leftover in (partial, sealed):
            if leftover is not None:
                leftover.unlink(missing_ok=True)
    size = target.stat().st_size
    try:
        record: Backup | None = Backup.objects.create(
            path=str(target),
            method=method,
            scheduled=scheduled,
            encrypted=bool(passphrase),
            size=size,
            made_at=made_at,
        )
    except DatabaseError:  # locked past the timeout by a long write: the file is what counts
        record = None
        note = "; ".join(filter(None, [note, "the database was too busy to record this backup"]))
    return MadeBackup(record, target, method, note, size)


# SQLite


def copy_sqlite(
    source: Path, target: Path, progress: Progress = _quiet, *, check: str = ""
) -> None:
    """A consistent copy of the live database ``source`` into the empty file ``target``;
    with ``check`` ("quick_check" or "integrity_check"), read back as well."""
    if not source.is_file():
        raise KithError(f"No database at {source}: run `kith init` first.")
    reader = sqlite3.connect(source, timeout=30, isolation_level=None)
    writer = sqlite3.connect(target, isolation_level=None)

    def stepped(status: int, remaining: int, total: int) -> None:
        progress("copying", total - remaining, total)

    try:
        try:
            # One snapshot for every step: the read transaction stays open until the end.
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
            reader.backup(writer, pages=STEP_PAGES, progress=stepped)
            reader.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise KithError(f"{source}: cannot be copied to {target.parent} ({exc}).") from exc
        writer.execute("PRAGMA journal_mode=DELETE")  # one plain file, no -wal beside it
        check_sqlite(writer, str(target), check)
    finally:
        writer.close()
        reader.close()


def check_sqlite(database: sqlite3.Connection, name: str, check: str = "integrity_check") -> None:
    """``PRAGMA integrity_check`` (or ``quick_check``; "": none): a finding is an error
    naming the file."""
    if not check:
        return
    assert check in ("integrity_check", "quick_check")
    try:
        found = [row[0] for row in database.execute(f"PRAGMA {check}").fetchall()]
    except sqlite3.DatabaseError as exc:
        raise KithError(f"{name}: not a readable SQLite database ({exc}).") from exc
    if found != ["ok"]:
        raise KithError(f"{name}: the integrity check failed: {'; '.join(found[:3])}")


# PostgreSQL


def pg_environment() -> dict[str, str]:
    """The connection settings as libpq's variables: no password on a command line."""
    database = settings.DATABASES["default"]
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment


def dump_postgresql(target: Path) -> None:
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-password", f"--file={target}"],
        env=pg_environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise KithError(f"pg_dump failed: {last}")


def write_json(target: Path, progress: Progress = _quiet) -> None:
    document = json_document(progress)
    with target.open("w", encoding="utf-8") as file:
        json.dump(document, file, ensure_ascii=False)
        file.write("\n")


def json_document(progress: Progress = _quiet) -> dict[str, Any]:
    """Users, networks, memberships and every network's Kithkin JSON, in one snapshot."""
    from kithkin.exporters.kithkin_json import network_document
    from kithkin.exporters.snapshot import one_snapshot
    from kithkin.models import Membership, Network, User

    with one_snapshot():
        users = [
            {
                "username": u.username,
                "password": u.password,  # the hash, as stored
                "email": u.email,
                "first_name": u.first_name,
                "last_name": u.last_name,
                "time_zone": u.time_zone,
                "is_active": u.is_active,
                "is_staff": u.is_staff,
                "is_superuser": u.is_superuser,
                "date_joined": u.date_joined.isoformat(),
            }
            for u in User.objects.order_by("pk")
        ]
        networks = list(Network.objects.order_by("pk"))
        members: dict[int, list[dict[str, str]]] = {}
        for m in Membership.objects.select_related("user").order_by("pk"):
            members.setdefault(m.network_id, []).append(
                {"username": m.user.username, "role": m.role}
            )
        documents = []
        for index, network in enumerate(networks):
            progress("exporting", index, len(networks))
            documents.append(
                {
                    "name": network.name,
                    "members": members.get(network.pk, []),
                    "export": network_document(network),
                }
            )
        progress("exporting", len(networks), len(networks))
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "made_at": clock.now().isoformat(),
        "users": users,
        "networks": documents,
    }
