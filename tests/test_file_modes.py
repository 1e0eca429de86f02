"""Kithkin's files are its user's alone: the data directory 0700, the database, its -wal
and -shm, the secret key and uploads 0600 (issue 18: the database was created 0644 and an
existing data directory kept its mode). Real `kith` processes started with umask 022."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from kithkin import files

pytestmark = pytest.mark.once  # its processes run on their own SQLite data directory

KITH = str(Path(sys.executable).parent / "kith")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def kith(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [KITH, *args],
            env=env,
            input="",
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=lambda: os.umask(0o022),  # a usual login shell's
        )

    return run


def test_init_and_the_first_writes_make_every_file_private(kith, tmp_path):
    assert kith("init", "--name", "Sam Writer").returncode == 0
    assert kith("add", "Ada Lovelace").returncode == 0
    data = tmp_path / "data"
    database = data / "kithkin.sqlite3"
    assert mode(data) == 0o700
    assert mode(database) == mode(data / "secret_key") == 0o600
    # The -wal and -shm exist while a connection is open; SQLite gives them the mode of
    # the database, whatever the umask of the process that opens it.
    previous = os.umask(0o022)
    try:
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("UPDATE kithkin_person SET notes = 'x'")
            connection.commit()
            for path in (Path(f"{database}-wal"), Path(f"{database}-shm")):
                assert path.exists(), path
                assert mode(path) == 0o600, path
    finally:
        os.umask(previous)


def test_an_existing_install_readable_by_others_is_fixed_on_start_in_one_line(kith, tmp_path):
    assert kith("init", "--name", "Sam Writer").returncode == 0
    data = tmp_path / "data"
    database = data / "kithkin.sqlite3"
    uploads = data / "uploads"
    uploads.mkdir(mode=0o755)
    (uploads / "contacts.vcf").write_text("BEGIN:VCARD")
    os.chmod(uploads, 0o755)
    os.chmod(uploads / "contacts.vcf", 0o644)
    os.chmod(data, 0o755)
    os.chmod(database, 0o644)
    result = kith("people")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Made 4 files of {data} private (folders 0700, files 0600")
    assert mode(data) == mode(uploads) == 0o700
    assert mode(database) == mode(uploads / "contacts.vcf") == 0o600
    again = kith("people")
    assert again.stderr == ""  # said once, when it changed something


def test_init_on_an_existing_world_readable_directory_fixes_it(kith, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    result = kith("init", "--name", "Sam Writer")
    assert result.returncode == 0, result.stderr
    assert mode(data) == 0o700
    assert f"Made 1 file of {data} private" in result.stderr


def test_an_upload_and_its_plan_are_private_whatever_the_umask(settings, tmp_path):
    from kithkin.services import uploads

    settings.DATA_DIR = tmp_path / "data"
    previous = os.umask(0o022)
    try:
        name = uploads.store([b"BEGIN:VCARD"], "contacts.vcf")
        files.write_private(uploads.plan_path_of(name), b"plan")
    finally:
        os.umask(previous)
    assert mode(tmp_path / "data" / "uploads") == 0o700
    assert mode(uploads.path_of(name)) == 0o600
    assert mode(uploads.plan_path_of(name)) == 0o600


def test_a_symbolic_link_in_the_data_directory_is_left_alone(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not ours")
    os.chmod(elsewhere, 0o644)
    data = tmp_path / "data"
    data.mkdir()
    (data / "link").symlink_to(elsewhere)
    files.secure_data_dir(data)
    assert mode(elsewhere) == 0o644


def test_only_kithkins_own_files_are_changed(tmp_path):
    """KITH_DATA_DIR may name a folder that holds other things: those keep their modes."""
    data = tmp_path / "Documents"
    data.mkdir()
    (data / "uploads").mkdir()
    mine = [data / "kithkin.sqlite3", data / "secret_key", data / "uploads" / "a.vcf"]
    theirs = [data / "holiday.jpg", data / "public_html"]
    for path in [*mine, theirs[0]]:
        path.write_text("x")
        os.chmod(path, 0o644)
    theirs[1].mkdir()
    os.chmod(theirs[1], 0o755)
    files.secure_data_dir(data)
    assert all(mode(path) == 0o600 for path in mine)
    assert mode(theirs[0]) == 0o644 and mode(theirs[1]) == 0o755
