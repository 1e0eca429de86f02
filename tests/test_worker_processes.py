"""Real `kith worker` processes on the suite's engine (SQLite in a data directory, or a
PostgreSQL database of their own when KITH_DATABASE_URL is set): two racing over the same
job and the same queue do each piece of work exactly once; SIGTERM stops one cleanly.

The racing processes run with tests/worker_settings.py, which adds tests/worker_race.py's
job; the work they did is appended to one file (tests/worker_tasks.py).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.test_serve import KITH, served_env, wait_for_worker  # noqa: F401  (a fixture)
from tests.worker_tasks import RACE_KEYS, TASK_KEYS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

# Enqueues the tasks both workers will find waiting.
SEED = f"""
import django
django.setup()
from tests.worker_tasks import note
for key in {TASK_KEYS!r}:
    note.enqueue(key, 0.02)
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def initialised(served_env: dict[str, str]) -> dict[str, str]:  # noqa: F811
    init = _run([KITH, "init", "--name", "Sam Writer"], served_env)
    assert init.returncode == 0, init.stderr
    return served_env


def test_two_racing_workers_do_each_piece_of_work_once(initialised, tmp_path):
    env = initialised | {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "PYTHONPATH": str(ROOT),
        "WORKER_TEST_LOG": str(tmp_path / "handled"),
        "RACE_WORKERS": "2",
    }
    seed = _run([sys.executable, "-c", SEED], env)
    assert seed.returncode == 0, seed.stderr

    workers = [
        subprocess.Popen(
            [KITH, "worker", "--once"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=180) for worker in workers]

    for worker, (stdout, stderr) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, stderr
        assert stdout.startswith("Jobs run: "), stdout
    handled = [line.split() for line in (tmp_path / "handled").read_text().splitlines()]
    counts = Counter(key for key, _ in handled)
    assert counts == Counter(RACE_KEYS + TASK_KEYS)  # every key, each exactly once
    racers = {pid for key, pid in handled if key.startswith("race:")}
    assert racers == {str(worker.pid) for worker in workers}  # both really raced


def test_sigterm_stops_a_running_worker_after_its_round(initialised):
    worker = subprocess.Popen(
        [KITH, "worker", "--interval", "1"],
        env=initialised,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for_worker(initialised) == worker.pid
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, output
    assert "a round every 1 s" in output
    assert output.rstrip().endswith("stopped.")
