"""`kith` as a user runs it: a real process, a fresh data directory, embedded SQLite."""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.once  # its processes run on their own SQLite data directory

KITH = str(Path(sys.executable).parent / "kith")


@pytest.fixture
def kith(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [KITH, *args],
            env=env,
            input=input or "",  # never the terminal pytest may run in: nothing waits
            capture_output=True,
            text=True,
            timeout=120,
        )

    run.env = env  # type: ignore[attr-defined]

    return run


def test_commands_before_init_say_what_to_do_and_create_nothing(kith, tmp_path):
    result = kith("today")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: No Kithkin database in {tmp_path / 'data'}: run `kith init` first."
    )
    assert not (tmp_path / "data").exists()


def test_init_then_a_first_day(kith, tmp_path):
    result = kith(
        "init", "--name", "Sam Writer", "--username", "sam", "--time-zone", "Europe/Paris"
    )
    assert result.returncode == 0, result.stderr
    assert "Kithkin is ready" in result.stdout
    data = tmp_path / "data"
    assert (data / "kithkin.sqlite3").exists()
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600

    again = kith("init")
    assert again.returncode == 0
    assert "already set up" in again.stdout

    assert (
        kith(
            "add",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
            "--circle",
            "close",
            "--connected",
            "-40d",
        ).returncode
        == 0
    )
    assert kith("follow-up", "Ada", "Send the paper", "--due", "today").returncode == 0
    agenda = json.loads(kith("today", "--json").stdout)
    assert [f["title"] for f in agenda["follow_ups"]] == ["Send the paper"]
    assert [c["person"]["name"] for c in agenda["check_ins"]] == ["Ada Lovelace"]
    assert (
        agenda["check_ins"][0]["reason"]
        == "never contacted; connected 40 days ago, cadence 30 days"
    )
    assert json.loads(kith("show", "me", "--json").stdout)["name"] == "Sam Writer"


def test_sqlite_runs_in_wal_mode(kith, tmp_path):
    import sqlite3

    kith("init", "--name", "Sam Writer")
    kith("add", "Ada Lovelace")
    mode = (
        sqlite3.connect(tmp_path / "data" / "kithkin.sqlite3")
        .execute("PRAGMA journal_mode")
        .fetchone()
    )
    assert mode == ("wal",)


def test_demo_loads_a_network_and_switches_to_it(kith):
    result = kith("demo", "--people", "60", "--interactions", "600")
    assert result.returncode == 0, result.stderr
    assert "Loaded the Demo network: 60 people" in result.stdout
    agenda = json.loads(kith("today", "--json").stdout)
    assert agenda["network"] == "Demo"
    assert agenda["check_ins"]
    networks = json.loads(kith("network", "list", "--json").stdout)
    assert sorted(n["name"] for n in networks)[0] == "Demo"
    again = kith("demo", "--people", "60", "--interactions", "600")  # replaces, not duplicates
    assert again.returncode == 0
    assert len(json.loads(kith("network", "list", "--json").stdout)) == 2


def test_usage_errors_exit_2(kith):
    kith("init", "--name", "Sam Writer")
    result = kith("today", "--nope")
    assert result.returncode == 2
    assert "No such option" in result.stderr


def test_an_import_leaves_planner_statistics_behind(kith, tmp_path):
    import sqlite3

    assert kith("init", "--name", "Sam Writer").returncode == 0
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.org\r\nEND:VCARD\r\n"
        for n in range(30)
    )
    (tmp_path / "c.vcf").write_text(cards)
    assert kith("import", "vcard", str(tmp_path / "c.vcf")).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "kithkin.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT tbl FROM sqlite_stat1")}
    assert {"kithkin_person", "kithkin_contactpoint"} <= tables


