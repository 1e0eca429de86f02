"""The worker in this process: `kith worker --once` runs the jobs due and the whole task
queue; a failure is reported and holds nothing else back; each round proves it ran; the
duplicates of a large network are computed through the queue; `kith doctor` reads it all.

Real worker processes (racing, stopped by a signal) are in tests/test_worker_processes.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kithkin import clock, doctor, housekeeping, jobs
from kithkin.models import DuplicateScan, WorkerBeat
from kithkin.queries import worker_status
from kithkin.queries.duplicates import stored_duplicates
from kithkin.schemas.doctor import DoctorOut
from kithkin.services import changes, duplicates
from kithkin.worker import BEATS_KEPT, Worker
from tests import worker_tasks
from tests.conftest import FROZEN_NOW
from tests.factories import make_person

pytestmark = pytest.mark.django_db

EVERY = dt.timedelta(minutes=10)


@pytest.fixture
def registry(monkeypatch, settings, tmp_path) -> dict[str, jobs.Job]:
    """No job but the ones a test registers; tasks note what they did in tmp_path/log."""
    assert jobs.all_jobs()  # Kithkin's own registered first, then out of the way
    fresh: dict[str, jobs.Job] = {}
    monkeypatch.setattr(jobs, "JOBS", fresh)
    settings.DATA_DIR = tmp_path
    monkeypatch.setenv("WORKER_TEST_LOG", str(tmp_path / "log"))
    return fresh


def handled(tmp_path: Path) -> list[str]:
    log = tmp_path / "log"
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def test_once_runs_the_jobs_due_and_the_whole_queue(kith, registry, tmp_path):
    ran: list[dt.datetime] = []
    jobs.job("tally", every=EVERY)(ran.append)
    worker_tasks.note.enqueue("first")
    worker_tasks.note.enqueue("second")

    result = kith("worker", "--once")

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Jobs run: tally; tasks run: 2."
    assert ran == [clock.now()]
    assert sorted(handled(tmp_path)) == ["first", "second"]
    assert not DBTaskResult.objects.ready().exists()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert WorkerBeat.objects.get().beat_at == clock.now()


def test_a_failing_job_is_reported_and_the_others_still_run(kith, registry, tmp_path):
    ran: list[dt.datetime] = []

    def broken(now: dt.datetime) -> None:
        raise RuntimeError("the mail server is down")

    jobs.job("broken", every=EVERY)(broken)
    jobs.job("tally", every=EVERY)(ran.append)
    worker_tasks.note.enqueue("after")

    result = kith("worker", "--once")

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: Jobs run: tally; tasks run: 1. Failed jobs: broken. See the log above."
    ]
    assert ran == [clock.now()]
    assert handled(tmp_path) == ["after"]


def test_a_failing_task_is_recorded_on_its_row_and_the_queue_goes_on(kith, registry, tmp_path):
    failing = worker_tasks.broken.enqueue()
    worker_tasks.note.enqueue("next")

    result = kith("worker", "--once")

    assert result.exit_code == 1
    assert "Failed tasks: 1." in result.stderr
    row = DBTaskResult.objects.get(pk=failing.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert handled(tmp_path) == ["next"]


def test_a_job_runs_again_once_its_interval_has_passed(registry, frozen_time):
    ran: list[dt.datetime] = []
    jobs.job("tally", every=EVERY)(ran.append)
    worker = Worker(5)
    worker.run_round()
    frozen_time.shift(EVERY - dt.timedelta(seconds=1))
    worker.run_round()
    assert len(ran) == 1
    frozen_time.shift(dt.timedelta(seconds=1))
    worker.run_round()
    assert ran == [FROZEN_NOW, FROZEN_NOW + EVERY]


def test_a_failed_job_waits_for_its_next_interval(registry, frozen_time):
    tries: list[dt.datetime] = []

    def broken(now: dt.datetime) -> None:
        tries.append(now)
        raise RuntimeError("down")

    jobs.job("broken", every=EVERY)(broken)
    worker = Worker(5)
    assert worker.run_round().jobs_failed == ["broken"]
    assert worker.run_round().jobs_failed == []
    frozen_time.shift(EVERY)
    worker.run_round()
    assert len(tries) == 2


def test_each_round_stamps_the_workers_beat(registry, frozen_time):
    worker = Worker(5, worker_id="host:1:1")
    worker.run_round()
    frozen_time.shift(dt.timedelta(seconds=30))
    worker.run_round()
    beat = WorkerBeat.objects.get()
    assert (beat.worker_id, beat.started_at, beat.beat_at, beat.interval_seconds) == (
        "host:1:1",
        FROZEN_NOW,
        FROZEN_NOW + dt.timedelta(seconds=30),
        5,
    )


def test_a_starting_worker_forgets_beats_older_than_a_week(registry):
    WorkerBeat.objects.create(
        worker_id="gone", beat_at=FROZEN_NOW - BEATS_KEPT - dt.timedelta(seconds=1)
    )
    WorkerBeat.objects.create(worker_id="recent", beat_at=FROZEN_NOW - dt.timedelta(days=1))
    Worker(5, worker_id="new").run_round()
    assert set(WorkerBeat.objects.values_list("worker_id", flat=True)) == {"recent", "new"}


def test_the_worker_runs_housekeeping_and_the_change_seam():
    registered = jobs.all_jobs()
    assert registered["housekeeping"].run is housekeeping.housekeeping
    assert registered["changes"].every <= dt.timedelta(seconds=10)


def kept() -> set[str]:
    return {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}


def test_housekeeping_forgets_finished_tasks_past_their_keeping_time(registry, frozen_time):
    done = worker_tasks.note.enqueue("done")
    failed = worker_tasks.broken.enqueue()
    later = worker_tasks.note.using(run_after=FROZEN_NOW + dt.timedelta(days=60))
    waiting = later.enqueue("waiting")
    Worker(5).run_once()
    frozen_time.shift(housekeeping.TASKS_KEPT + dt.timedelta(seconds=1))
    housekeeping.housekeeping(clock.now())
    assert kept() == {failed.id, waiting.id}
    assert done.id not in kept()
    frozen_time.shift(housekeeping.FAILED_TASKS_KEPT)
    housekeeping.housekeeping(clock.now())
    assert kept() == {waiting.id}


def test_one_worker_at_a_time_holds_the_changes_lease(frozen_time):
    lease = housekeeping.CHANGES_LEASE
    assert housekeeping.hold_lease("changes", "a", clock.now(), lease)
    assert not housekeeping.hold_lease("changes", "b", clock.now(), lease)
    frozen_time.shift(lease)
    assert housekeeping.hold_lease("changes", "a", clock.now(), lease)  # renewed
    frozen_time.shift(lease)
    assert not housekeeping.hold_lease("changes", "b", clock.now(), lease)
    frozen_time.shift(dt.timedelta(seconds=1))  # "a" stopped renewing it
    assert housekeeping.hold_lease("changes", "b", clock.now(), lease)
    assert not housekeeping.hold_lease("changes", "a", clock.now(), lease)


def test_the_changes_job_hands_each_consumer_its_changes(network, owner, monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(changes, "CONSUMERS", {})
    changes.consumer("test")(lambda batch: seen.extend(change.kind for change in batch))
    changes.dispatch()  # what making the network recorded
    seen.clear()
    changes.record(network, "person.created", actor=owner)
    assert housekeeping.dispatch_changes(clock.now()) == 1
    assert seen == ["person.created"]
    changes.record(network, "person.updated", actor=owner)
    monkeypatch.setattr(housekeeping, "this_process", lambda: "another worker")
    assert housekeeping.dispatch_changes(clock.now()) == 0  # this one holds the lease
    assert seen == ["person.created"]


# The duplicates of a large network, through the queue


def test_a_large_networks_duplicates_are_computed_by_the_worker(network, registry, monkeypatch):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    make_person(network, "Augusta King", emails=["ADA@example.org"])
    monkeypatch.setattr(duplicates, "INLINE_UP_TO", 1)

    assert duplicates.ensure_current(network).pending
    assert duplicates.ensure_current(network).pending  # the computation is claimed: once
    queued = DBTaskResult.objects.ready().get()
    assert queued.task_path == "kithkin.services.duplicates.compute_duplicates"
    assert queued.args_kwargs["args"] == [network.pk]
    assert stored_duplicates(network) == []  # nothing computed in the request

    assert Worker(5).run_once().tasks_run == 1

    assert duplicates.status(network).current
    assert DuplicateScan.objects.get(network=network).computing_since is None
    assert [pair.people for pair in stored_duplicates(network)] != []


def test_a_small_networks_duplicates_are_still_computed_in_the_request(network, registry):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    make_person(network, "Augusta King", emails=["ADA@example.org"])
    assert duplicates.ensure_current(network).current
    assert not DBTaskResult.objects.exists()


# kith doctor


@pytest.fixture
def only_the_worker_check(monkeypatch):
    """The worker's check alone (other modules' checks have tests of their own)."""
    monkeypatch.setattr(doctor, "CHECK_MODULES", ())
    monkeypatch.setattr(doctor, "CHECKS", {"worker": worker_status.worker_heartbeat})


def test_doctor_exits_1_when_no_worker_ever_ran(kith, only_the_worker_check):
    result = kith("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "✗ worker: No background worker has ever run: start `kith worker` (or `kith serve`, "
        "which runs one); until one does, nothing is sent (digests, webhooks) and no "
        "scheduled work happens.",
        "1 problem.",
    ]


def test_doctor_exits_0_when_the_worker_ran_lately(kith, only_the_worker_check):
    WorkerBeat.objects.create(worker_id="w", beat_at=FROZEN_NOW - dt.timedelta(seconds=4))
    result = kith("doctor")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "✓ worker: The background worker ran 4 s ago.",
        "Everything is fine.",
    ]


def test_doctor_names_a_worker_that_stopped(kith, only_the_worker_check):
    WorkerBeat.objects.create(
        worker_id="w", beat_at=FROZEN_NOW - dt.timedelta(minutes=3), interval_seconds=60
    )
    result = kith("doctor", "--json")
    assert result.exit_code == 1
    report = DoctorOut.model_validate_json(result.stdout, strict=True)
    assert report.ok is False
    assert [(f.check, f.ok) for f in report.findings] == [("worker", False)]
    assert report.findings[0].detail.startswith(
        "The background worker last ran 3 min ago (2026-02-20 07:57:00 UTC), more than twice "
        "its interval of 60 s"
    )
    assert json.loads(result.stdout)["findings"][0]["check"] == "worker"


def test_a_check_that_breaks_is_itself_a_problem(kith, monkeypatch):
    def broken() -> list[doctor.Finding]:
        raise RuntimeError("cannot read the feed table")

    monkeypatch.setattr(doctor, "CHECK_MODULES", ())
    monkeypatch.setattr(doctor, "CHECKS", {"feeds": broken})
    result = kith("doctor")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "✗ feeds: the check failed: cannot read the feed table"


def test_the_worker_status_is_stale_past_twice_its_interval(frozen_time):
    WorkerBeat.objects.create(worker_id="w", beat_at=FROZEN_NOW, interval_seconds=5)
    frozen_time.shift(dt.timedelta(seconds=10))
    assert not worker_status.worker_status().stale
    frozen_time.shift(dt.timedelta(seconds=1))
    assert worker_status.worker_status().stale


def test_housekeeping_forgets_the_claims_of_work_done_a_month_ago(db):
    from kithkin import jobs
    from kithkin.models import Claim

    jobs.claim("digest:1:2026-01-10")
    jobs.finish("digest:1:2026-01-10")
    Claim.objects.update(done_at=clock.now() - housekeeping.CLAIMS_KEPT - dt.timedelta(hours=1))
    jobs.claim("digest:1:2026-02-20")
    jobs.finish("digest:1:2026-02-20")
    jobs.claim("backup:2026-02-20")  # not done yet: kept

    assert housekeeping.forget_done_claims(clock.now()) == 1
    assert set(Claim.objects.values_list("key", flat=True)) == {
        "digest:1:2026-02-20",
        "backup:2026-02-20",
    }


def test_a_task_left_running_by_a_killed_worker_is_queued_again(network, frozen_time):
    from django_tasks_db.compat import TaskResultStatus

    from kithkin.models import WorkerBeat

    duplicates.compute_duplicates.enqueue(network.pk)
    duplicates.compute_duplicates.enqueue(network.pk)
    dead, alive = DBTaskResult.objects.order_by("enqueued_at", "id")
    dead.claim("host:1:killed")  # its worker left no beat: SIGKILLed before its first
    alive.claim("host:2:busy")
    WorkerBeat.objects.create(worker_id="host:2:busy")
    frozen_time.shift(housekeeping.ABANDONED_AFTER + dt.timedelta(minutes=1))
    WorkerBeat.objects.filter(worker_id="host:2:busy").update(beat_at=clock.now())

    assert housekeeping.requeue_abandoned_tasks(clock.now()) == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    assert list(DBTaskResult.objects.ready()) == [dead]


def test_a_worker_started_by_a_server_that_is_gone_stops(db, monkeypatch):
    from kithkin.worker import Worker

    loop = Worker(60, parent=os.getppid() + 1_000_000)  # not our parent: the server is gone
    monkeypatch.setattr(loop, "run_round", lambda: pytest.fail("no round without the server"))
    loop.run_forever()  # returns at once instead of running rounds
