"""CalDAV sync against a real Radicale the tests start (``calendar_servers``).

The account model arrives with another branch: these tests pass ``calendar_servers.Source``,
a small dataclass implementing ``SyncSource``. Time is frozen at conftest's FROZEN_NOW
(20 February 2026, 08:00 UTC) in this process; Radicale runs on the real clock, which only
stamps its own files and tokens, so every event is placed relative to the frozen "now"."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import caldav
import pytest

from kithkin.models import Change, Interaction, SyncedEvent
from kithkin.sync import caldav as caldav_sync
from kithkin.sync.calendars import sync_caldav
from kithkin.sync.outcome import SyncFailure
from tests import factories
from tests.conftest import FROZEN_NOW
from tests.sync.calendar_servers import (
    Radicale,
    Relay,
    Source,
    calendar,
    start_radicale,
    vevent,
)

pytestmark = [pytest.mark.slow, pytest.mark.once]

NOW = FROZEN_NOW.astimezone(dt.UTC)
YESTERDAY = NOW - dt.timedelta(days=1, hours=1)
_numbers = itertools.count(1)


@pytest.fixture
def ada(network):
    return factories.make_person(network, "Ada Lovelace", emails=["ada@example.com"])


@pytest.fixture
def bob(network):
    return factories.make_person(network, "Bob Babbage", emails=["bob@example.com"])


class Calendars:
    """Calendars of alice on the server, made for one test each."""

    def __init__(self, server: Radicale) -> None:
        self.server = server
        self.client = caldav.DAVClient(url=server.url, username="alice", password="secret")
        self.principal = self.client.principal()

    def make(self, name: str = "Work") -> Any:
        return self.principal.make_calendar(name=name, cal_id=f"cal{next(_numbers)}")

    def put(self, cal: Any, uid: str, *events: str) -> None:
        url = cal.url.join(f"{uid}.ics")
        self.client.put(str(url), calendar(*events), {"Content-Type": "text/calendar"})

    def delete(self, cal: Any, uid: str) -> None:
        self.client.delete(str(cal.url.join(f"{uid}.ics")))


@pytest.fixture
def calendars(radicale: Radicale) -> Calendars:
    return Calendars(radicale)


def source_for(network, owner, server_url: str, *cals: Any, password: str = "secret") -> Source:
    return Source(
        network=network,
        user=owner,
        kind="caldav",
        settings={
            "url": server_url,
            "username": "alice",
            "calendars": [str(c.url) for c in cals],
        },
        secret=password,
    )


def synced(network) -> list[Interaction]:
    return list(
        Interaction.objects.filter(network=network, source="calendar").order_by("occurred_at")
    )


def test_first_sync_logs_meetings_with_known_people(network, owner, ada, calendars, radicale):
    work = calendars.make()
    calendars.put(work, "coffee", vevent("coffee", YESTERDAY, summary="Coffee with Ada"))
    calendars.put(
        work, "stranger", vevent("stranger", YESTERDAY, attendees=("nobody@example.net",))
    )
    source = source_for(network, owner, radicale.url, work)

    outcome = sync_caldav(source)

    assert (outcome.logged, outcome.updated, outcome.removed) == (1, 0, 0)
    assert outcome.skipped == 1  # the stranger's meeting: nobody known
    [meeting] = synced(network)
    assert meeting.kind == "meeting"
    assert meeting.summary == "Coffee with Ada"
    assert meeting.external_id == "coffee"
    assert meeting.occurred_at == YESTERDAY
    assert meeting.direction == "outbound"  # I organised it
    assert list(meeting.participants.all()) == [ada]
    assert "quarterly" not in f"{meeting.summary}{meeting.learned}{meeting.next_questions}"
    ada.refresh_from_db()
    assert ada.last_interaction_at == YESTERDAY
    [state] = source.saved
    kept = next(iter(state["calendars"].values()))
    assert kept["token"] and len(kept["etags"]) == 2


def test_a_second_sync_touches_only_the_changed_event(
    network,
    owner,
    ada,
    bob,
    calendars,
    radicale,
):
    work = calendars.make()
    calendars.put(work, "one", vevent("one", YESTERDAY, summary="One"))
    calendars.put(work, "two", vevent("two", YESTERDAY, attendees=("bob@example.com",)))
    source = source_for(network, owner, radicale.url, work)
    sync_caldav(source)
    assert sync_caldav(source).logged == 0  # nothing changed: nothing fetched, nothing written

    fetched: list[list[str]] = []
    original = caldav_sync._fetch
    caldav_sync._fetch = lambda cal, hrefs: fetched.append(hrefs) or original(cal, hrefs)  # type: ignore[assignment]
    try:
        calendars.put(
            work,
            "two",
            vevent("two", YESTERDAY, summary="Two renamed", attendees=("bob@example.com",)),
        )
        before = Change.objects.count()
        outcome = sync_caldav(source)
    finally:
        caldav_sync._fetch = original  # type: ignore[assignment]

    assert (outcome.logged, outcome.updated, outcome.removed) == (0, 1, 0)
    assert [[href.rsplit("/", 1)[1] for href in hrefs] for hrefs in fetched] == [["two.ics"]]
    [change] = Change.objects.all()[before:]
    assert change.kind == "interaction.updated"
    assert change.data["fields"] == ["summary"]
    assert sorted(i.summary for i in synced(network)) == ["One", "Two renamed"]


def test_an_event_moved_then_deleted_moves_then_removes_its_meeting(
    network,
    owner,
    ada,
    calendars,
    radicale,
):
    work = calendars.make()
    calendars.put(work, "lunch", vevent("lunch", YESTERDAY - dt.timedelta(days=3)))
    source = source_for(network, owner, radicale.url, work)
    sync_caldav(source)
    [first] = synced(network)

    calendars.put(work, "lunch", vevent("lunch", YESTERDAY, extra="SEQUENCE:1"))
    assert sync_caldav(source).updated == 1
    [moved] = synced(network)
    assert moved.pk == first.pk
    assert moved.occurred_at == YESTERDAY
    ada.refresh_from_db()
    assert ada.last_interaction_at == YESTERDAY

    calendars.delete(work, "lunch")
    outcome = sync_caldav(source)
    assert outcome.removed == 1
    assert synced(network) == []
    assert not SyncedEvent.objects.exists()
    ada.refresh_from_db()
    assert ada.last_interaction_at is None


def test_a_recurring_event_is_expanded_in_the_window_and_logged_as_it_happens(
    network,
    owner,
    ada,
    calendars,
    radicale,
    frozen_time,
):
    work = calendars.make()
    start = NOW - dt.timedelta(days=20, hours=1)  # weekly: 20, 13 and 6 days ago, then ahead
    calendars.put(work, "weekly", vevent("weekly", start, extra="RRULE:FREQ=WEEKLY;COUNT=10"))
    old = NOW - dt.timedelta(days=200)  # before the 90 days looked back: left alone
    calendars.put(work, "old", vevent("old", old))
    source = source_for(network, owner, radicale.url, work)

    assert sync_caldav(source).logged == 3
    ids = [i.external_id for i in synced(network)]
    assert ids == [f"weekly/{(start + dt.timedelta(weeks=n)).isoformat()}" for n in range(3)]

    frozen_time.shift(dt.timedelta(days=2))  # the next one (in 1 day) has happened
    outcome = sync_caldav(source)
    assert outcome.logged == 1  # unchanged on the server: read again because it was due
    assert len(synced(network)) == 4


def test_declined_and_cancelled_events_are_skipped_and_a_cancellation_removes(
    network,
    owner,
    ada,
    calendars,
    radicale,
):
    work = calendars.make()
    declined = "ATTENDEE;PARTSTAT=DECLINED:mailto:owner@example.org"
    calendars.put(work, "no", vevent("no", YESTERDAY, organizer="ada@example.com", extra=declined))
    calendars.put(work, "off", vevent("off", YESTERDAY, extra="STATUS:CANCELLED"))
    calendars.put(work, "on", vevent("on", YESTERDAY))
    source = source_for(network, owner, radicale.url, work)

    outcome = sync_caldav(source)
    assert (outcome.logged, outcome.skipped) == (1, 2)

    calendars.put(work, "on", vevent("on", YESTERDAY, extra="STATUS:CANCELLED\r\nSEQUENCE:2"))
    outcome = sync_caldav(source)
    assert outcome.removed == 1
    assert synced(network) == []


def test_a_malformed_event_is_reported_and_the_rest_syncs(
    network,
    owner,
    ada,
    calendars,
    radicale,
):
    work = calendars.make("Team")
    calendars.put(work, "good", vevent("good", YESTERDAY))
    bad = vevent("bad", YESTERDAY).replace("DTSTART:", "DTSTART;TZID=Mars/Olympus_Mons:")
    calendars.put(work, "bad", bad.replace("Z\r\nDTEND", "\r\nDTEND"))
    source = source_for(network, owner, radicale.url, work)

    outcome = sync_caldav(source)

    assert outcome.logged == 1
    [problem] = outcome.problems
    assert problem.startswith("Team: event bad: DTSTART:")
    assert "Mars/Olympus_Mons" in problem
    assert sync_caldav(source).problems == [problem]  # reported until it is fixed


def test_the_server_address_is_enough_to_find_the_calendars(
    network,
    owner,
    ada,
    calendars,
    radicale,
):
    work = calendars.make("Chosen")
    calendars.put(work, "x", vevent("x", YESTERDAY))
    other = calendars.make("Private")
    calendars.put(other, "y", vevent("y", YESTERDAY, summary="Private"))
    source = source_for(network, owner, radicale.url)
    source.settings["calendars"] = ["Chosen"]  # by name; the others are never read

    assert sync_caldav(source).logged == 1
    assert [i.summary for i in synced(network)] == ["Coffee"]
    assert len(source.state["calendars"]) == 1


def test_a_wrong_password_fails_without_retrying(network, owner, calendars, radicale):
    source = source_for(network, owner, radicale.url, calendars.make(), password="wrong")
    with pytest.raises(SyncFailure) as failure:
        sync_caldav(source)
    assert str(failure.value) == "127.0.0.1 refused the user name or password"
    assert failure.value.retry is False
    assert source.saved == []


def test_a_server_that_drops_the_connection_mid_sync_writes_nothing_and_resumes(
    network,
    owner,
    ada,
    calendars,
    radicale,
):
    first, second = calendars.make("First"), calendars.make("Second")
    calendars.put(first, "a", vevent("a", YESTERDAY))
    calendars.put(second, "b", vevent("b", YESTERDAY - dt.timedelta(hours=3)))
    relay = Relay(radicale.port)
    source = source_for(network, owner, relay.url, first, second)
    fetches = 0
    original = caldav_sync._fetch

    def dropping(cal: Any, hrefs: list[str]) -> Any:
        nonlocal fetches
        fetches += 1
        if fetches == 2:  # the second calendar's events
            relay.dropping = True
        return original(cal, hrefs)

    caldav_sync._fetch = dropping  # type: ignore[assignment]
    try:
        with pytest.raises(SyncFailure) as failure:
            sync_caldav(source)
    finally:
        caldav_sync._fetch = original  # type: ignore[assignment]
        relay.close()
    assert failure.value.retry is True
    assert "dropped the connection" in str(failure.value)
    assert [i.external_id for i in synced(network)] == ["a"]  # the first calendar committed
    assert len(source.saved) == 1

    source.settings["url"] = radicale.url
    outcome = sync_caldav(source)
    assert outcome.logged == 1  # only the second calendar's: the first resumed from its token
    assert sorted(i.external_id for i in synced(network)) == ["a", "b"]


def test_a_server_without_sync_tokens_is_compared_by_etag(
    network,
    owner,
    ada,
    calendars,
    radicale,
    monkeypatch,
):
    from caldav.lib import error

    original = caldav.Calendar.get_objects_by_sync_token

    def no_tokens(
        self: Any,
        sync_token: Any = None,
        load_objects: bool = False,
        disable_fallback: bool = False,
    ) -> Any:
        if disable_fallback:
            raise error.ReportError(str(self.url), "sync-collection not supported", status=501)
        return original(self, sync_token, load_objects, False)

    monkeypatch.setattr(caldav.Calendar, "get_objects_by_sync_token", no_tokens)
    work = calendars.make()
    calendars.put(work, "one", vevent("one", YESTERDAY))
    calendars.put(work, "two", vevent("two", YESTERDAY - dt.timedelta(hours=2)))
    source = source_for(network, owner, radicale.url, work)
    assert sync_caldav(source).logged == 2
    assert next(iter(source.state["calendars"].values()))["token"] is None

    calendars.put(work, "one", vevent("one", YESTERDAY, summary="Moved on"))
    calendars.delete(work, "two")
    outcome = sync_caldav(source)
    assert (outcome.logged, outcome.updated, outcome.removed) == (0, 1, 1)


def test_an_untrusted_certificate_is_a_clear_tls_failure(network, owner, tmp_path):
    from tests.webhooks.test_tls import certificate

    server = start_radicale(tmp_path / "tls", certificate=certificate(tmp_path, "127.0.0.1"))
    try:
        source = Source(
            network=network,
            user=owner,
            kind="caldav",
            settings={"url": server.url, "username": "alice"},
            secret="secret",
        )
        with pytest.raises(SyncFailure) as failure:
            sync_caldav(source)
    finally:
        server.stop()
    assert (
        str(failure.value)
        == "TLS: the certificate of 127.0.0.1 is not trusted (self-signed certificate)"
    )
    # One rule with mail: tried again later (a server's certificate gets renewed), not
    # waiting for a new password that would change nothing.
    assert failure.value.retry is True


def test_an_unreachable_server_is_tried_again_later(network, owner):
    from tests.sync.calendar_servers import free_port

    source = Source(
        network=network,
        user=owner,
        kind="caldav",
        settings={"url": f"http://127.0.0.1:{free_port()}/", "username": "alice"},
        secret="secret",
    )
    with pytest.raises(SyncFailure) as failure:
        sync_caldav(source)
    assert str(failure.value) == "could not reach 127.0.0.1, or it dropped the connection"
    assert failure.value.retry is True

    source.settings["url"] = "dav.example.com"
    with pytest.raises(SyncFailure) as failure:
        sync_caldav(source)
    assert "must start with https://" in str(failure.value)
    assert failure.value.retry is False


def test_resource_names_with_at_signs_and_spaces_are_found_again(
    network, owner, ada, calendars, radicale
):
    work = calendars.make()
    uid = "4f1c 9a@example.com"
    url = str(work.url.join("4f1c%209a%40example.com.ics"))
    body = calendar(vevent(uid, YESTERDAY - dt.timedelta(days=2)))
    calendars.client.put(url, body, {"Content-Type": "text/calendar"})
    source = source_for(network, owner, radicale.url, work)
    assert sync_caldav(source).logged == 1

    moved = calendar(vevent(uid, YESTERDAY, extra="SEQUENCE:1"))
    calendars.client.put(url, moved, {"Content-Type": "text/calendar"})
    outcome = sync_caldav(source)
    assert (outcome.logged, outcome.updated, outcome.removed) == (0, 1, 0)

    calendars.client.delete(url)
    assert sync_caldav(source).removed == 1


def test_an_account_added_as_a_user_does_syncs_and_never_logs_its_password(
    kith, network, owner, ada, calendars, radicale, caplog
):
    import base64
    import logging

    from kithkin.models import SyncAccount
    from kithkin.services.sync_accounts import add_caldav_account
    from kithkin.sync.run import run_account

    caplog.set_level(logging.DEBUG)  # everything caldav, niquests and kithkin log
    work = calendars.make()
    calendars.put(work, "coffee", vevent("coffee", YESTERDAY))
    account = add_caldav_account(
        network, owner, url=radicale.url, username="alice", password="secret",
        calendars=[str(work.url)],
    )  # fmt: skip
    wrong = add_caldav_account(
        network, owner, url=radicale.url, username="alice", password="wrong-pass-5",
        name="Wrong",
    )  # fmt: skip

    assert run_account(account).logged == 1
    with pytest.raises(SyncFailure, match="refused the user name or password"):
        run_account(wrong)

    assert "PROPFIND" in caplog.text or "REPORT" in caplog.text  # requests were logged
    shown = kith("account", "list").stdout + kith("account", "list", "--json").stdout
    for password in ("secret", "wrong-pass-5"):
        basic = base64.b64encode(f"alice:{password}".encode()).decode()
        for where in (caplog.text, shown):
            assert f":{password}" not in where and basic not in where
            assert "wrong-pass-5" not in where
        assert not SyncAccount.objects.filter(last_error__contains=password).exists()


def test_event_titles_can_be_left_out(network, owner, ada, calendars, radicale):
    work = calendars.make()
    calendars.put(work, "review", vevent("review", YESTERDAY, summary="Salary review"))
    source = source_for(network, owner, radicale.url, work)
    source.settings["subjects"] = False

    assert sync_caldav(source).logged == 1

    [meeting] = synced(network)
    assert (meeting.summary, list(meeting.participants.all())) == ("", [ada])
