"""A real Dovecot IMAP server the tests start: a throwaway configuration in a temporary
folder (listening on 127.0.0.1 on a free port, one static password for every user, mail
in Maildir under the folder, running as the current user), plain or with a self-signed
certificate; and Maildir messages written as files, so 50,000 take seconds."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "secret-app-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require_dovecot() -> None:
    if not os.path.exists(DOVECOT):
        message = f"Dovecot is not installed ({DOVECOT}): apt-get install dovecot-imapd"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class Dovecot:
    root: Path
    port: int = 0
    tls: bool = False
    sent: str = "Sent"  # the folder flagged \\Sent (SPECIAL-USE)
    process: subprocess.Popen[bytes] | None = None

    @property
    def owner(self) -> tuple[int, int]:
        """Whom the mail belongs to: the current user, or as root Dovecot's own user (it
        refuses to read mail as root)."""
        if os.getuid() == 0:
            user = pwd.getpwnam("dovecot")
            return user.pw_uid, user.pw_gid
        return os.getuid(), os.getgid()

    def give(self, path: Path) -> None:
        """Make ``path`` (and the folders up to the mail root) the mail owner's."""
        uid, gid = self.owner
        if os.getuid() != 0:
            return
        while True:
            os.chown(path, uid, gid)
            if path == self.root or self.root not in path.parents:
                return
            path = path.parent

    @property
    def mail(self) -> Path:
        return self.root / "mail"

    def maildir(self, user: str = "me", folder: str = "") -> Path:
        base = self.mail / user
        path = base / f".{folder}" if folder else base
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
            self.give(path / sub)
        return path

    def write_config(self) -> Path:
        me = getpass.getuser()
        # As root (a container), Dovecot's login and internal processes must drop to its own
        # users and stay chrooted; as anyone else they run as that user, unchrooted.
        login_user, internal_user, chroot = (
            ("dovenull", "dovecot", "") if os.getuid() == 0 else (me, me, "  chroot =\n")
        )
        ssl = "no"
        listener = f"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {self.port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n"
        if self.tls:
            ssl = f"required\nssl_cert = <{self.root}/cert.pem\nssl_key = <{self.root}/key.pem"
            listener = f"  inet_listener imap {{\n    port = 0\n  }}\n  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {self.port}\n    ssl = yes\n  }}\n"
        config = f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = {ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_location = maildir:{self.mail}/%n
mail_uid = {self.owner[0]}
mail_gid = {self.owner[1]}
first_valid_uid = 1
namespace inbox {{
  inbox = yes
  separator = /
  mailbox "{self.sent}" {{
    special_use = \\Sent
  }}
}}
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={self.owner[0]} gid={self.owner[1]} home={self.root}/home/%u
}}
service imap-login {{
{listener}{chroot}}}
service anvil {{
{chroot}}}
"""
        path = self.root / "dovecot.conf"
        path.write_text(config)
        return path

    def start(self) -> None:
        for sub in ("run", "state", "home", "mail"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.give(self.root / "home")
        self.give(self.root / "mail")
        self.port = self.port or free_port()
        if self.tls and not (self.root / "cert.pem").exists():
            subprocess.run(
                ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                 "-subj", "/CN=127.0.0.1", "-keyout", str(self.root / "key.pem"),
                 "-out", str(self.root / "cert.pem")],
                check=True, capture_output=True,
            )  # fmt: skip
        config = self.write_config()
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                log = (
                    (self.root / "dovecot.log").read_text()
                    if (self.root / "dovecot.log").exists()
                    else ""
                )
                raise RuntimeError(f"dovecot exited: {error}{log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not start listening")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextmanager
def running(root: Path, *, tls: bool = False, sent: str = "Sent") -> Iterator[Dovecot]:
    """A started server; as root, in a folder of /tmp (pytest's are private to root, and
    Dovecot reads the mail as its own user)."""
    require_dovecot()
    own = os.getuid() == 0
    if own:
        root = Path(tempfile.mkdtemp(prefix="kithkin-dovecot-"))
        os.chmod(root, 0o755)
    server = Dovecot(root, tls=tls, sent=sent)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if own:
            shutil.rmtree(root, ignore_errors=True)


@dataclass
class Message:
    """One message's headers (the body is a line of text): what a test sends or receives."""

    sender: str
    to: str
    when: dt.datetime
    subject: str = "Hello"
    message_id: str = ""
    cc: str = ""
    extra: list[str] = field(default_factory=list)

    def as_bytes(self, number: int) -> bytes:
        lines = [
            f"From: {self.sender}",
            f"To: {self.to}",
            *([f"Cc: {self.cc}"] if self.cc else []),
            f"Subject: {self.subject}",
            f"Date: {format_datetime(self.when)}",
            f"Message-ID: {self.message_id or f'<m{number}.{self.when.timestamp():.0f}@example.org>'}",
            *self.extra,
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        return ("\r\n".join(lines) + "\r\n\r\nA body never fetched.\r\n").encode()


_counter = iter(range(1, 10**9))


def deliver(maildir: Path, messages: list[Message]) -> None:
    """Write each message as a Maildir file in new/ (dated by its Date for SEARCH SINCE);
    Dovecot gives it the next UID when it next looks at the folder."""
    for message in messages:
        number = next(_counter)
        name = f"{int(message.when.timestamp())}.M{number}P{os.getpid()}.kithkin"
        path = maildir / "new" / name
        path.write_bytes(message.as_bytes(number))
        stamp = message.when.timestamp()
        os.utime(path, (stamp, stamp))
        if os.getuid() == 0:
            os.chown(path, *_owner_of(maildir))


def _owner_of(path: Path) -> tuple[int, int]:
    found = path.stat()
    return found.st_uid, found.st_gid


class CuttingProxy:
    """A TCP proxy to the server that closes both sides once it has passed
    ``cut_after`` bytes from the server to the client (None: never)."""

    def __init__(self, port: int, cut_after: int | None) -> None:
        self.target = port
        self.cut_after = cut_after
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.port = int(self.listener.getsockname()[1])
        self.cut = False
        self.passed = 0  # bytes from the server to the client
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        passed = 0
        try:
            while data := source.recv(65536):
                if counted and self.cut_after is not None and passed + len(data) > self.cut_after:
                    sink.sendall(data[: self.cut_after - passed])
                    self.cut = True
                    break
                sink.sendall(data)
                passed += len(data)
                if counted:
                    self.passed += len(data)
        except OSError:
            pass
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self.listener.close()
