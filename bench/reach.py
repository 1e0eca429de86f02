"""Benchmark: how Kithkin reaches its users (issue 14), each figure beside the agenda query
measured in the same run.

    .venv/bin/python bench/reach.py [--people 30000] [--interactions 1000000] [--runs 10]
        [--users 100] [--only digest,digests]

On the cached benchmark network (bench/network.py; copy /work/main/bench/.cache/<dir> into
this worktree's bench/.cache/ rather than generating it). Figures, one function each in
``FIGURES`` (add a figure by adding a function and a line there):

- ``digest``: one user's digest built (queries/digest.py: the agenda and the plan Today
  reads, the counts) and rendered as its text and HTML parts — target ≤ 200 ms (median);
- ``digests``: ``--users`` users (100) of that network, each with a 07:00 digest, sent end
  to end by one round of the job (``services.digest.send_due_digests``: find who is due,
  claim, build, render, send over SMTP) through a local aiosmtpd server — target ≤ 30 s.
  Everything the round writes (users, claims, preferences) is rolled back afterwards;
- ``feed``: the user's calendar feed fetched over HTTP through Django (the secret looked
  up, the entries read, the iCalendar file written, its ETag) — what a calendar's poll
  costs — target ≤ 500 ms; the note splits it into reading the entries and writing them.

Timings are wall-clock medians with the process's CPU time beside them (the machine may be
shared: compare the ratio to the agenda query, measured in the same run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import summary, timed
from network import TODAY, prepare


@dataclass(frozen=True)
class Context:
    """What every figure may use: the network, its user, the runs asked for, and the
    agenda query's median of this run (the baseline each figure is printed beside)."""

    network: Any
    user: Any
    runs: int
    users: int
    agenda_median: float


@dataclass(frozen=True)
class Figure:
    name: str
    samples: list[float]  # ms
    cpu_ms: float  # CPU of this process per sample, median
    target_ms: float
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def met(self) -> bool:
        return self.median <= self.target_ms


