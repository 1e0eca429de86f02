"""A full disk, a locked database, a damaged or foreign database file and a database from a
newer Kithkin each end in one line naming the database and what to do, with an exit code
of its own (issue 18: tracebacks, exit code 1 for all, `kith init` saying "already set
up" on a damaged file and `kith serve` starting on it). And the WAL gives the disk back
after an import."""

from __future__ import annotations

import errno
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from kithkin import storage

KITH = str(Path(sys.executable).parent / "kith")


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def run(data):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(data), "COLUMNS": "200"}

    def kith(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [KITH, *args], env=env, input="", capture_output=True, text=True, timeout=120
        )

    return kith


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _garbage(data: Path) -> Path:
    database = data / "kithkin.sqlite3"
    database.write_bytes(b"PK\x03\x04 this is a zip file, not a database" * 400)
    os.chmod(database, 0o600)
    return database


@pytest.mark.parametrize("command", [["people"], ["today"], ["add", "Ada Lovelace"]])
def test_a_damaged_database_is_one_line_and_exit_65(run, data, command):
    database = _garbage(data)
    result = run(*command)
    assert result.returncode == 65
    line = _one_line(result)
    assert line.startswith(f"Error: {database} is not a usable Kithkin database")
    assert "Restore it from a backup" in line


def test_init_on_a_damaged_database_says_so_and_changes_nothing(run, data):
    database = _garbage(data)
    before = database.read_bytes()
    result = run("init", "--name", "Sam Writer")
    assert result.returncode == 65
    assert "already set up" not in result.stdout + result.stderr
    assert "is not a usable Kithkin database" in _one_line(result)
    assert database.read_bytes() == before


def test_serve_refuses_to_start_on_a_damaged_database(run, data):
    _garbage(data)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("serve", "--port", str(port))  # returns: it never starts
    assert result.returncode == 65
    assert "is not a usable Kithkin database" in result.stderr
    assert "Kithkin is running" not in result.stdout


def test_another_programs_database_is_not_migrated_into(run, data):
    database = data / "kithkin.sqlite3"
    with closing(sqlite3.connect(database)) as other:
        other.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        other.commit()
    os.chmod(database, 0o600)
    for command in (["init", "--name", "Sam Writer"], ["people"]):
        result = run(*command)
        assert result.returncode == 65
        assert "its tables moz_places are another program's" in _one_line(result)
    with closing(sqlite3.connect(database)) as other:
        tables = {row[0] for row in other.execute("SELECT name FROM sqlite_master")}
    assert tables == {"moz_places"}


def test_a_database_from_a_newer_kithkin_asks_for_an_upgrade(run, data):
    assert run("init", "--name", "Sam Writer").returncode == 0
    database = data / "kithkin.sqlite3"
    with closing(sqlite3.connect(database)) as newer:
        newer.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('kithkin', '0099_from_the_future', '2027-01-01')"
        )
        newer.commit()
    for command in (["people"], ["init"], ["serve", "--port", "1"]):
        result = run(*command)
        assert result.returncode == 78, command
        line = _one_line(result)
        assert line.startswith(f"Error: {database} was written by a newer Kithkin")
        assert "kithkin.0099_from_the_future" in line and "Upgrade Kithkin" in line


# In-process, on the suite's database ------------------------------------------------


@pytest.fixture
def no_room():
    """SQLite may not grow the database by one page (SQLITE_FULL), as on a full disk."""
    if connection.vendor != "sqlite":
        pytest.skip("max_page_count is SQLite's; PostgreSQL's disk_full is mapped by SQLSTATE")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 4294967294")


def test_a_full_disk_during_an_import_is_one_line_and_exit_74(kith, tmp_path, no_room):
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.org\r\n"
        f"NOTE:{'x' * 2000}\r\nEND:VCARD\r\n"
        for n in range(300)
    )
    path = tmp_path / "contacts.vcf"
    path.write_text(cards)
    result = kith("import", "vcard", str(path), "--create-people")
    assert result.exit_code == 74, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: The disk holding ")
    assert "is full. Free some space" in result.stderr


def test_a_full_disk_during_kith_add_is_one_line_and_exit_74(kith, no_room):
    result = kith("add", "Ada Lovelace", "--matters", "engines " * 20000)
    assert result.exit_code == 74
    assert "is full. Free some space and run the command again" in result.stderr


def test_a_full_disk_writing_a_file_names_the_file(kith, tmp_path, monkeypatch):
    target = tmp_path / "network.json"

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", no_space)
    result = kith("export", "json", "--output", str(target))
    assert result.exit_code == 74
    assert result.stderr.strip() == (
        f"Error: The disk is full: cannot write {target}. Free some space and run the "
        "command again; what it was writing was not saved."
    )


