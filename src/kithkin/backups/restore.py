"""Checking a backup and restoring one.

``verify_backup`` restores into a temporary place and counts what it holds, per network:
a SQLite backup into a temporary file (``PRAGMA integrity_check`` and the foreign keys);
a pg_dump archive into a temporary database when the server allows one to be created
(else its table of contents is read, and the counts are not known); Kithkin JSON parsed
and counted.

``restore_backup`` fills an empty install (no database file, or one without users) and
refuses anything else with one line; then it migrates, so a backup made by an older
Kithkin comes back at today's schema. A backup made by a newer Kithkin is refused.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from kithkin import clock
from kithkin.backups import crypto
from kithkin.backups.make import (
    JSON_FORMAT,
    JSON_VERSION,
    check_sqlite,
    database_path,
    is_sqlite,
    pg_environment,
)
from kithkin.errors import KithError
from kithkin.files import new_private_file, private_dir
from kithkin.models import Backup

PG_RESTORE = ("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error")
Counts = dict[str, dict[str, int]]  # network name -> what -> how many
# What is counted in each network, by table: the domain's words as the CLI prints them.
COUNTED = {
    "people": "SELECT network_id, count(*) FROM kithkin_person WHERE NOT is_self GROUP BY network_id",
    "interactions": "SELECT network_id, count(*) FROM kithkin_interaction GROUP BY network_id",
    "follow_ups": "SELECT network_id, count(*) FROM kithkin_followup GROUP BY network_id",
    "organizations": "SELECT network_id, count(*) FROM kithkin_organization GROUP BY network_id",
}
JSON_COUNTED = {
    "people": "people",
    "interactions": "interactions",
    "follow_ups": "follow_ups",
    "organizations": "organizations",
}


@dataclass(frozen=True)
class Verification:
    path: Path
    kind: str  # sqlite, pg_dump, json
    encrypted: bool
    users: int | None
    counts: Counts  # empty when they could not be counted (see note)
    note: str = ""


@dataclass(frozen=True)
class Restored:
    kind: str
    users: int | None
    counts: Counts = field(default_factory=dict)
    migrated: bool = False


def kind_of(path: Path, name: str) -> str:
    """sqlite, pg_dump or json, from the file's first bytes (decrypted); ``name``: the
    file as the user named it."""
    with path.open("rb") as file:
        start = file.read(16)
    if start.startswith(b"SQLite format 3\0"):
        return "sqlite"
    if start.startswith(b"PGDMP"):
        return "pg_dump"
    if start.lstrip()[:1] == b"{":
        return "json"
    raise KithError(f"{name}: not a Kithkin backup (neither SQLite, pg_dump nor Kithkin JSON).")


@contextmanager
def opened(path: Path, passphrase: str | None) -> Iterator[tuple[Path, bool]]:
    """The backup as a plain file in a private temporary folder (decrypted, or copied so
    nothing touches the original), and whether it was encrypted."""
    if not path.is_file():
        raise KithError(f"{path}: no such file.")
    encrypted = crypto.is_encrypted(path)
    if encrypted and not passphrase:
        raise KithError(
            f"{path} is encrypted: give its passphrase (prompt, --passphrase-file or "
            "KITH_BACKUP_PASSPHRASE)."
        )
    with tempfile.TemporaryDirectory(prefix="kithkin-restore-") as folder:
        private_dir(Path(folder))
        plain = new_private_file(Path(folder) / "backup")
        if encrypted:
            crypto.decrypt_file(path, plain, passphrase or "")
        else:
            shutil.copyfile(path, plain)
        yield plain, encrypted


def verify_backup(path: Path, passphrase: str | None = None) -> Verification:
    """Restore ``path`` into a temporary place, check it and count it; a backup recorded
    by this install is marked verified."""
    path = path.expanduser().absolute()
    with opened(path, passphrase) as (plain, encrypted):
        kind = kind_of(plain, str(path))
        note = ""
        users: int | None
        if kind == "sqlite":
            users, counts = _verify_sqlite(plain, str(path))
        elif kind == "json":
            users, counts = _json_counts(_read_json(plain, str(path)), str(path))
        else:
            users, counts, note = _verify_pg_dump(plain, str(path))
    recorded_here = not is_sqlite() or database_path().exists()  # never create one
    if recorded_here and (counts or kind == "sqlite"):
        with suppress(DatabaseError):  # locked by a long write: the check still stands
            Backup.objects.filter(path=str(path)).update(verified_at=clock.now(), counts=counts)
    return Verification(path, kind, encrypted, users, counts, note)


def _verify_sqlite(plain: Path, name: str) -> tuple[int, Counts]:
    database = sqlite3.connect(plain, isolation_level=None)
    try:
        check_sqlite(database, name)
        broken = database.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise KithError(f"{name}: {len(broken)} rows refer to rows that are not there.")
        return _sql_counts(lambda sql: database.execute(sql).fetchall(), name)
    finally:
        database.close()


def _sql_counts(run: Any, name: str) -> tuple[int, Counts]:
    try:
        users = run("SELECT count(*) FROM kithkin_user")[0][0]
        networks = dict(run("SELECT id, name FROM kithkin_network ORDER BY id"))
        counts: Counts = {_unique(networks, pk): dict.fromkeys(COUNTED, 0) for pk in networks}
        for what, sql in COUNTED.items():
            for network_id, number in run(sql):
                if network_id in networks:
                    counts[_unique(networks, network_id)][what] = number
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        raise KithError(f"{name}: not a Kithkin database ({exc}).") from exc
    return users, counts


def _unique(names: dict[int, str], pk: int) -> str:
    """The network's name, with its number when two networks share it."""
    name = names[pk]
    return name if list(names.values()).count(name) == 1 else f"{name} (#{pk})"