def cpu_timed(function: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU samples (ms) of ``function``, after one warm-up run."""
    function()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return wall, cpu


def digest_figure(context: Context) -> Figure:
    """One digest built and rendered (text and HTML), as the job makes it for one user."""
    from django.template.loader import render_to_string

    from kithkin.queries.digest import digest_for

    def render() -> None:
        digest = digest_for(context.user, TODAY)
        render_to_string("kithkin/email/digest.txt", {"digest": digest})
        render_to_string("kithkin/email/digest.html", {"digest": digest})

    wall, cpu = cpu_timed(render, context.runs)
    return Figure("one digest rendered", wall, statistics.median(cpu), 200)


# A mail server of its own (a real one is another process, too): aiosmtpd counting what it
# accepts, until its stdin closes; then it prints the count.
SMTP_SERVER = """
import sys
from aiosmtpd.controller import Controller

class Count:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 Message accepted"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]),
                        server_hostname="localhost")
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Count.received, flush=True)
"""


def digests_figure(context: Context) -> Figure:
    """``context.users`` digests sent by one round of the job through a local SMTP server
    (in a process of its own), with the time spent building them and sending them."""
    import socket
    import subprocess

    from django.conf import settings
    from django.db import transaction

    from kithkin.models import DigestPreference, Membership
    from kithkin.services import digest as digests
    from kithkin.services.accounts import create_user

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SERVER, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    assert server.stdout.readline().strip() == "ready"
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    now = dt.datetime.combine(TODAY, dt.time(7, 30), tzinfo=paris).astimezone(dt.UTC)
    spent = {"build": 0.0, "send": 0.0}

    def clocked(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return run

    build, send = digests.digest_today, digests.send_digest
    digests.digest_today = clocked("build", build)  # type: ignore[assignment]
    digests.send_digest = clocked("send", send)  # type: ignore[assignment]
    try:
        with transaction.atomic():
            DigestPreference.objects.all().delete()
            for number in range(context.users):
                reader = create_user(
                    username=f"reader{number}",
                    full_name=f"Reader {number}",
                    email=f"reader{number}@example.org",
                    time_zone="Europe/Paris",
                )
                reader.current_network = context.network
                reader.save(update_fields=["current_network"])
                Membership.objects.create(user=reader, network=context.network, role="viewer")
                DigestPreference.objects.create(user=reader, send_at=dt.time(7, 0))
            start, start_cpu = time.perf_counter(), time.process_time()
            done = digests.send_due_digests(now)
            cpu = (time.process_time() - start_cpu) * 1000
            wall = (time.perf_counter() - start) * 1000
            transaction.set_rollback(True)
    finally:
        digests.digest_today, digests.send_digest = build, send  # type: ignore[assignment]
        received, _ = server.communicate("")
    assert not done.failed, done.failed
    assert len(done.sent) == context.users, len(done.sent)
    assert int(received.strip()) == context.users, received
    return Figure(
        f"{context.users} digests sent end to end (SMTP)",
        [wall],
        cpu,
        30_000,
        f"{wall / context.users:.0f} ms a digest; building {spent['build']:.1f} s, "
        f"sending {spent['send']:.1f} s",
    )


def feed_figure(context: Context) -> Figure:
    """The calendar feed fetched as a calendar program polls it."""
    from django.db import transaction
    from django.test import Client

    from kithkin.feeds.calendar import to_ical
    from kithkin.queries.feed import calendar_feed
    from kithkin.services.feeds import make_feed

    def read() -> object:
        return calendar_feed(context.network, context.user, titles_only=False, today=TODAY)

    def write() -> bytes:
        return to_ical(entries, host="localhost", link=lambda entry: "http://localhost/")

    entries = read()
    read_ms, _ = cpu_timed(read, context.runs)
    write_ms, _ = cpu_timed(write, context.runs)
    with transaction.atomic():
        secret = make_feed(context.user, context.network).secret
        client = Client()

        def fetch() -> None:
            response = client.get(f"/feeds/{secret}/calendar.ics")
            assert response.status_code == 200, response.status_code

        wall, cpu = cpu_timed(fetch, context.runs)
        transaction.set_rollback(True)
    return Figure(
        "the calendar feed fetched",
        wall,
        statistics.median(cpu),
        500,
        f"{len(entries.entries):,} entries: reading {statistics.median(read_ms):.0f} ms, "
        f"writing iCalendar {statistics.median(write_ms):.0f} ms",
    )


# name -> figure; `--only` picks some. Keep one function per figure.
FIGURES: dict[str, Callable[[Context], Figure]] = {
    "digest": digest_figure,
    "digests": digests_figure,
    "feed": feed_figure,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--only", default=",".join(FIGURES), help="Figures, comma-separated.")
    args = parser.parse_args()
    prepare(args.people, args.interactions, allowed_hosts="testserver,localhost")

    from kithkin.models import Network, Person, User
    from kithkin.queries.agenda import SECTIONS, agenda

    network = Network.objects.get(name__startswith="Bench")
    user = User.objects.get(username="bench")
    print(
        f"network: {Person.objects.filter(network=network).count():,} people; "
        f"day {TODAY}, budget {network.daily_outreach_budget}"
    )
    every_section = frozenset(SECTIONS)
    agenda_ms, _ = timed(lambda: agenda(network, TODAY, defer=every_section), args.runs, warm=True)
    context = Context(network, user, args.runs, args.users, statistics.median(agenda_ms))
    print(f"agenda query (baseline)                 {summary(agenda_ms)}")
    results = [FIGURES[name.strip()](context) for name in args.only.split(",") if name.strip()]
    for figure in results:
        ratio = figure.median / context.agenda_median
        line = (
            f"{figure.name:40} median {figure.median:8.1f} ms   cpu {figure.cpu_ms:8.1f} ms   "
            f"{ratio:6.1f}x the agenda query   target <= {figure.target_ms:,.0f} ms: "
            f"{'met' if figure.met else 'MISSED'}"
        )
        print(line + (f"   ({figure.note})" if figure.note else ""))


if __name__ == "__main__":
    main()