def test_piped_listings_print_one_whole_record_a_line(kith, tmp_path):
    """`kith today | grep nerves` finds the whole row: reference, title, name, reason, command,
    tab-separated, however narrow the terminal would be."""
    kith("init", "--name", "Sam Writer")
    kith("add", "Ada Lovelace", "--circle", "close", "--connected", "-40d")
    title = "Calm her nerves before the keynote at the Analytical Engine Society"
    assert kith("follow-up", "Ada", title, "--due", "today").returncode == 0
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "40"}
    grep = subprocess.run(
        f"{KITH} today | grep nerves", shell=True, env=env, capture_output=True, text=True
    )
    assert grep.returncode == 0, grep.stderr
    # once in "Your N for today", once in its section
    assert grep.stdout == f"f1\t{title}\tAda Lovelace\tdue today\tkith done f1\n" * 2
    people = subprocess.run(
        f"{KITH} people | cut -f2", shell=True, env=env, capture_output=True, text=True
    ).stdout
    assert "Ada Lovelace" in people.splitlines()
    assert all(line == line.strip() for line in kith("today").stdout.splitlines())
    agenda = json.loads(kith("today", "--json").stdout)  # --json is the same in a pipe
    assert agenda["follow_ups"][0]["title"] == title


# On a terminal: `kith init` asks who you are, `kith password` asks twice, hidden ----------


def on_a_terminal(
    env, *args: str, answers: list[tuple[str, str]], hidden: bool = False
) -> tuple[int, str, str]:
    """Run `kith ARGS` with a pseudo-terminal as its input and no controlling terminal;
    type each answer once its prompt has shown (and, for ``hidden`` answers, once echo is
    off: the terminal's pending input is flushed when echo is turned off). Returns the exit
    code, stdout and what the terminal echoed."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [KITH, *args],
        env=env,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(slave)
    assert process.stdout is not None
    stdout = process.stdout.fileno()
    got = {stdout: b"", master: b""}
    pending, seen, reading = list(answers), 0, {stdout, master}
    deadline = time.monotonic() + 60
    while process.poll() is None and reading and time.monotonic() < deadline:
        for fd in select.select(list(reading), [], [], 0.1)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                chunk = b""
            got[fd] += chunk
            if not chunk:
                reading.discard(fd)
        shown = got[stdout].decode()
        if pending and pending[0][0] in shown[seen:]:
            prompt, line = pending[0]
            if hidden and termios.tcgetattr(master)[3] & termios.ECHO:
                continue  # not reading yet
            pending.pop(0)
            seen = shown.index(prompt, seen) + len(prompt)
            os.write(master, (line + "\n").encode())
    try:
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
    out = got[stdout] + process.communicate(timeout=10)[0]
    os.close(master)
    assert not pending, f"never asked {pending[0][0]!r}: {out.decode()}"
    return process.returncode, out.decode(), got[master].decode()


PASSWORD = "correct horse battery staple"


def test_init_asks_who_you_are_and_password_makes_the_web_login(kith):
    code, out, _ = on_a_terminal(
        kith.env,
        "init",
        "--username",
        "sam",
        answers=[("Your name", "Sam Writer"), ("Your email", "sam@example.org")],
    )
    assert code == 0, out
    assert "You are Sam Writer (sam, " in out
    assert "run `kith password` to set one, then log in as sam" in out
    assert json.loads(kith("show", "me", "--json").stdout)["name"] == "Sam Writer"

    code, out, echoed = on_a_terminal(
        kith.env,
        "password",
        answers=[("password for sam", PASSWORD), ("Repeat", PASSWORD)],
        hidden=True,
    )
    assert code == 0, out
    assert "Password set" in out
    assert PASSWORD not in out + echoed  # hidden as typed

    again = kith("init")
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1] == (
        "Web app (`kith serve`): Log in as sam at http://localhost:8000/"
    )


def test_init_and_password_in_a_script(kith):
    init = kith("init", "--name", "Sam Writer", "--email", "sam@example.org", "--username", "sam")
    assert init.returncode == 0, init.stderr
    weak = kith("password", "--stdin", input="sam12345\n")
    assert weak.returncode == 2
    assert weak.stderr.strip().startswith("Error: password: This password is too short.")
    assert len(weak.stderr.strip().splitlines()) == 1
    assert kith("password").returncode == 2  # no terminal, no --stdin: no waiting
    done = kith("password", "--stdin", input=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Password set. Log in to the web app (`kith serve`) as sam.\n"


def test_init_without_a_terminal_or_a_name_does_not_wait(kith):
    result = kith("init", "--username", "sam")
    assert result.returncode == 0, result.stderr
    assert "Your name" not in result.stdout
    assert json.loads(kith("show", "me", "--json").stdout)["name"]
