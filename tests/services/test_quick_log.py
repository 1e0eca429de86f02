"""A quick log from the phone is logged once per key, whoever sends it how often."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection

from kithkin import clock
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Change, Interaction, QuickLog
from kithkin.services import quick_log as quick_log_service
from kithkin.services.quick_log import quick_log
from kithkin.services.undo import undo
from tests import factories
from tests.factories import make_person

pytestmark = pytest.mark.django_db

KEY = uuid.UUID("0b8a2f6e-4c1d-4e43-9a57-3f0f4c6a9e21")


def test_a_quick_log_is_an_interaction_with_its_note(owner, network):
    ada = make_person(network, "Ada Lovelace")
    result = quick_log(
        network, owner, key=KEY, person=ada, kind="meeting", note="  coffee   with Ada "
    )
    interaction = Interaction.objects.get()
    assert result.interaction == interaction and not result.replayed
    assert (interaction.kind, interaction.summary) == ("meeting", "coffee with Ada")
    assert list(interaction.participants.all()) == [ada]
    assert interaction.occurred_at == clock.now()
    ada.refresh_from_db()
    assert ada.last_interaction_at == clock.now()  # through the one write path
    assert Change.objects.filter(kind="interaction.logged").count() == 1


def test_the_same_key_twice_logs_once_and_answers_the_first(owner, network):
    ada = make_person(network, "Ada Lovelace")
    first = quick_log(network, owner, key=KEY, person=ada, kind="meeting", note="coffee")
    again = quick_log(network, owner, key=KEY, person=ada, kind="meeting", note="coffee")
    assert again.replayed and again.interaction == first.interaction
    assert Interaction.objects.count() == 1
    assert QuickLog.objects.count() == 1


def test_a_replay_arriving_while_the_first_commits_reads_its_result(owner, network, monkeypatch):
    """Two replays at once both find no key yet; the unique key lets one INSERT through and
    the other answers its result (the race made deterministic: the lookup misses once)."""
    ada = make_person(network, "Ada Lovelace")
    first = quick_log(network, owner, key=KEY, person=ada, kind="meeting", note="coffee")
    real_first = quick_log_service._first
    calls = []

    def missing_once(*args, **kwargs):
        calls.append(1)
        return None if len(calls) == 1 else real_first(*args, **kwargs)

    monkeypatch.setattr(quick_log_service, "_first", missing_once)
    again = quick_log(network, owner, key=KEY, person=ada, kind="meeting", note="coffee")
    assert again.replayed and again.interaction == first.interaction
    assert Interaction.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_replays_make_one_interaction():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's shared in-memory test database locks tables instead of waiting; the "
            "unique-key path is the deterministic race above (CI's PostgreSQL pass runs this)"
        )
    owner = factories.make_user("owner")
    network = factories.network_of(owner)
    ada = make_person(network, "Ada Lovelace")
    start = threading.Barrier(2)
    results = []

    def send() -> None:
        from django.db import connection as own

        try:
            start.wait(10)
            results.append(quick_log(network, owner, key=KEY, person=ada, kind="meeting"))
        finally:
            own.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert Interaction.objects.count() == 1
    assert {result.interaction.pk for result in results} == {Interaction.objects.get().pk}
    assert sorted(result.replayed for result in results) == [False, True]


def test_another_users_key_is_not_their_result(owner, network, teammate):
    ada = make_person(network, "Ada Lovelace")
    mine = quick_log(network, owner, key=KEY, person=ada, kind="meeting", note="mine")
    theirs = quick_log(network, teammate, key=KEY, person=ada, kind="call", note="theirs")
    assert not theirs.replayed and theirs.interaction != mine.interaction
    assert theirs.interaction.summary == "theirs"
    assert Interaction.objects.count() == 2


def test_a_viewer_cannot_quick_log(network, viewer):
    ada = make_person(network, "Ada Lovelace")
    with pytest.raises(Forbidden):
        quick_log(network, viewer, key=KEY, person=ada, kind="meeting")
    assert not Interaction.objects.exists() and not QuickLog.objects.exists()


def test_an_outsider_does_not_find_the_network(network, outsider):
    ada = make_person(network, "Ada Lovelace")
    with pytest.raises(NotFound):
        quick_log(network, outsider, key=KEY, person=ada, kind="meeting")
    assert not Interaction.objects.exists()


def test_someone_of_another_network_is_refused_and_the_key_stays_free(owner, network, outsider):
    stranger = make_person(factories.network_of(outsider), "Grace Hopper", by=outsider)
    with pytest.raises(InvalidInput):
        quick_log(network, owner, key=KEY, person=stranger, kind="meeting")
    assert not QuickLog.objects.exists()  # a refused log keeps no key: fixed, it can go again


def test_when_the_phone_logged_it_counts_never_the_future(owner, network):
    ada = make_person(network, "Ada Lovelace")
    an_hour_ago = clock.now() - dt.timedelta(hours=1)
    earlier = quick_log(network, owner, key=KEY, person=ada, kind="call", occurred_at=an_hour_ago)
    assert earlier.interaction.occurred_at == an_hour_ago
    ahead = clock.now() + dt.timedelta(minutes=5)
    late = quick_log(network, owner, key=uuid.uuid4(), person=ada, kind="call", occurred_at=ahead)
    assert late.interaction.occurred_at == clock.now()


def test_a_bad_kind_or_a_long_note_logs_nothing(owner, network):
    ada = make_person(network, "Ada Lovelace")
    with pytest.raises(InvalidInput):
        quick_log(network, owner, key=KEY, person=ada, kind="telepathy")
    with pytest.raises(InvalidInput):
        quick_log(network, owner, key=KEY, person=ada, kind="call", note="x" * 501)
    assert not Interaction.objects.exists() and not QuickLog.objects.exists()


def test_undone_then_replayed_stays_undone(owner, network):
    ada = make_person(network, "Ada Lovelace")
    quick_log(network, owner, key=KEY, person=ada, kind="meeting")
    from kithkin.access import last_undoable_action

    undo(network, owner, last_undoable_action(owner, network))
    replay = quick_log(network, owner, key=KEY, person=ada, kind="meeting")
    assert replay.replayed and replay.interaction is None
    assert not Interaction.objects.exists()


def test_keys_are_forgotten_after_90_days_and_an_older_replay_is_refused(
    owner, network, frozen_time
):
    ada = make_person(network, "Ada Lovelace")
    tapped = clock.now()
    quick_log(network, owner, key=KEY, person=ada, kind="call", occurred_at=tapped)
    frozen_time.shift(quick_log_service.KEYS_KEPT - dt.timedelta(days=1))
    assert quick_log_service.forget_old_keys(clock.now()) == 0
    kept = quick_log(network, owner, key=KEY, person=ada, kind="call", occurred_at=tapped)
    assert kept.replayed  # still answered from its key

    frozen_time.shift(dt.timedelta(days=2))
    assert quick_log_service.forget_old_keys(clock.now()) == 1
    assert not QuickLog.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        quick_log(network, owner, key=KEY, person=ada, kind="call", occurred_at=tapped)
    assert refused.value.field == "logged_at"
    assert "over 90 days ago" in str(refused.value)
    assert Interaction.objects.count() == 1  # the replay logged nothing twice


def test_housekeeping_forgets_old_quick_log_keys(owner, network, frozen_time):
    from kithkin import housekeeping

    ada = make_person(network, "Ada Lovelace")
    quick_log(network, owner, key=KEY, person=ada, kind="call")
    frozen_time.shift(quick_log_service.KEYS_KEPT + dt.timedelta(hours=1))
    quick_log(network, owner, key=uuid.uuid4(), person=ada, kind="call")
    housekeeping.housekeeping(clock.now())
    assert QuickLog.objects.count() == 1
