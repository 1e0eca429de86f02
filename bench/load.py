"""Benchmark: the real `kith serve` under load from several logged-in users.

    .venv/bin/python bench/load.py [--people 30000] [--interactions 1000000]
        [--database-url postgres://...] [--seconds 10] [--users 4] [--levels 1,4,16]

Starts `kith serve` (its default workers and threads for this machine) on the cached
benchmark network (bench/network.py; SQLite, or PostgreSQL with --database-url), logs in
``--users`` editors of that network, and drives each page at each concurrency level for
``--seconds`` from 127.0.0.1, every client a keep-alive connection of its own:

- login: GET /login/, no database work: the floor of the framework and the server;
- today, people, search (/people/?q=), person (one person's page), and log (POST a
  logged call with a person: a write through the service, redirect not followed). With
  ``--log-with one`` (the default) every write logs a call with the same person, the one
  whose page is read: sixteen writers then also wait for each other on that person's
  rows (PostgreSQL); ``--log-with many`` spreads the writes over 64 people, as a team
  logging its own calls does, so what is left is the database's own writer lock
  (SQLite: one writer at a time).

Printed per page and level: requests per second, p50/p95/p99 latency, errors (any
status but 200/302, or a dropped connection) and the server's CPU per request. The
server's CPU is that of its processes (from /proc) and, on PostgreSQL, of the database's
backends serving it (the processes of that database; run it on a database of its own).
Then, per page: the CPU per request at concurrency 1, what the cores allow (cores / that
CPU time), and throughput at the highest level as a share of it (target: >= 70%). The
share is split in two, as a shared machine needs: "efficiency", the CPU per request at
concurrency 1 over that at the highest level (what the server loses to concurrency:
contention, worker count, connections), and "got", the share of the cores the server and
its database actually had at the highest level (what other processes, this client
included, took). share = efficiency x got; "client" is the share of the cores this
benchmark's own requests took at that level. The machine's load average is printed at the
start and the end. Every request loop is bounded by count and time and sends traffic to
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import TODAY, prepare

KITH = str(Path(sys.executable).parent / "kith")
PASSWORD = "load-bench-password-1"
MAX_REQUESTS_PER_CLIENT = 100_000  # a bound besides time
LOG_WITH_MANY = 64  # the people --log-with many spreads its writes over


@dataclass
class Client:
    """One logged-in user on a keep-alive connection."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            }
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response.status, data
        raise AssertionError("unreachable")

    def csrf(self) -> str:
        return self.cookies["csrftoken"]

    def log_in(self, username: str) -> None:
        self.request("GET", "/login/")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.csrf(), "username": username, "password": PASSWORD}
        )
        status, _ = self.request("POST", "/login/", form)
        if status != 302:
            raise SystemExit(f"could not log in as {username} (HTTP {status})")


