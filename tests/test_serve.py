"""`kith serve` as a team runs it: the real gunicorn server, several users at once.

These tests start real processes on the suite's database engine: PostgreSQL when
``KITH_DATABASE_URL`` is set (a throwaway database beside the test database), else SQLite
in a fresh data directory. The server must never let one request see another's session:
before the fix, every forked worker shared the master's PostgreSQL connection.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
KITH = str(BIN / "kith")
USERS = 4
PASSWORD = "correct horse battery staple"

# Creates the users, each with a network of their own holding one person whose name no
# other network has. Runs in a child process on the served database.
SEED = f"""
import django
django.setup()
from kithkin import access
from kithkin.services.accounts import create_user
from kithkin.services.people import NewPerson, add_person
for i in range({USERS}):
    user = create_user(username=f"user{{i}}", full_name=f"User {{i}}", password={PASSWORD!r})
    add_person(access.current_network(user), user, NewPerson(full_name=f"Zelda Marker{{i}}"))
"""


@pytest.fixture
def served_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a `kith` process on a database of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "kithkin.settings"}
    suite_url = os.environ.get("KITH_DATABASE_URL")
    if not suite_url:
        yield env
        return
    import psycopg

    name = f"kith_serve_{uuid.uuid4().hex[:12]}"
    admin_url = urllib.parse.urlsplit(suite_url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield env | {
            "KITH_DATABASE_URL": urllib.parse.urlsplit(suite_url)._replace(path=f"/{name}").geturl()
        }
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def beats(env: dict[str, str]) -> list[str]:
    """The worker ids of the beats in the served database (host:pid:start)."""
    query = "SELECT worker_id FROM kithkin_workerbeat"
    url = env.get("KITH_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as database:
            return [row[0] for row in database.execute(query)]
    path = Path(env["KITH_DATA_DIR"]) / "kithkin.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as database:
        return [row[0] for row in database.execute(query)]


def wait_for_worker(env: dict[str, str], seconds: float = 60) -> int:
    """The process id of the first worker to stamp its beat."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = beats(env)
        if found:
            return int(found[0].split(":")[1])
        time.sleep(0.1)
    pytest.fail(f"no worker stamped its beat within {seconds} seconds")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]

    def output(self) -> str:
        """Everything the server printed, once it is stopped."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            return self.process.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.communicate(timeout=20)[0]


@pytest.fixture
def server(served_env: dict[str, str]) -> Iterator[Server]:
    init = subprocess.run(
        [KITH, "init", "--name", "Sam Writer"],
        env=served_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert init.returncode == 0, init.stderr
    seed = subprocess.run(
        [sys.executable, "-c", SEED], env=served_env, capture_output=True, text=True, timeout=120
    )
    assert seed.returncode == 0, seed.stderr
    port = _free_port()
    process = subprocess.Popen(
        [KITH, "serve", "--port", str(port)],
        # One thread per worker: requests then run on the thread that would have
        # inherited the master's connection (gthread's request threads open their own).
        env=served_env | {"KITH_WORKERS": "3", "KITH_THREADS": "1"},
        stdout=subprocess.PIPE,
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
                if process.poll() is not None:
                    pytest.fail(f"kith serve exited:\n{process.communicate()[0]}")
                time.sleep(0.1)
        else:
            pytest.fail("kith serve did not answer within 30 seconds")
        yield Server(url=url, process=process)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)


def _logged_in(server: Server, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(server.url + "login/", timeout=30).close()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(
        server.url + "login/", data=form, headers={"Referer": server.url + "login/"}
    )
    with opener.open(request, timeout=30) as response:
        assert urllib.parse.urlsplit(response.url).path == "/today/", username
    return opener


def test_concurrent_users_each_see_only_their_own_network(server: Server) -> None:
    openers = [_logged_in(server, f"user{i}") for i in range(USERS)]

    def fetch(attempt: int) -> tuple[int, int, str]:
        i = attempt % USERS
        path = ("people/", "today/", f"people/?q=zelda+{attempt}")[attempt % 3]
        try:
            with openers[i].open(server.url + path, timeout=20) as response:
                return i, response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return i, error.code, ""
        except OSError as error:  # a worker that hangs or drops the connection
            return i, 0, str(error)

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(fetch, range(240)))

    failures = [(i, status) for i, status, _ in results if status != 200]
    assert failures == [], server.output()
    for i, _, page in results:
        assert f"User {i}&#x27;s network" in page or f"User {i}'s network" in page
        others = set(re.findall(r"User (\d)(?:&#x27;|')s network", page)) - {str(i)}
        assert others == set(), f"user{i} was shown the network of user{others}"
        markers = set(re.findall(r"Zelda Marker(\d)", page)) - {str(i)}
        assert markers == set(), f"user{i} was shown the people of user{markers}"


def test_serve_prints_its_workers_and_how_to_stop(server: Server) -> None:
    output = server.output()
    assert "Kithkin is running at" in output
    assert "3 workers, 1 thread each;" in output
    assert "One background worker runs beside it" in output


def test_serve_runs_a_background_worker_and_stops_it_when_it_stops(
    server: Server, served_env: dict[str, str]
) -> None:
    worker = wait_for_worker(served_env)
    assert worker != server.process.pid and is_running(worker)
    server.process.send_signal(signal.SIGTERM)  # the server alone, not its process group
    server.process.wait(timeout=30)
    deadline = time.monotonic() + 30
    while is_running(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not is_running(worker)