def _read_json(plain: Path, name: str) -> dict[str, Any]:
    try:
        with plain.open("rb") as file:
            document = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KithError(f"{name}: not readable JSON ({exc}).") from exc
    if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
        raise KithError(f'{name}: not a Kithkin backup (no "format": "{JSON_FORMAT}").')
    if document.get("version") != JSON_VERSION:
        raise KithError(
            f"{name}: written by another Kithkin (backup format {document.get('version')!r}); "
            f"this one reads {JSON_VERSION}."
        )
    return document


def _json_counts(document: dict[str, Any], name: str) -> tuple[int, Counts]:
    from kithkin.exporters.kithkin_json import FORMAT, READABLE_VERSIONS

    counts: Counts = {}
    networks = document.get("networks")
    if not isinstance(networks, list) or not isinstance(document.get("users"), list):
        raise KithError(f"{name}: the backup lists no users or networks.")
    for index, item in enumerate(networks):
        export = item.get("export") if isinstance(item, dict) else None
        if not isinstance(export, dict) or export.get("format") != FORMAT:
            raise KithError(f"{name}: networks[{index}] is not a Kithkin export.")
        if export.get("version") not in READABLE_VERSIONS:
            raise KithError(f"{name}: networks[{index}] has an unknown export version.")
        shown = str(item.get("name", ""))
        if shown in counts:
            shown = f"{shown} (#{index + 1})"
        counts[shown] = {
            what: len(export.get(key) or [])
            - (
                sum(1 for p in export.get("people") or [] if p.get("is_self"))
                if what == "people"
                else 0
            )
            for what, key in JSON_COUNTED.items()
        }
    return len(document["users"]), counts


