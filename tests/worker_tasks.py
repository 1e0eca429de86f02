"""Tasks the worker tests enqueue on django-tasks' database queue.

``note`` appends "KEY PID" to the file named by WORKER_TEST_LOG (racing processes append
whole lines: one ``write`` on a file opened for appending), so a test reads back how many
times each task ran, and in which process; ``broken`` always fails.
"""

from __future__ import annotations

import os
import time

from django_tasks import task

# The keys the racing workers' job walks (tests/worker_race.py), and the tasks they share.
RACE_KEYS = [f"race:{n}" for n in range(40)]
TASK_KEYS = [f"task:{n}" for n in range(30)]


def append(key: str) -> None:
    descriptor = os.open(os.environ["WORKER_TEST_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(descriptor, f"{key} {os.getpid()}\n".encode())
    finally:
        os.close(descriptor)


@task()
def note(key: str, pause: float = 0.0) -> str:
    append(key)
    time.sleep(pause)  # in a racing worker process: gives the other one its turn
    return key


@task()
def broken() -> None:
    raise RuntimeError("this task always fails")