def _users(count: int) -> tuple[list[str], list[int], str]:
    """Editors of the benchmark network with a known password; people to visit and log
    with (the first is the one visited)."""
    from kithkin.models import Membership, Person, User
    from kithkin.services.sharing import accept_invitation, invite

    owner = User.objects.get(username="bench")
    network = owner.current_network
    assert network is not None
    owner.set_password(PASSWORD)
    owner.save(update_fields=["password"])
    names = ["bench"]
    for n in range(1, count):
        username = f"load{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            from kithkin.services.accounts import create_user

            user = create_user(username=username, full_name=f"Load {n}", password=PASSWORD)
        if not Membership.objects.filter(user=user, network=network).exists():
            _, token = invite(network, owner, role="editor")
            accept_invitation(user, token)
        user.current_network = network
        user.set_password(PASSWORD)
        user.save()
        names.append(username)
    people = list(
        Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
        .order_by("-last_interaction_at")
        .values_list("pk", "family_name")[:LOG_WITH_MANY]
    )
    assert people
    return names, [pk for pk, _name in people], people[0][1] or "a"


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_cpu(pid: int, database: str | None = None) -> dict[int, float]:
    """User + system CPU seconds of each process of the server's process group (master
    and workers) and, with ``database``, of each PostgreSQL backend connected to it."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            ours = int(fields[2]) == pid or (
                database is not None and _is_backend_of(entry, database)
            )
        except OSError:
            continue
        if ours:
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


class CpuMeter:
    """The server's CPU seconds over a stretch of time. Sampled every SAMPLE_EVERY
    seconds, so that a process ending within it (a worker recycled, a backend whose
    connection reached CONN_MAX_AGE) still counts what it used up to its last sample."""

    SAMPLE_EVERY = 0.25

    def __init__(self, pid: int, database: str | None) -> None:
        self.pid, self.database = pid, database
        self.start = _server_cpu(pid, database)
        self.latest = dict(self.start)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.stop.wait(self.SAMPLE_EVERY):
            self.latest |= _server_cpu(self.pid, self.database)

    def seconds(self) -> float:
        self.stop.set()
        self.thread.join()
        self.latest |= _server_cpu(self.pid, self.database)
        return sum(cpu - self.start.get(pid, 0.0) for pid, cpu in self.latest.items())


def _is_backend_of(entry: Path, database: str) -> bool:
    """A PostgreSQL backend's title: "postgres: USER DATABASE HOST(PORT) STATE"."""
    title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").split()
    return len(title) > 2 and title[0] == b"postgres:" and title[2] == database.encode()


@dataclass
class Level:
    concurrency: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu: float = 0.0  # the server's CPU seconds over the level (its database's included)
    client_cpu: float = 0.0  # this benchmark's own, on the same cores

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / len(self.latencies) if self.latencies else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def quantile(self, q: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100)[int(q * 100) - 1]


