"""Chaos: backups while everything writes at once, and an import killed mid-way.

Several writers work on one SQLite data directory at the same time — `kith add` and
`kith log` processes, web requests to a real `kith serve`, and a process that adds and
deletes people with their interactions in one transaction each — while `kith backup`
runs three times and a large `kith import` is killed with SIGKILL. Then:

- every backup verifies and restores into an empty data directory, and shows one moment
  (each of the writer process's people with exactly their interaction);
- every write reported done (exit 0, or the web's redirect to the new person) before a
  backup started is in that backup, and every one is in the database at the end;
- the killed import wrote all of its people or none.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.test_backup_cli import KITH, Writer
from tests.test_serve import Server, _free_port

pytestmark = [pytest.mark.slow, pytest.mark.once]  # its processes run on SQLite

PASSWORD = "correct horse battery staple"
SET_PASSWORD = f"""
import django
django.setup()
from kithkin.models import User
user = User.objects.get(username="sam")
user.set_password({PASSWORD!r})
user.save()
"""
IMPORTED = 4000


@dataclass
class Done:
    """Writes reported done, with when (monotonic seconds) they were."""

    at: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str) -> None:
        with self.lock:
            self.at[name] = time.monotonic()

    def before(self, moment: float) -> set[str]:
        with self.lock:
            return {name for name, at in self.at.items() if at < moment}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    return base | {
        "KITH_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
        "DJANGO_SETTINGS_MODULE": "kithkin.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }


def kith(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KITH, *args], env=env | extra, input="", capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Iterator[Server]:
    assert kith(env, "init", "--name", "Sam Writer", "--username", "sam").returncode == 0
    seeded = subprocess.run([sys.executable, "-c", SET_PASSWORD], env=env, capture_output=True)
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    # the server's log goes to a file: a pipe nobody reads blocks the server once full
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [KITH, "serve", "--port", str(port)],
        env=env | {"KITH_WORKERS": "2", "KITH_THREADS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "login/", timeout=2).close()
                break
            except OSError:
                assert process.poll() is None, log_path.read_text()
                time.sleep(0.1)
        yield Server(url=url, process=process)
        # a write refused while another process held the lock past the busy timeout is a
        # 503 the writer tries again, never a crash page
        assert "Internal Server Error" not in log_path.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _cli_adds(env: dict[str, str], prefix: str, stop: threading.Event, done: Done) -> None:
    number = 0
    while not stop.is_set():
        name = f"{prefix} {number}"
        if kith(env, "add", name).returncode == 0:
            done.add(name)
            if number % 3 == 0 and kith(env, "log", "call", name, "--note", name).returncode == 0:
                done.add(f"talk: {name}")
        number += 1


def _csrf(jar: http.cookiejar.CookieJar) -> str:
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def _web_adds(server: Server, stop: threading.Event, done: Done) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(server.url + "login/", timeout=60).close()
    login = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": _csrf(jar), "username": "sam", "password": PASSWORD}
    ).encode()
    headers = {"Referer": server.url + "login/"}
    while not stop.is_set():  # as a person would: a busy answer (503) is tried again
        try:
            with opener.open(
                urllib.request.Request(server.url + "login/", login, headers), timeout=60
            ):
                break
        except OSError:
            time.sleep(1)
    number = 0
    while not stop.is_set():
        name = f"Web {number}"
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": _csrf(jar), "full_name": name}
        ).encode()
        request = urllib.request.Request(
            server.url + "people/new/", form, {"Referer": server.url + "people/new/"}
        )
        try:
            with opener.open(request, timeout=60) as response:
                if re.search(r"/people/\d+/$", urllib.parse.urlsplit(response.url).path):
                    done.add(name)  # redirected to the new person: reported done
        except OSError:
            pass  # not reported done: it may or may not be there
        number += 1


def _everyone_wrote(done: Done) -> bool:
    with done.lock:
        return {"Cli0", "Cli1", "Web"} <= {name.split()[0] for name in done.at}


def _vcards(path: Path) -> None:
    path.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Imported {i}\r\nN:{i};Imported;;;\r\n"
            f"EMAIL:imported{i}@example.org\r\nEND:VCARD\r\n"
            for i in range(IMPORTED)
        )
    )


def _names(database: Path) -> set[str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        people = {row[0] for row in db.execute("SELECT full_name FROM kithkin_person")}
        talks = {
            f"talk: {row[0]}"
            for row in db.execute("SELECT summary FROM kithkin_interaction WHERE summary != ''")
        }
    return people | talks


def _one_moment(database: Path) -> None:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        people = sorted(
            row[0]
            for row in db.execute(
                "SELECT full_name FROM kithkin_person WHERE full_name LIKE 'Chaos %'"
            )
        )
        talks = sorted(
            row[0]
            for row in db.execute(
                "SELECT i.summary FROM kithkin_interaction i JOIN kithkin_interactionparticipant ip"
                " ON ip.interaction_id = i.id JOIN kithkin_person p ON p.id = ip.person_id"
                " WHERE i.summary LIKE 'Chaos %' AND p.full_name = i.summary"
            )
        )
    assert people == talks


def test_backups_and_a_killed_import_while_everyone_writes(server, env, tmp_path):
    data = tmp_path / "data"
    done = Done()
    stop = threading.Event()
    writers = [
        threading.Thread(target=_cli_adds, args=(env, f"Cli{n}", stop, done)) for n in range(2)
    ]
    writers.append(threading.Thread(target=_web_adds, args=(server, stop, done)))
    chaos = Writer(env, tmp_path / "stop-chaos", "Chaos")
    for thread in writers:
        thread.start()
    backups: list[tuple[Path, float]] = []
    try:
        chaos.wait_for(4)
        time.sleep(2)
        vcards = tmp_path / "many.vcf"
        _vcards(vcards)
        importing = subprocess.Popen(
            [KITH, "import", "vcard", str(vcards)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for number in range(3):
            target = tmp_path / f"backup{number}.sqlite3"
            started = time.monotonic()
            made = kith(env, "backup", str(target))
            assert made.returncode == 0, made.stderr
            backups.append((target, started))
            if number == 0:
                importing.send_signal(signal.SIGKILL)  # mid-way, a backup later
                importing.wait(timeout=60)
            time.sleep(1)
        # the writers go on until each got writes through (a loaded machine may have
        # refused them while the import held the lock): refused is allowed, lost is not
        deadline = time.monotonic() + 120
        while not _everyone_wrote(done) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=300)
        chaos_lines = chaos.finish()
    for line in chaos_lines:
        if line.startswith("added "):
            done.add(line.removeprefix("added "))
    deleted = {line.removeprefix("deleted ") for line in chaos_lines if line.startswith("deleted ")}

    assert len(done.at) > 20  # everyone wrote
    assert _everyone_wrote(done), sorted(done.at)
    final = _names(data / "kithkin.sqlite3")
    missing = set(done.at) - deleted - final
    assert not missing, f"reported done, missing from the database: {sorted(missing)[:10]}"
    imported = sum(name.startswith("Imported ") for name in final)
    assert imported in (0, IMPORTED)
    _one_moment(data / "kithkin.sqlite3")

    for target, started in backups:
        checked = kith(env, "backup", "--verify", str(target))
        assert checked.returncode == 0, checked.stderr
        assert "a whole sqlite backup" in checked.stdout
        place = tmp_path / f"restored-{target.stem}"
        restored = kith(env, "restore", str(target), KITH_DATA_DIR=str(place))
        assert restored.returncode == 0, restored.stderr
        database = place / "kithkin.sqlite3"
        _one_moment(database)
        held = _names(database)
        missing = done.before(started) - deleted - held
        assert not missing, f"{target.name} lacks writes done before it: {sorted(missing)[:10]}"
        assert sum(name.startswith("Imported ") for name in held) in (0, IMPORTED)
        assert kith(env, "people", KITH_DATA_DIR=str(place)).returncode == 0
