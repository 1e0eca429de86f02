"""What the calendar sync tests run against: a real Radicale (the CalDAV server) started
with a throwaway config in a temporary folder, a TCP relay that drops connections on
demand, and a source of settings and state standing in for the account model.

``Source`` is a small dataclass implementing ``kithkin.sync.outcome.SyncSource``: the
account model (SyncAccount, encrypted secrets) is built on another branch and arrives at
merge; the sync functions only need this protocol. ``saved`` holds a copy of the state at
each ``save_state()``, so a test sees what a run committed."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kithkin.models import Network, User

UTC = dt.UTC


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def need_radicale() -> None:
    try:
        import radicale  # noqa: F401
    except ImportError:
        message = "Radicale is not installed (pip install Radicale): the CalDAV suite needs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Source:
    network: Network
    user: User
    kind: str
    settings: dict[str, Any]
    state: dict[str, Any] = field(default_factory=dict)
    secret: str = ""
    saved: list[dict[str, Any]] = field(default_factory=list)

    def password(self) -> str:
        return self.secret

    def save_state(self) -> None:
        self.saved.append(copy.deepcopy(self.state))


@dataclass
class Radicale:
    url: str
    port: int
    folder: Path
    process: subprocess.Popen[bytes]
    tls: bool = False

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_radicale(folder: Path, *, certificate: tuple[Path, Path] | None = None) -> Radicale:
    """Radicale on 127.0.0.1 and a free port, user alice (password "secret"), its
    collections under ``folder``; waits until it answers."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users").write_text("alice:secret\n")
    port = free_port()
    tls = ""
    if certificate:
        tls = f"ssl = True\ncertificate = {certificate[0]}\nkey = {certificate[1]}\n"
    (folder / "config").write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n{tls}"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = error\n"
    )
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    "Radicale did not start: " + (folder / "radicale.log").read_text()
                ) from None
            time.sleep(0.05)
    scheme = "https" if certificate else "http"
    return Radicale(f"{scheme}://127.0.0.1:{port}/", port, folder, process, bool(certificate))


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    need_radicale()
    server = start_radicale(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


class Relay:
    """A TCP relay in front of a server; once ``dropping`` is set, every request that
    reaches it is read and the connection closed unanswered (a server that drops the
    connection mid-sync)."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.dropping = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, b, out in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pipe, args=(a, b, out), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, request: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if request and self.dropping:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


def vevent(
    uid: str,
    start: dt.datetime,
    *,
    summary: str = "Coffee",
    attendees: tuple[str, ...] = ("ada@example.com",),
    organizer: str = "owner@example.org",
    extra: str = "",
    minutes: int = 30,
) -> str:
    """One VEVENT (UTC times); ``extra`` adds lines (RRULE, STATUS, RECURRENCE-ID...)."""
    end = start + dt.timedelta(minutes=minutes)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{summary}",
        "DESCRIPTION:Bring the quarterly numbers",
        f"ORGANIZER:mailto:{organizer}",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in attendees),
        *([extra] if extra else []),
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def calendar(*events: str) -> str:
    body = "\r\n".join(events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kithkin tests//EN\r\n{body}\r\nEND:VCALENDAR\r\n"