def _drive(
    clients: list[Client], concurrency: int, seconds: float, call: Callable[[Client, int], int]
) -> Level:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        nonlocal errors
        client = Client(port=clients[0].port, cookies=dict(clients[index % len(clients)].cookies))
        mine: list[float] = []
        failed = 0
        for n in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            try:
                status = call(client, n)
            except (http.client.HTTPException, OSError):
                status = 0
            if status in (200, 302):
                mine.append(time.perf_counter() - started)
            else:
                failed += 1
        with lock:
            latencies.extend(mine)
            errors += failed

    started, client_cpu = time.monotonic(), time.process_time()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level = Level(concurrency, time.monotonic() - started, latencies, errors)
    level.client_cpu = time.process_time() - client_cpu
    return level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--only", default="", help="Only the pages whose name contains this.")
    parser.add_argument(
        "--log-with",
        choices=("one", "many"),
        default="one",
        help="Log every write with one person, or spread them over 64 people.",
    )
    parser.add_argument("--workers", type=int, help="Passed to `kith serve` (default: its own).")
    parser.add_argument("--threads", type=int, help="Passed to `kith serve` (default: its own).")
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    directory = prepare(args.people, args.interactions, database_url=args.database_url or None)
    usernames, people, last_name = _users(args.users)
    person_id = people[0]
    logged_with = people if args.log_with == "many" else [person_id]
    from django.conf import settings
    from django.db import connections

    engine = "PostgreSQL" if args.database_url else "SQLite"
    workers = args.workers or settings.WEB_WORKERS
    threads = args.threads or settings.WEB_THREADS
    database = str(settings.DATABASES["default"]["NAME"]) if args.database_url else None
    connections.close_all()

    port = _free_port()
    env = os.environ | {"KITH_DATA_DIR": str(directory), "KITH_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [KITH, "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                Client(port=port).request("GET", "/login/")
                break
            except OSError:
                time.sleep(0.1)
        clients = [Client(port=port) for _ in usernames]
        for client, username in zip(clients, usernames, strict=True):
            client.log_in(username)
        day = TODAY.isoformat()

        turns = itertools.count()  # shared by the clients' threads (atomic under the GIL)

        def log(client: Client, n: int) -> int:
            form = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": client.csrf(),
                    "kind": "call",
                    "on": day,
                    "summary": f"load {n}",
                    "direction": "mutual",
                }
            )
            with_whom = logged_with[next(turns) % len(logged_with)]  # each in turn
            return client.request("POST", f"/people/{with_whom}/log/", form)[0]

        query = urllib.parse.quote(last_name[:4].lower())
        pages: dict[str, Callable[[Client, int], int]] = {
            "login (floor)": lambda c, n: c.request("GET", "/login/")[0],
            "today": lambda c, n: c.request("GET", "/today/")[0],
            "people": lambda c, n: c.request("GET", "/people/")[0],
            "search": lambda c, n: c.request("GET", f"/people/?q={query}")[0],
            "person": lambda c, n: c.request("GET", f"/people/{person_id}/")[0],
            "log (write)": log,
        }
        pages = {name: call for name, call in pages.items() if args.only in name}
        cores = len(os.sched_getaffinity(0))
        print(
            f"kith serve on {engine}, {args.people:,} people / {args.interactions:,} "
            f"interactions; {workers} workers x {threads} threads on {cores} cores; "
            f"{len(usernames)} users; {args.seconds:g} s per level; load average "
            f"{_load_average()}"
        )
        print(
            f"{'page':<14}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'errors':>8}{'cpu ms/req':>12}"
        )
        summary = []
        errors = 0
        for name, call in pages.items():
            results = []
            for concurrency in levels:
                meter = CpuMeter(server.pid, database)
                level = _drive(clients, concurrency, args.seconds, call)
                level.cpu = meter.seconds()
                results.append(level)
                errors += level.errors
                print(
                    f"{name:<14}{concurrency:>5}{level.throughput:>9.1f}"
                    f"{level.quantile(0.5) * 1000:>9.1f}{level.quantile(0.95) * 1000:>9.1f}"
                    f"{level.quantile(0.99) * 1000:>9.1f}{level.errors:>8}"
                    f"{level.cpu_per_request * 1000:>12.1f}"
                )
            summary.append((name, results[0], results[-1]))
        print(
            f"\n{'page':<14}{'cpu ms/req':>11}{'cores allow':>13}{'at ' + str(levels[-1]):>9}"
            f"{'share':>8}{'efficiency':>12}{'got':>6}{'client':>8}"
        )
        for name, first, last in summary:
            capacity = cores / first.cpu_per_request if first.cpu_per_request else float("nan")
            efficiency = first.cpu_per_request / last.cpu_per_request
            got = last.cpu / last.seconds / cores
            print(
                f"{name:<14}{first.cpu_per_request * 1000:>11.1f}{capacity:>13.1f}"
                f"{last.throughput:>9.1f}{last.throughput / capacity:>8.0%}"
                f"{efficiency:>12.0%}{got:>6.0%}{last.client_cpu / last.seconds / cores:>8.0%}"
            )
        print(f"\nerrors: {errors}; load average at the end {_load_average()}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        removed = sum(_forget_logged_calls(pk) for pk in logged_with)
        print(f"\nremoved the {removed} rows the writes added")


def _forget_logged_calls(person_id: int) -> int:
    """The benchmark's writes are removed so the cached network stays as generated."""
    from django.db import connection

    from kithkin.models import Interaction, Person
    from kithkin.services.derived_state import Touched, apply

    connection.close()
    logged = Interaction.objects.filter(summary__regex=r"^load \d+$", participants__pk=person_id)
    network = Person.objects.get(pk=person_id).network
    deleted = logged.delete()[0]
    # their check-ins, strength and kept spans, as the seam brings them up to date
    apply(Touched(network, check_ins={person_id}, strength={person_id}))
    return deleted


if __name__ == "__main__":
    main()
