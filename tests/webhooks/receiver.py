"""A real receiver on 127.0.0.1 (http.server in a thread) that answers what a test tells
it to, the setting that lets webhooks reach it, and the task queue run as a worker runs it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # status codes to give, in turn
    then: int = 200  # once ``answers`` is used up
    received: list[Received] = field(default_factory=list)

    def next_status(self) -> int:
        return self.answers.pop(0) if self.answers else self.then


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            status = state.next_status()
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/kithkin?token=abc"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def allow_private(settings) -> None:
    """What KITH_WEBHOOKS_ALLOW_PRIVATE=true sets: the local receiver may be reached."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True


def run_ready_tasks() -> int:
    """Run every task of the queue that is due now, as `kith worker` does (django-tasks-db's
    Worker runs each), and answer how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while result := DBTaskResult.objects.ready().first():
        result.claim(worker.worker_id)
        worker.run_task(result)
        assert result.status == "SUCCESSFUL", result.traceback
        ran += 1
    return ran


@pytest.fixture
def dns(monkeypatch):
    """A resolver the test controls: name -> addresses."""
    records: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in records:
            return real(host, port, *args, **kwargs)
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in records[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return records
