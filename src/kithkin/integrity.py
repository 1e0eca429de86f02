"""`kith doctor`'s checks of the database's integrity and of the files' permissions.

- ``database integrity``: on SQLite ``PRAGMA integrity_check`` (``quick_check`` past
  QUICK_CHECK_FROM bytes: it skips matching indexes to their tables, minutes saved on a
  large file); on PostgreSQL every Kithkin table read (one row each) and, when the amcheck
  extension is installed, ``bt_index_check`` on each of their B-tree indexes (a shared
  lock, no writes blocked). Migrations from a newer Kithkin are reported here too.
- ``file permissions``: the data directory and every folder in it 0700, every file 0600,
  the SQLite database and its -wal and -shm too (``kithkin.files``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kithkin import files, storage
from kithkin.doctor import Finding, check

QUICK_CHECK_FROM = 1024**3  # bytes
INTEGRITY = "database integrity"
PERMISSIONS = "file permissions"


@check(INTEGRITY)
def database_integrity() -> list[Finding]:
    from django.db import DatabaseError, connection

    try:
        if not storage.check_database():
            return [Finding(INTEGRITY, False, f"{storage.where()}: not set up; run `kith init`")]
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                return [sqlite_integrity(cursor, storage.where())]
        return [_postgresql_integrity()]
    except storage.NewerSchema as exc:
        return [Finding(INTEGRITY, False, str(exc))]
    except storage.DatabaseDamaged as exc:
        return [Finding(INTEGRITY, False, str(exc))]
    except DatabaseError as exc:
        said = storage.as_kith_error(exc)
        return [Finding(INTEGRITY, False, str(said or exc))]


def sqlite_integrity(cursor: Any, database: str) -> Finding:
    """The finding for the SQLite database of ``cursor`` (a DB-API cursor)."""
    cursor.execute("PRAGMA page_count")
    pages = cursor.fetchone()[0]
    cursor.execute("PRAGMA page_size")
    size = pages * cursor.fetchone()[0]
    pragma = "quick_check" if size >= QUICK_CHECK_FROM else "integrity_check"
    cursor.execute(f"PRAGMA {pragma}(20)")
    problems = [row[0] for row in cursor.fetchall() if row[0] != "ok"]
    where = f"{database} ({size / 1024**2:.1f} MB)"
    if not problems:
        return Finding(INTEGRITY, True, f"{where}: {pragma} found no problem")
    shown = "; ".join(problems[:3]) + (
        f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    )
    return Finding(
        INTEGRITY,
        False,
        f"{where}: {pragma} found {len(problems)} problem(s): {shown}. Restore the database "
        "from a backup; until then, export what you can (`kith export json`).",
    )


def _postgresql_integrity() -> Finding:
    from django.db import connection

    tables = [name for name in connection.introspection.table_names() if _ours(name)]
    checked_indexes = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            cursor.fetchall()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")
        if cursor.fetchone():
            cursor.execute(
                "SELECT i.indexrelid::regclass::text FROM pg_index i "
                "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = c.relam "
                "WHERE a.amname = 'btree' AND t.relname = ANY(%s)",
                [tables],
            )
            for (index,) in cursor.fetchall():
                cursor.execute("SELECT bt_index_check(%s::regclass)", [index])
                checked_indexes += 1
    how = (
        f"and {checked_indexes} indexes checked by amcheck"
        if checked_indexes
        else "(install the amcheck extension to check indexes too)"
    )
    return Finding(INTEGRITY, True, f"{storage.where()}: {len(tables)} tables read {how}")


def _ours(table: str) -> bool:
    return table.startswith(("kithkin_", "django_", "auth_"))


@check(PERMISSIONS)
def file_permissions() -> list[Finding]:
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    exposed: list[Path] = []
    candidates = [path for path, _ in files.kithkin_paths(data_dir)] if data_dir.is_dir() else []
    config = settings.DATABASES["default"]
    if str(config["ENGINE"]).endswith("sqlite3") and str(config["NAME"]) != ":memory:":
        candidates += [Path(f"{config['NAME']}{suffix}") for suffix in files.DATABASE_SUFFIXES]
    for path in dict.fromkeys(candidates):
        if path.exists() and not path.is_symlink() and not files.is_private(path):
            exposed.append(path)
    if not exposed:
        return [Finding(PERMISSIONS, True, f"{data_dir} and its files are private (0700/0600)")]
    shown = ", ".join(str(path) for path in exposed[:3]) + (" ..." if len(exposed) > 3 else "")
    return [
        Finding(
            PERMISSIONS,
            False,
            f"{len(exposed)} file(s) readable by others: {shown}. Any `kith` command makes "
            f"them private, or run `chmod -R go-rwx {data_dir}`.",
        )
    ]
