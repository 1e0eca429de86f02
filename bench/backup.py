"""Benchmark: `kith backup` of the cached 30,000-person network beside `sqlite3 .backup` of
the same file, in the same run.

    .venv/bin/python bench/backup.py [--people 30000] [--interactions 1000000] [--runs 3]

The baseline is the sqlite3 command line's `.backup` (a child process: its CPU time from
``RUSAGE_CHILDREN``), or, without one on PATH, Python's backup API in one step. Kithkin's
is ``backups.make.make_backup``, what `kith backup` runs (one read snapshot, the copy in
steps of pages with progress, the result made a single-file database, checked, written
private and moved into place, recorded), timed with each check it can run: none (the copy
alone, the default), ``quick_check`` and ``integrity_check``, and encrypted. Runs
alternate so the page cache favours neither; wall time and CPU time are both reported,
medians of ``--runs``. Target (issue 18): <= 2x the baseline.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import prepare


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(run: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its children) of one run."""
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    run()
    return (
        time.perf_counter() - wall,
        time.process_time() - cpu + _children_cpu() - children,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    directory = prepare(args.people, args.interactions)

    from django.test.utils import override_settings

    from kithkin.backups import crypto, make

    source = directory / "kithkin.sqlite3"
    scratch = Path(tempfile.mkdtemp(prefix="kithkin-bench-backup-", dir=directory.parent))
    sqlite3_cli = shutil.which("sqlite3")

    def fresh(name: str) -> Path:
        target = scratch / name
        for leftover in scratch.iterdir():
            leftover.unlink()
        return target

    def baseline() -> None:
        target = fresh("baseline.sqlite3")
        if sqlite3_cli:
            subprocess.run([sqlite3_cli, str(source), f".backup {target}"], check=True)
        else:
            with sqlite3.connect(source) as reader, sqlite3.connect(target) as writer:
                reader.backup(writer)

    def ours(check: str, passphrase: str = "") -> Callable[[], None]:
        def run() -> None:
            original = make.copy_sqlite

            def with_check(source: Path, target: Path, progress: make.Progress) -> None:
                original(source, target, progress, check=check)

            make.copy_sqlite = with_check  # type: ignore[assignment]
            try:
                make.make_backup(fresh("ours.sqlite3"), passphrase=passphrase)
            finally:
                make.copy_sqlite = original

        return run

    variants = {
        f"sqlite3 .backup{'' if sqlite3_cli else ' (Python, one step)'}": baseline,
        "kith backup (default: the copy)": ours(""),
        "kith backup + quick_check": ours("quick_check"),
        "kith backup + integrity_check": ours("integrity_check"),
        "kith backup + integrity_check, encrypted": ours("integrity_check", "bench passphrase"),
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    with override_settings(BACKUP_DIR=scratch):
        for name, run in variants.items():  # warm the page cache once, untimed
            if name.startswith("sqlite3"):
                run()
        for _ in range(args.runs):
            for name, run in variants.items():
                samples[name].append(measure(run))
    shutil.rmtree(scratch)

    size = source.stat().st_size / 2**20
    print(
        f"{args.people} people, {args.interactions} interactions: {size:.0f} MB; "
        f"median of {args.runs} runs; crypto scrypt N=2^{crypto.SCRYPT_LOG2_N}"
    )
    base_wall = statistics.median(w for w, _ in samples[next(iter(variants))])
    base_cpu = statistics.median(c for _, c in samples[next(iter(variants))])
    for name, taken in samples.items():
        wall = statistics.median(w for w, _ in taken)
        cpu = statistics.median(c for _, c in taken)
        print(
            f"{name:44s} wall {wall:6.2f} s ({wall / base_wall:4.1f}x)   "
            f"CPU {cpu:6.2f} s ({cpu / base_cpu:4.1f}x)"
        )


if __name__ == "__main__":
    os.nice(5)
    main()
