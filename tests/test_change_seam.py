"""The change seam's contract: recorded in the writer's transaction, consumed once per
consumer in order, a failing consumer retried without holding back the others."""

from __future__ import annotations

import pytest
from django.db import transaction

from kithkin import jobs
from kithkin.models import Change, Claim
from kithkin.services import changes


@pytest.fixture
def consumers(monkeypatch):
    """No consumer but the test's, and no change before the test's (making the network and
    its users recorded some)."""
    registry: dict = {}
    monkeypatch.setattr(changes, "CONSUMERS", registry)
    Change.objects.all().delete()
    return registry


def test_a_change_exists_only_if_its_transaction_committed(network, owner):
    def fail_after_recording() -> None:
        with transaction.atomic():
            changes.record(network, "person.created", actor=owner, record_id=1, person_ids=[1])
            raise RuntimeError("the service failed after recording")

    before = Change.objects.count()
    with pytest.raises(RuntimeError):
        fail_after_recording()
    assert Change.objects.count() == before


def test_an_unknown_kind_is_refused(network):
    with pytest.raises(ValueError, match="unknown change kind"):
        changes.record(network, "person.teleported")


def test_each_consumer_reads_every_change_once_in_order(network, owner, consumers):
    seen: dict[str, list[str]] = {"a": [], "b": []}
    changes.consumer("a")(lambda batch: seen["a"].extend(c.kind for c in batch))
    changes.consumer("b")(lambda batch: seen["b"].extend(c.kind for c in batch))
    changes.record(network, "person.created", actor=owner, person_ids=[3, 3, 1])
    changes.record(network, "interaction.logged", actor=owner)

    assert changes.dispatch() == 4
    assert changes.dispatch() == 0
    both = ["person.created", "interaction.logged"]
    assert seen == {"a": both, "b": both}
    assert Change.objects.first().person_ids == [1, 3]


def test_a_failing_consumer_gets_its_batch_again_and_holds_back_only_itself(network, consumers):
    calls = {"flaky": 0}
    ok: list[int] = []

    def flaky(batch):
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise ConnectionError("the receiver is down")

    changes.consumer("flaky")(flaky)
    changes.consumer("steady")(lambda batch: ok.extend(c.pk for c in batch))
    change = changes.record(network, "follow_up.done")

    assert changes.dispatch() == 1  # the steady one
    assert changes.pending("flaky") == [change]
    assert changes.dispatch() == 1  # the flaky one, second try
    assert changes.pending("flaky") == [] and ok == [change.pk]


def test_a_claim_is_taken_once(db):
    assert jobs.claim("digest:1:2026-12-07", worker_id="a")
    assert not jobs.claim("digest:1:2026-12-07", worker_id="b")
    jobs.finish("digest:1:2026-12-07")
    claim = Claim.objects.get()
    assert claim.worker_id == "a" and claim.done_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_late_is_not_skipped(consumers):
    """PostgreSQL hands out ids before commit: a change with a lower id can become visible
    after one with a higher id. The consumer must not read past it while it is in flight."""
    import threading

    from django.db import connection

    from tests import factories

    if connection.vendor != "postgresql":
        pytest.skip("SQLite commits one writer at a time, so in id order")
    owner = factories.make_user("owner")
    network = factories.network_of(owner)
    seen: list[str] = []
    changes.consumer("log")(lambda batch: seen.extend(c.kind for c in batch))
    changes.dispatch()  # what making the network recorded
    seen.clear()
    recorded, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        from django.db import connection as own

        try:
            with transaction.atomic():
                changes.record(network, "follow_up.created")  # the lower id
                recorded.set()
                release.wait(10)
        finally:
            own.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert recorded.wait(10)
    changes.record(network, "follow_up.done")  # a higher id, committed first
    changes.dispatch()
    assert seen == []  # not past the change still in flight
    release.set()
    writer.join()
    changes.dispatch()
    assert seen == ["follow_up.created", "follow_up.done"]
