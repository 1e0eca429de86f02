"""The job two real `kith worker` processes race over (tests/test_worker_processes.py).

Imported only by those processes, through ``EXTRA_JOB_MODULES`` in tests/worker_settings.py.
The job first waits (bounded) until RACE_WORKERS workers have stamped their beat, so they
really run it at the same time; then it walks the same keys as every other worker, takes
each with ``jobs.claim`` and notes the ones it took (tests/worker_tasks.append).
"""

from __future__ import annotations

import datetime as dt
import os
import time

from kithkin import jobs
from tests.worker_tasks import RACE_KEYS, append


@jobs.job("race", every=dt.timedelta(hours=1))
def race(now: dt.datetime) -> None:
    from kithkin.models import WorkerBeat

    deadline = time.monotonic() + 60
    while WorkerBeat.objects.count() < int(os.environ.get("RACE_WORKERS", "1")):
        if time.monotonic() > deadline:
            raise RuntimeError("the other worker never started")
        time.sleep(0.05)
    for key in RACE_KEYS:
        if jobs.claim(key, worker_id=str(os.getpid())):
            append(key)
            time.sleep(0.02)  # the "sending": meanwhile the other worker takes the next key
            jobs.finish(key)
