"""Benchmark: how long `kith` takes to start, each command beside its floor, in one run.

    .venv/bin/python bench/cli_startup.py [--runs 10] [--people 30000] [--interactions 1000000]

Like hyperfine: every command is a fresh process, run ``--runs`` times after one warm-up,
the runs of all commands interleaved so that a busy machine slows them alike; medians of
wall time and of CPU time (user + system of the child, which other processes on a shared
machine do not inflate). The floors, measured in the same run:

- ``python -c "import typer"`` for `kith --help` and `kith --version` (target ≤ 2x);
- ``python -c "import django; django.setup()"`` with the project's settings and the same
  KITH_DATA_DIR for `kith today` on the cached 30,000-person network (target ≤ 1.5x).

The network is the cached benchmark network (bench/network.py), copied first; its
opportunities' stored matches (``Opportunity.agenda_matches``) are computed first if the
cache has none yet (as the worker's hourly job would). With ``--unstored``, `kith today`
also runs on a second copy whose stored matches are cleared: every match computed, as
before they were stored (the same output). With
``--before SRC`` (the ``src`` directory of another checkout, e.g. a `git worktree` of the
commit before), `kith --help` and `kith today` of that code are measured in the same run.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import data_dir

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
KITH = str(Path(sys.executable).parent / "kith")

FLOOR_TYPER = [PYTHON, "-c", "import typer"]
FLOOR_DJANGO = [PYTHON, "-c", "import django; django.setup()"]
COMMANDS: list[tuple[str, list[str], str, float]] = [
    # label, command, its floor, target ratio
    ("floor: python -c 'import typer'", FLOOR_TYPER, "", 0),
    ("kith --version", [KITH, "--version"], "typer", 2.0),
    ("kith --help", [KITH, "--help"], "typer", 2.0),
    ("floor: python -c 'django.setup()'", FLOOR_DJANGO, "", 0),
    ("kith today", [KITH, "today"], "django", 1.5),
    ("kith today --json", [KITH, "today", "--json"], "django", 1.5),
    ("kith show <someone> --json", [KITH, "show", "p2", "--json"], "django", 0),
]


def before(src: str) -> list[tuple[str, list[str], str, float]]:
    """`kith --help` and `kith today` run from another checkout's source."""
    kith = [PYTHON, "-c", "import sys; from kithkin.cli import main; main()"]
    return [
        (f"kith --help (before: {src})", [f"PYTHONPATH={src}", *kith, "--help"], "typer", 0),
        (f"kith today (before: {src})", [f"PYTHONPATH={src}", *kith, "today"], "django", 0),
    ]


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    if command[0].startswith(("PYTHONPATH=", "KITH_DATA_DIR=")):
        name, _, value = command[0].partition("=")
        env = {**env, name: value}
        command = command[1:]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", default="", help="src/ of the code to compare with")
    parser.add_argument("--unstored", action="store_true", help="also with no stored matches")
    args = parser.parse_args()
    commands = COMMANDS + (before(args.before) if args.before else [])
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    source = data_dir(args.people, args.interactions)
    code = (
        f"import network; network.prepare({args.people}, {args.interactions}); "
        "from kithkin import clock; "
        "from kithkin.services.opportunity_matches import refresh_hourly; "
        "refresh_hourly(clock.now())"
    )
    subprocess.run([PYTHON, "-c", code], cwd=HERE, check=True)
    with tempfile.TemporaryDirectory(prefix="kith-startup-") as temporary:
        shutil.copyfile(source / "kithkin.sqlite3", Path(temporary) / "kithkin.sqlite3")
        if args.unstored:
            unstored = Path(temporary) / "unstored"
            unstored.mkdir()
            shutil.copyfile(source / "kithkin.sqlite3", unstored / "kithkin.sqlite3")
            with sqlite3.connect(unstored / "kithkin.sqlite3") as database:
                database.execute("UPDATE kithkin_opportunity SET agenda_matches = NULL")
            commands.append(
                (
                    "kith today (nothing stored)",
                    [f"KITH_DATA_DIR={unstored}", KITH, "today"],
                    "django",
                    0,
                )
            )
        env = {
            **os.environ,
            "KITH_DATA_DIR": temporary,
            "DJANGO_SETTINGS_MODULE": "kithkin.settings",
            "KITH_USER": "bench",
        }
        env.pop("KITH_DATABASE_URL", None)
        samples: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in commands}
        for _label, command, *_ in commands:
            run_once(command, env)  # warm-up: the file cache, .pyc files
        for _ in range(args.runs):
            for label, command, *_ in commands:
                samples[label].append(run_once(command, env))
    medians = {
        label: (
            statistics.median(w for w, _ in runs),
            statistics.median(c for _, c in runs),
        )
        for label, runs in samples.items()
    }
    floors = {"typer": medians[COMMANDS[0][0]], "django": medians[COMMANDS[3][0]]}
    print(f"{args.runs} runs each, interleaved; medians\n")
    print(f"{'':36} {'wall':>8} {'cpu':>8} {'x floor (wall / cpu)':>22}   target")
    for label, _, floor, target in commands:
        wall, cpu = medians[label]
        ratio = ""
        verdict = ""
        if floor:
            floor_wall, floor_cpu = floors[floor]
            ratio = f"{wall / floor_wall:.2f} / {cpu / floor_cpu:.2f}"
            if target:
                met = cpu / floor_cpu <= target
                verdict = f"≤ {target}x — {'met' if met else 'MISSED'} (cpu)"
        print(f"{label:36} {wall:6.0f}ms {cpu:6.0f}ms {ratio:>22}   {verdict}")


if __name__ == "__main__":
    main()
