"""`kith backup`, `--verify`, `kith restore` and `kith export` as a user runs them: real
processes on a data directory, while another process writes."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.once]  # its processes run on SQLite

KITH = str(Path(sys.executable).parent / "kith")
WRITER = str(Path(__file__).parent / "backup_writer.py")
Run = Callable[..., subprocess.CompletedProcess[str]]


def runner(env: dict[str, str]) -> Run:
    def run(*args: str, data: Path | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
        here = env | extra | ({"KITH_DATA_DIR": str(data)} if data else {})
        return subprocess.run(
            [KITH, *args], env=here, input="", capture_output=True, text=True, timeout=300
        )

    return run


MIGRATIONS = Path(__file__).resolve().parents[1] / "src" / "kithkin" / "migrations"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    return base | {
        "KITH_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
        "DJANGO_SETTINGS_MODULE": "kithkin.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }


@pytest.fixture
def kith(env: dict[str, str]) -> Run:
    run = runner(env)
    done = run("init", "--name", "Sam Writer", "--username", "sam")
    assert done.returncode == 0, done.stderr
    return run


class Writer:
    def __init__(self, env: dict[str, str], stop: Path, prefix: str) -> None:
        self.stop = stop
        self.process = subprocess.Popen(
            [sys.executable, WRITER, str(stop), prefix],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []

    def wait_for(self, writes: int) -> None:
        assert self.process.stdout is not None
        while len(self.lines) < writes:
            line = self.process.stdout.readline()
            assert line, self.process.stderr.read() if self.process.stderr else "writer died"
            self.lines.append(line.strip())

    def finish(self) -> list[str]:
        self.stop.touch()
        out, errors = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, errors
        self.lines += out.split("\n")
        return [line for line in self.lines if line]


@pytest.fixture
def writer(env: dict[str, str], tmp_path: Path) -> Iterator[Writer]:
    running = Writer(env, tmp_path / "stop", "Writer")
    try:
        running.wait_for(4)
        yield running
    finally:
        if running.process.poll() is None:
            running.stop.touch()
            running.process.wait(timeout=120)


def _one_moment(document: dict, prefix: str = "Writer") -> int:
    """The export shows the writer's people and interactions of one moment: each person
    with exactly their interaction. How many there are."""
    people = {
        p["id"]: p["full_name"] for p in document["people"] if p["full_name"].startswith(prefix)
    }
    talks = [i for i in document["interactions"] if i["summary"].startswith(prefix)]
    assert sorted(people.values()) == sorted(i["summary"] for i in talks)
    for talk in talks:
        assert [people.get(p) for p in talk["participants"]] == [talk["summary"]]
    return len(people)


def test_exports_while_another_process_writes_never_fail_and_show_one_moment(kith, writer):
    # Before the one read transaction, 5 of 10 such exports failed with a KeyError.
    seen = []
    for _ in range(6):
        exported = kith("export", "json")
        assert exported.returncode == 0, exported.stderr
        seen.append(_one_moment(json.loads(exported.stdout)))
    lines = writer.finish()
    assert sum(line.startswith("deleted") for line in lines) >= 3  # it wrote meanwhile
    assert max(seen) > 0


def test_backup_while_another_process_writes_verifies_and_restores(kith, writer, tmp_path):
    backups = tmp_path / "data" / "backups"
    made = [kith("backup") for _ in range(3)]
    writer.finish()
    for done in made:
        assert done.returncode == 0, done.stderr
        assert "kith backup --verify" in done.stderr
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    files = sorted(backups.iterdir())
    assert len(files) == 3 or len({f.name for f in files}) == len(files)
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        checked = kith("backup", "--verify", str(file))
        assert checked.returncode == 0, checked.stderr
        assert "a whole sqlite backup" in checked.stdout
        assert "users: 1" in checked.stdout
        place = tmp_path / f"restored-{file.stem}"
        restored = kith("restore", str(file), data=place)
        assert restored.returncode == 0, restored.stderr
        exported = kith("export", "json", data=place)
        assert exported.returncode == 0, exported.stderr
        _one_moment(json.loads(exported.stdout))
        assert stat.S_IMODE((place / "kithkin.sqlite3").stat().st_mode) == 0o600


def test_an_encrypted_backup_restores_with_its_passphrase_only(kith, tmp_path):
    assert kith("add", "Ada Lovelace").returncode == 0
    secret = tmp_path / "passphrase"
    secret.write_text("correct horse battery staple\n")
    target = tmp_path / "sealed.backup"
    made = kith("backup", str(target), "--encrypt", "--passphrase-file", str(secret))
    assert made.returncode == 0, made.stderr
    assert b"SQLite format 3" not in target.read_bytes()
    assert b"Ada Lovelace" not in target.read_bytes()

    without = kith("restore", str(target), data=tmp_path / "a")
    assert without.returncode == 1
    assert without.stderr.strip().startswith("Error: A passphrase is needed")
    wrong = kith("restore", str(target), data=tmp_path / "b", KITH_BACKUP_PASSPHRASE="wrong")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        f"Error: {target}: the passphrase does not open this backup (or the file is damaged)."
    )
    assert not (tmp_path / "b" / "kithkin.sqlite3").exists()
    checked = kith("backup", "--verify", str(target), "--passphrase-file", str(secret))
    assert "a whole encrypted sqlite backup" in checked.stdout
    assert "people 1," in checked.stdout
    right = kith(
        "restore",
        str(target),
        data=tmp_path / "c",
        KITH_BACKUP_PASSPHRASE="correct horse battery staple",
    )
    assert right.returncode == 0, right.stderr
    assert "Ada Lovelace" in kith("people", data=tmp_path / "c").stdout


def test_restore_refuses_a_data_directory_that_holds_data(kith, tmp_path):
    made = kith("backup", str(tmp_path / "one.sqlite3"))
    assert made.returncode == 0, made.stderr
    refused = kith("restore", str(tmp_path / "one.sqlite3"))
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"Error: {tmp_path / 'data' / 'kithkin.sqlite3'} holds Kithkin data already (1 user): "
        "`kith restore` only fills an empty data directory or database."
    )


def test_restoring_an_older_backup_migrates_it(kith, tmp_path, env):
    import sqlite3

    assert kith("add", "Ada Lovelace").returncode == 0
    assert kith("log", "call", "Ada", "--on", "-3d").returncode == 0
    assert kith("log", "meeting", "Ada", "--on", "-2d").returncode == 0
    made = kith("backup", str(tmp_path / "old.sqlite3"))
    assert made.returncode == 0, made.stderr
    # As a Kithkin one version older wrote it: the newest migration taken back by Django.
    older = tmp_path / "older"
    older.mkdir()
    shutil.copy(tmp_path / "old.sqlite3", older / "kithkin.sqlite3")
    names = sorted(p.stem for p in MIGRATIONS.glob("0*.py"))
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "kithkin", names[-2], "--verbosity", "0"],
        env={**env, "KITH_DATA_DIR": str(older)},
        check=True,
    )
    shutil.copy(older / "kithkin.sqlite3", tmp_path / "old.sqlite3")
    with sqlite3.connect(tmp_path / "old.sqlite3") as old:
        assert not old.execute(
            "SELECT 1 FROM django_migrations WHERE name = ?", (names[-1],)
        ).fetchall()
    restored = kith("restore", str(tmp_path / "old.sqlite3"), data=tmp_path / "new")
    assert restored.returncode == 0, restored.stderr
    assert "migrated to this version's schema" in restored.stdout
    assert kith("backup", data=tmp_path / "new").returncode == 0
    # Derived totals the newer schema keeps differently are counted again (0039: shards)
    doctor = kith("doctor", data=tmp_path / "new")
    assert "✓ dashboard totals: interactions per day and kind: 2 totals match" in doctor.stdout


def test_a_backup_from_a_newer_kithkin_is_refused(kith, tmp_path):
    import sqlite3

    kith("backup", str(tmp_path / "new.sqlite3"))
    with sqlite3.connect(tmp_path / "new.sqlite3") as newer:
        newer.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES ('kithkin', '9999_future', '2030-01-01')"
        )
    refused = kith("restore", str(tmp_path / "new.sqlite3"), data=tmp_path / "x")
    assert refused.returncode == 1
    assert "made by a newer Kithkin (its schema has 9999_future)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_verify_needs_no_install_and_names_a_file_that_is_no_backup(kith, tmp_path):
    made = kith("backup", str(tmp_path / "b.sqlite3"))
    assert made.returncode == 0, made.stderr
    elsewhere = tmp_path / "nothing-here"
    checked = kith("backup", "--verify", str(tmp_path / "b.sqlite3"), data=elsewhere)
    assert checked.returncode == 0, checked.stderr
    assert "users: 1" in checked.stdout
    assert not elsewhere.exists()  # no database made to check a backup
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    refused = kith("backup", "--verify", str(junk))
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"Error: {junk}: not a Kithkin backup (neither SQLite, pg_dump nor Kithkin JSON)."
    )
