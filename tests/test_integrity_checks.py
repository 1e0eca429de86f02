"""`kith doctor`'s database integrity and file permission checks (kithkin.integrity)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing

import pytest
from django.db import connection

from kithkin import doctor, integrity

pytestmark = pytest.mark.django_db


def findings(name):
    return [finding for finding in doctor.run_checks() if finding.check == name]


def test_the_checks_are_registered_for_kith_doctor(owner):
    names = {finding.check for finding in doctor.run_checks()}
    assert {integrity.INTEGRITY, integrity.PERMISSIONS} <= names


def test_a_sound_database_passes_its_integrity_check(owner):
    [found] = findings(integrity.INTEGRITY)
    assert found.ok, found.detail
    if connection.vendor == "sqlite":
        assert "integrity_check found no problem" in found.detail
    else:
        assert "tables read" in found.detail


def test_migrations_from_a_newer_kithkin_are_a_problem(owner):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('kithkin', '0099_from_the_future', %s)",
            ["2027-01-01 00:00:00+00:00"],
        )
    [found] = findings(integrity.INTEGRITY)
    assert not found.ok
    assert "newer Kithkin" in found.detail and "0099_from_the_future" in found.detail


def test_a_damaged_sqlite_file_is_a_problem(tmp_path):
    """The check on a file whose index no longer matches its table."""
    path = tmp_path / "damaged.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE t (x)")
        db.execute("CREATE INDEX t_x ON t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(200)])
        db.commit()
        db.execute("PRAGMA writable_schema = ON")
        # The index now claims to be on another column: its entries no longer match.
        db.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX t_x ON t (x DESC)' WHERE name = 't_x'"
        )
        db.commit()
    with closing(sqlite3.connect(path)) as db:
        found = integrity.sqlite_integrity(db.cursor(), str(path))
    assert not found.ok
    assert found.detail.startswith(f"{path} (")
    assert "integrity_check found" in found.detail and "Restore the database" in found.detail


def test_files_readable_by_others_are_a_problem(settings, tmp_path, owner):
    settings.DATA_DIR = tmp_path / "data"
    (tmp_path / "data").mkdir(mode=0o700)
    os.chmod(tmp_path / "data", 0o700)
    secret = tmp_path / "data" / "secret_key"
    secret.write_text("s3cret")
    os.chmod(secret, 0o600)
    [fine] = findings(integrity.PERMISSIONS)
    assert fine.ok, fine.detail
    os.chmod(secret, 0o644)
    [found] = findings(integrity.PERMISSIONS)
    assert not found.ok
    assert str(secret) in found.detail and "chmod -R go-rwx" in found.detail
