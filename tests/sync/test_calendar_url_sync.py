"""Calendar URLs (a secret iCal address) fetched from a local HTTP server the tests start,
which serves an .ics with an ETag and a Last-Modified, answers conditional requests with
304 and counts them.

Most tests pass ``calendar_servers.Source`` (a small dataclass implementing ``SyncSource``,
the address as its secret, as an account keeps it); the last goes through the account a user
adds with `kith account add ics`. ``KITH_WEBHOOKS_ALLOW_PRIVATE`` lets
``kithkin.outbound`` reach 127.0.0.1, as in the webhook tests."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from kithkin.models import Interaction
from kithkin.sync.calendars import sync_calendar_url
from kithkin.sync.outcome import SyncFailure
from tests import factories
from tests.conftest import FROZEN_NOW
from tests.sync.calendar_servers import Source, calendar, vevent

pytestmark = [pytest.mark.slow, pytest.mark.once]

NOW = FROZEN_NOW.astimezone(dt.UTC)
YESTERDAY = NOW - dt.timedelta(days=1, hours=1)
LAST_MODIFIED = "Thu, 19 Feb 2026 10:00:00 GMT"


@dataclass
class Feed:
    """What the server serves and what it saw."""

    body: bytes = b""
    status: int = 200
    drop: bool = False
    requests: int = 0
    conditional: int = 0
    not_modified: int = 0
    headers: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@pytest.fixture
def feed(settings) -> Iterator[Feed]:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    served = Feed()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests += 1
            served.headers.append(dict(self.headers))
            if served.drop:
                self.connection.close()
                return
            if "If-None-Match" in self.headers or "If-Modified-Since" in self.headers:
                served.conditional += 1
                if self.headers.get("If-None-Match") == served.etag:
                    served.not_modified += 1
                    self.send_response(304)
                    self.end_headers()
                    return
            self.send_response(served.status)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("ETag", served.etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}/private-8f3a/basic.ics"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()


@pytest.fixture
def ada(network):
    return factories.make_person(network, "Ada Lovelace", emails=["ada@example.com"])


def source_for(network, owner, feed: Feed) -> Source:
    return Source(network=network, user=owner, kind="ics", settings={}, secret=feed.url)


def synced(network) -> list[Interaction]:
    found = Interaction.objects.filter(network=network, source="calendar")
    return list(found.order_by("occurred_at"))


def test_a_calendar_url_is_fetched_once_then_asked_whether_it_changed(network, owner, ada, feed):
    feed.body = calendar(vevent("lunch", YESTERDAY, summary="Lunch")).encode()
    source = source_for(network, owner, feed)

    outcome = sync_calendar_url(source)
    assert outcome.logged == 1
    assert [i.summary for i in synced(network)] == ["Lunch"]
    assert feed.conditional == 0
    assert feed.url not in str(source.state)  # the secret address is never kept

    again = sync_calendar_url(source)
    assert (again.logged, again.updated, again.removed, again.skipped) == (0, 0, 0, 0)
    assert (feed.requests, feed.conditional, feed.not_modified) == (2, 1, 1)
    assert feed.headers[1]["If-None-Match"] == feed.etag
    assert feed.headers[1]["If-Modified-Since"] == LAST_MODIFIED
    assert len(source.saved) == 1  # a 304 changes nothing, not even the state


def test_events_moved_or_gone_from_the_file_are_reconciled(network, owner, ada, feed):
    feed.body = calendar(
        vevent("lunch", YESTERDAY - dt.timedelta(days=2)),
        vevent("dinner", YESTERDAY, summary="Dinner"),
    ).encode()
    source = source_for(network, owner, feed)
    assert sync_calendar_url(source).logged == 2
    lunch = Interaction.objects.get(external_id="lunch")

    feed.body = calendar(vevent("lunch", YESTERDAY - dt.timedelta(days=1))).encode()
    outcome = sync_calendar_url(source)

    assert (outcome.logged, outcome.updated, outcome.removed) == (0, 1, 1)
    [moved] = synced(network)
    assert moved.pk == lunch.pk
    assert moved.occurred_at == YESTERDAY - dt.timedelta(days=1)


def test_a_meeting_imported_from_the_same_file_is_not_logged_twice(network, owner, ada, feed):
    from kithkin.importers.apply import apply_plan
    from kithkin.importers.formats import context_for
    from kithkin.importers.icalendar_events import parse_calendar
    from kithkin.importers.plan import plan_import

    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    context = context_for(network, owner, until=NOW)
    parsed = parse_calendar(feed.body, "basic.ics", my_addresses=context.my_addresses, until=NOW)
    apply_plan(network, owner, plan_import(network, parsed))
    [imported] = synced(network)

    source = source_for(network, owner, feed)
    outcome = sync_calendar_url(source)

    assert outcome.logged == 0  # the importer's meeting, found by the same UID
    assert synced(network) == [imported]

    feed.body = calendar().encode()  # the event is deleted: the one meeting it is goes
    assert sync_calendar_url(source).removed == 1
    assert synced(network) == []


def test_a_weekly_meeting_is_logged_each_week_though_the_file_never_changes(
    network, owner, ada, feed, frozen_time
):
    start = NOW - dt.timedelta(days=6, hours=1)
    feed.body = calendar(vevent("weekly", start, extra="RRULE:FREQ=WEEKLY")).encode()
    source = source_for(network, owner, feed)
    assert sync_calendar_url(source).logged == 1

    frozen_time.shift(dt.timedelta(hours=12))  # not yet
    assert sync_calendar_url(source).logged == 0
    assert feed.not_modified == 1

    frozen_time.shift(dt.timedelta(days=1))  # the next one has happened: fetched whole
    assert sync_calendar_url(source).logged == 1
    assert feed.not_modified == 1


def test_a_malformed_event_names_the_calendar_and_its_uid(network, owner, ada, feed):
    bad = vevent("bad-1", YESTERDAY).replace("DTSTART:", "DTSTART;TZID=Mars/Olympus_Mons:")
    feed.body = calendar(vevent("good", YESTERDAY), bad.replace("Z\r\nDTEND", "\r\nDTEND")).encode()

    outcome = sync_calendar_url(source_for(network, owner, feed))

    assert outcome.logged == 1
    [problem] = outcome.problems
    assert problem.startswith("127.0.0.1: event bad-1: DTSTART: unknown time zone")


@pytest.mark.parametrize(
    ("status", "message", "retry"),
    [
        (404, "127.0.0.1 has no calendar at this address any more (404)", False),
        (401, "127.0.0.1 refused the calendar address (401)", False),
        (503, "127.0.0.1 answered 503: try again later", True),
    ],
)
def test_an_error_answer_is_one_clear_line(network, owner, ada, feed, status, message, retry):
    feed.status = status
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source_for(network, owner, feed))
    assert str(failure.value).startswith(message)
    assert failure.value.retry is retry


def test_a_dropped_connection_writes_nothing_and_is_tried_again(network, owner, ada, feed):
    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    feed.drop = True
    source = source_for(network, owner, feed)
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source)
    assert str(failure.value) == "could not reach 127.0.0.1, or it dropped the connection"
    assert failure.value.retry is True
    assert synced(network) == []
    assert source.saved == []

    feed.drop = False
    assert sync_calendar_url(source).logged == 1


def test_a_private_address_is_refused_unless_allowed(network, owner, feed, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source_for(network, owner, feed))
    assert "not a public address" in str(failure.value)
    assert failure.value.retry is False
    assert feed.requests == 0


def test_a_calendar_larger_than_the_cap_is_refused(network, owner, feed, monkeypatch):
    from kithkin.sync import calendar_url

    monkeypatch.setattr(calendar_url, "MAX_BYTES", 100)
    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source_for(network, owner, feed))
    assert str(failure.value).startswith("the calendar is too large")


def test_a_viewer_s_account_syncs_nothing(network, feed):
    viewer = factories.make_member(network, "vera", role="viewer")
    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source_for(network, viewer, feed))
    assert str(failure.value).endswith("but not change it. Nothing was synced.")
    assert failure.value.retry is False
    assert feed.requests == 0


@pytest.mark.parametrize(
    ("settings_given", "message"),
    [
        ({"days_back": "a year"}, "days_back must be a number of days, not 'a year'"),
        ({"days_ahead": 0}, "days_ahead must be between 1 and 3660 days, not 0"),
        ({"secret": ""}, "no calendar address set for this account"),
    ],
)
def test_unusable_settings_are_one_line(network, owner, feed, settings_given, message):
    source = source_for(network, owner, feed)
    source.secret = settings_given.pop("secret", source.secret)
    source.settings.update(settings_given)
    with pytest.raises(SyncFailure) as failure:
        sync_calendar_url(source)
    assert str(failure.value) == message
    assert failure.value.retry is False
    assert feed.requests == 0


def test_a_file_that_is_no_calendar_any_more_removes_nothing(network, owner, ada, feed):
    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    source = source_for(network, owner, feed)
    sync_calendar_url(source)

    feed.body = b"<html>Sign in to see this calendar</html>"
    outcome = sync_calendar_url(source)

    assert outcome.problems == ["127.0.0.1: not an iCalendar file (no BEGIN:VCALENDAR)"]
    assert outcome.removed == 0
    assert len(synced(network)) == 1


# --- through the account a user adds --------------------------------------------------


def test_a_calendar_url_added_with_kith_account_add_ics_syncs(kith, network, owner, ada, feed):
    """The address is the account's secret (stored encrypted, never in its settings): the
    sync reads it from there, as `kith account add ics` and Settings store it."""
    from typer.testing import CliRunner

    from kithkin.cli.app import app
    from kithkin.models import SyncAccount

    feed.body = calendar(vevent("lunch", YESTERDAY, summary="Lunch with Ada")).encode()
    added = CliRunner().invoke(
        app, ["account", "add", "ics", "--url-stdin", "--name", "Google"], input=feed.url + "\n"
    )
    assert added.exit_code == 0, added.output
    assert feed.url not in json.dumps(SyncAccount.objects.get().settings)

    synced_now = kith("account", "sync", "Google")

    assert synced_now.exit_code == 0, synced_now.output
    assert "Google: 1 logged, 0 updated, 0 removed, 0 skipped, 0 suggested." in synced_now.stdout
    assert [i.summary for i in synced(network)] == ["Lunch with Ada"]
    again = kith("account", "sync", "Google")
    assert "Google: 0 logged" in again.stdout
    assert feed.not_modified == 1  # the second run asked whether it changed: 304
    listed = kith("account", "list", "--json").stdout
    assert "private-8f3a" not in listed and json.loads(listed)[0]["where"] == "127.0.0.1"


def test_the_secret_address_is_never_logged_nor_shown(kith, network, owner, ada, feed, caplog):
    from kithkin.services.sync_accounts import add_calendar_url
    from kithkin.sync.run import run_account

    caplog.set_level(logging.DEBUG)
    feed.body = calendar(vevent("lunch", YESTERDAY)).encode()
    account = add_calendar_url(network, owner, url=feed.url, name="Google")
    assert run_account(account).logged == 1
    feed.status = 404
    feed.body = b"gone"
    with pytest.raises(SyncFailure, match="has no calendar at this address any more"):
        run_account(account)

    shown = kith("account", "list").stdout + kith("account", "list", "--json").stdout
    account.refresh_from_db()
    for where in (caplog.text, shown, account.last_error, json.dumps(account.state)):
        assert "private-8f3a" not in where


def test_an_untrusted_certificate_is_a_clear_tls_failure(network, owner, tmp_path, settings):
    import ssl

    from tests.webhooks.test_tls import certificate

    settings.WEBHOOKS_ALLOW_PRIVATE = True
    cert_file, key_file = certificate(tmp_path, "127.0.0.1")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return None

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/private-8f3a/basic.ics"
    try:
        with pytest.raises(SyncFailure) as failure:
            sync_calendar_url(
                Source(network=network, user=owner, kind="ics", settings={}, secret=url)
            )
    finally:
        server.shutdown()
        server.server_close()

    assert str(failure.value) == (
        "TLS: the certificate of 127.0.0.1 is not trusted (self-signed certificate)"
    )
    assert failure.value.retry is True  # as for mail and CalDAV: it may be renewed