def test_a_locked_database_is_one_line_and_exit_75(kith, tmp_path, monkeypatch):
    path = tmp_path / "held.sqlite3"
    with closing(sqlite3.connect(path)) as holder, closing(sqlite3.connect(path, timeout=0)) as me:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(sqlite3.OperationalError) as real:
            me.execute("INSERT INTO t VALUES (1)")

    def locked(*args, **kwargs):
        raise OperationalError(*real.value.args) from real.value

    monkeypatch.setattr("kithkin.services.people.add_person", locked)
    result = kith("add", "Ada Lovelace")
    assert result.exit_code == 75
    assert result.stderr.count("\n") == 1
    assert "is locked: another Kithkin process" in result.stderr
    assert "Run the command again in a moment" in result.stderr


def test_other_errors_are_not_disguised():
    assert storage.as_kith_error(ValueError("a bug")) is None
    assert storage.as_kith_error(OSError(errno.EACCES, "Permission denied")) is None


@pytest.mark.parametrize(
    ("sqlstate", "kind"),
    [
        ("53100", storage.DiskFull),
        ("55P03", storage.DatabaseLocked),
        ("XX001", storage.DatabaseDamaged),
    ],
)
def test_postgresql_errors_are_read_by_their_sqlstate(sqlstate, kind):
    class PgError(Exception):
        pass

    cause = PgError("could not extend file")
    cause.sqlstate = sqlstate  # type: ignore[attr-defined]
    wrapped = OperationalError("wrapped")
    wrapped.__cause__ = cause  # as Django wraps the driver's error
    assert isinstance(storage.as_kith_error(wrapped), kind)


def test_exit_codes_are_distinct_and_keep_1_for_not_found():
    codes = [
        storage.DatabaseDamaged.exit_code,
        storage.DiskFull.exit_code,
        storage.DatabaseLocked.exit_code,
        storage.NewerSchema.exit_code,
    ]
    assert len(set(codes)) == 4 and not {0, 1, 2, 3, 130} & set(codes)
    documented = (Path(__file__).parents[1] / "docs" / "cli.md").read_text()
    for code in codes:
        assert f"| {code} |" in documented


# The WAL ------------------------------------------------------------------------------


def test_the_wal_is_truncated_after_a_large_write(tmp_path):
    path = tmp_path / "wal.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as writer:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE t (x)")
        writer.execute("BEGIN")
        writer.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,)] * 2000)
        writer.execute("COMMIT")
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 1_000_000
        assert storage.truncate_wal(writer.cursor()) is True
        assert wal.stat().st_size == 0


def test_a_busy_checkpoint_is_left_for_later_without_failing(tmp_path):
    path = tmp_path / "wal.sqlite3"
    with (
        closing(sqlite3.connect(path, isolation_level=None)) as writer,
        closing(sqlite3.connect(path, isolation_level=None)) as reader,
    ):
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE t (x)")
        writer.execute("INSERT INTO t VALUES (1)")
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM t").fetchall()  # a reader holds the WAL
        writer.execute("INSERT INTO t VALUES (2)")
        assert storage.truncate_wal(writer.cursor()) is False
        reader.execute("COMMIT")


def test_a_checkpoint_never_waits_for_readers_holding_writers_off(tmp_path):
    # A TRUNCATE checkpoint that waits blocks every new writer while it waits: after a
    # large import, a backup reading for seconds refused the web's writes (503) for the
    # whole 20 s busy timeout. The reader here lets go after 5 s: a checkpoint that waited
    # would then succeed; one that does not wait is left for later at once.
    path = tmp_path / "wal.sqlite3"
    with (
        closing(sqlite3.connect(path, isolation_level=None, timeout=20)) as writer,
        closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as reader,
    ):
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE t (x)")
        writer.execute("INSERT INTO t VALUES (1)")
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM t").fetchall()
        writer.execute("INSERT INTO t VALUES (2)")
        release = threading.Timer(5, reader.execute, ["COMMIT"])
        release.start()
        try:
            assert storage.truncate_wal(writer.cursor()) is False
        finally:
            release.cancel()
        if reader.in_transaction:
            reader.execute("COMMIT")
        assert writer.execute("PRAGMA busy_timeout").fetchone() == (20000,)  # restored
        assert storage.truncate_wal(writer.cursor()) is True  # and done once nobody reads


def test_an_import_checkpoints_the_wal_once_committed(
    kith, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(storage, "checkpoint_wal", lambda: calls.append("checkpoint"))
    path = tmp_path / "contacts.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert kith("import", "vcard", str(path), "--create-people").exit_code == 0
    assert calls == ["checkpoint"]
