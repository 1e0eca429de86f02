"""SQLite beside PostgreSQL in the benchmarks: CPU that counts the database server too, and
one table of both engines' figures from two runs of the same benchmark.

On SQLite the queries run inside the benchmark's process, so ``time.process_time()`` holds
them; on PostgreSQL they run in the server's backend process for this connection, whose CPU
is read from /proc (the dev server runs on this machine). CPU, unlike wall time, is hardly
moved by the other processes of a shared machine, so the engines are compared by both.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
RESULT = "RESULT "  # the line a benchmark run with --json prints its figures on


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_clock() -> Callable[[], float]:
    """A clock of CPU seconds: this process, plus on PostgreSQL its connection's backend.
    Ask for a new clock after the connection may have been replaced."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return time.process_time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return lambda: time.process_time() + _process_cpu(pid)


def measured(
    function: Callable[[], object], runs: int, *, warm: int = 1
) -> tuple[list[float], float, object]:
    """``function`` run ``runs`` times after ``warm`` untimed runs: the wall samples in ms,
    the mean CPU per run in ms (see cpu_clock) and the last result."""
    for _ in range(warm):
        function()
    clock = cpu_clock()
    samples, result = [], None
    cpu_start = clock()
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - start) * 1000)
    cpu = (clock() - cpu_start) * 1000 / max(1, runs)
    return samples, cpu, result


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]


def figures(samples: list[float], cpu: float) -> dict[str, float]:
    return {"median": statistics.median(samples), "p95": p95(samples), "cpu": cpu}


def emit(rows: dict[str, dict[str, float]]) -> None:
    """Print one run's figures for compare() to read."""
    print(RESULT + json.dumps(rows), flush=True)


def run_engine(script: str, arguments: list[str], database_url: str | None) -> dict:
    """Run a benchmark script in a process of its own on one engine; its figures."""
    command = [sys.executable, script, *arguments, "--json"]
    if database_url:
        command += ["--database-url", database_url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    sys.stdout.write(output)
    for line in output.splitlines():
        if line.startswith(RESULT):
            return dict(json.loads(line[len(RESULT) :]))
    raise SystemExit(f"{script} printed no figures")


def compare(script: str, arguments: list[str], database_url: str, *, limit: float = 1.5) -> None:
    """Run ``script`` on SQLite, then on PostgreSQL, and print both side by side: median
    wall time and CPU per run, and PostgreSQL's share of SQLite's (target: ``limit``)."""
    sqlite = run_engine(script, arguments, None)
    postgres = run_engine(script, arguments, database_url)
    print(
        f"\n{'':44} {'SQLite':>17} {'PostgreSQL':>17} {'PG / SQLite':>14}\n"
        f"{'what':44} {'median':>8} {'cpu':>8} {'median':>8} {'cpu':>8} {'wall':>6} {'cpu':>6}"
    )
    for name, lite in sqlite.items():
        pg = postgres.get(name)
        if pg is None:
            continue
        wall_ratio = pg["median"] / lite["median"] if lite["median"] else float("nan")
        cpu_ratio = pg["cpu"] / lite["cpu"] if lite["cpu"] else float("nan")
        verdict = "" if wall_ratio <= limit else "  MISS"
        print(
            f"{name[:44]:44} {lite['median']:6.1f}ms {lite['cpu']:6.1f}ms "
            f"{pg['median']:6.1f}ms {pg['cpu']:6.1f}ms {wall_ratio:5.2f}x {cpu_ratio:5.2f}x"
            f"{verdict}"
        )