def _verify_pg_dump(plain: Path, name: str) -> tuple[int | None, Counts, str]:
    listed = subprocess.run(["pg_restore", "--list", str(plain)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise KithError(f"{name}: pg_restore cannot read it: {listed.stderr.strip()[-200:]}")
    if is_sqlite():
        return None, {}, "readable by pg_restore; counted only when verified on PostgreSQL"
    scratch = f"kithkin_verify_{uuid.uuid4().hex[:12]}"
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{scratch}"')
    except DatabaseError as exc:
        return None, {}, f"readable by pg_restore; not counted (no temporary database: {exc})"
    try:
        environment = pg_environment() | {"PGDATABASE": scratch}
        done = subprocess.run(
            [*PG_RESTORE, "-d", scratch, str(plain)],
            env=environment,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise KithError(f"{name}: pg_restore failed: {done.stderr.strip()[-200:]}")
        import psycopg

        settings_dict = connection.settings_dict
        with psycopg.connect(
            dbname=scratch,
            user=settings_dict["USER"] or None,
            password=settings_dict["PASSWORD"] or None,
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
        ) as scratch_connection:
            users, counts = _sql_counts(
                lambda sql: scratch_connection.execute(sql).fetchall(),
                name,
            )
        return users, counts, ""
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')


# Restore


def restore_backup(path: Path, passphrase: str | None = None) -> Restored:
    """Fill this empty install from ``path``, then migrate it to today's schema."""
    path = path.expanduser().absolute()
    users = _users_here()
    if users:
        where = database_path() if is_sqlite() else f"database {connection.settings_dict['NAME']}"
        raise KithError(
            f"{where} holds Kithkin data already ({users} user{'s' if users != 1 else ''}): "
            "`kith restore` only fills an empty data directory or database."
        )
    if is_sqlite():
        private_dir(database_path().parent)
    with opened(path, passphrase) as (plain, _):
        kind = kind_of(plain, str(path))
        if kind == "sqlite":
            if not is_sqlite():
                raise KithError(
                    f"{path} is a SQLite backup: restore it with KITH_DATABASE_URL unset."
                )
            _restore_sqlite(plain, str(path))
        elif kind == "pg_dump":
            if is_sqlite():
                raise KithError(f"{path} is a pg_dump archive: restore it on PostgreSQL.")
            _restore_pg_dump(plain, str(path))
        else:
            document = _read_json(plain, str(path))
            _json_counts(document, str(path))
            call_command("migrate", interactive=False, verbosity=0)
            restore_json(document, str(path))
    migrated = _migrate()
    if is_sqlite():
        database_path().chmod(0o600)
    users_now, counts = _counts_here()
    return Restored(kind, users_now, counts, migrated)


def _users_here() -> int:
    if is_sqlite() and not database_path().exists():
        return 0
    try:
        if "kithkin_user" not in connection.introspection.table_names():
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kithkin_user")
            return int(cursor.fetchone()[0])
    except DatabaseError as exc:
        raise KithError(f"Cannot open the database: {exc}".strip()) from exc


def _restore_sqlite(plain: Path, name: str) -> None:
    database = sqlite3.connect(plain, isolation_level=None)
    try:
        check_sqlite(database, name)
        applied = {
            row[0]
            for row in database.execute("SELECT name FROM django_migrations WHERE app = 'kithkin'")
        }
    except sqlite3.DatabaseError as exc:
        raise KithError(f"{name}: not a Kithkin database ({exc}).") from exc
    finally:
        database.close()
    _refuse_newer(applied, name)
    target = database_path()
    private_dir(target.parent)
    connection.close()
    staged = new_private_file(target.with_name(f".{target.name}.restoring"))
    try:
        shutil.copyfile(plain, staged)
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{leftover}").unlink(missing_ok=True)
        staged.replace(target)
    finally:
        staged.unlink(missing_ok=True)
    target.chmod(0o600)


def _refuse_newer(applied: set[str], name: str) -> None:
    from kithkin import migrations

    known = {p.stem for p in Path(migrations.__file__).parent.glob("[0-9][0-9][0-9][0-9]_*.py")}
    unknown = sorted(applied - known)
    if unknown:
        raise KithError(
            f"{name} was made by a newer Kithkin (its schema has {unknown[-1]}): "
            "upgrade Kithkin, then restore."
        )


def _restore_pg_dump(plain: Path, name: str) -> None:
    connection.close()
    done = subprocess.run(
        [
            *PG_RESTORE,
            "--clean",
            "--if-exists",
            "-d",
            str(connection.settings_dict["NAME"]),
            str(plain),
        ],
        env=pg_environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise KithError(f"{name}: pg_restore failed: {done.stderr.strip()[-300:]}")


def _migrate() -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def _counts_here() -> tuple[int, Counts]:
    def run(sql: str) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())

    return _sql_counts(run, "the restored database")


def restore_json(document: dict[str, Any], name: str) -> None:
    """Users, networks with their members, and each network's export, in one transaction."""
    from kithkin.importers.kithkin_json import restore
    from kithkin.models import Membership, User
    from kithkin.services.accounts import create_network

    with transaction.atomic():
        users: dict[str, User] = {}
        for item in document["users"]:
            user = User(**{k: v for k, v in item.items() if k != "date_joined"})
            user.date_joined = item["date_joined"]
            user.save()
            users[user.username] = user
        for index, item in enumerate(document["networks"]):
            members = item.get("members") or []
            owners = [m for m in members if m.get("role") == "owner"]
            if not owners or owners[0].get("username") not in users:
                raise KithError(f"{name}: networks[{index}] has no owner among the users.")
            owner = users[owners[0]["username"]]
            export = item["export"]
            network = create_network(
                owner, name=item["name"], time_zone=export.get("network", {}).get("time_zone")
            )
            for member in members:
                if member is not owners[0]:
                    Membership.objects.create(
                        user=users[member["username"]], network=network, role=member["role"]
                    )
            restore(network, owner, export, f"{name}: networks[{index}]")
        for user in users.values():  # each starts in their first network
            first = Membership.objects.filter(user=user).order_by("pk").first()
            if first is not None:
                User.objects.filter(pk=user.pk).update(current_network=first.network_id)
