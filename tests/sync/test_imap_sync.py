"""IMAP sync against a real Dovecot the tests start (tests/sync/dovecot.py): first and
incremental syncs, a renumbered folder, a connection dropped midway, a refused password,
an untrusted certificate, bulk mail, and unknown correspondents suggested, never created."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import transaction

from kithkin.models import Interaction, Person, Strength, SyncAccount
from kithkin.services import strength
from kithkin.services.sync_accounts import add_imap_account
from kithkin.sync import mail
from kithkin.sync.outcome import SyncFailure
from kithkin.sync.run import run_account
from kithkin.transfer import import_file
from tests import factories
from tests.sync import dovecot
from tests.sync.dovecot import CuttingProxy, Message, deliver

pytestmark = [pytest.mark.slow, pytest.mark.once]

UTC = dt.UTC
ME = "me@example.org"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dovecot.Dovecot]:
    with dovecot.running(tmp_path / "dovecot") as running:
        yield running


def _account(network, owner, port: int, **fields) -> SyncAccount:
    return add_imap_account(
        network,
        owner,
        host="127.0.0.1",
        port=port,
        tls=fields.pop("tls", "none"),
        username=ME,
        password=fields.pop("password", dovecot.PASSWORD),
        **fields,
    )


def _at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 2, day, hour, tzinfo=UTC)


def _emails(network) -> list[tuple[str, str, str]]:
    return sorted(
        (
            i.occurred_at.date().isoformat(),
            i.direction,
            ", ".join(sorted(p.full_name for p in i.participants.all())),
        )
        for i in Interaction.objects.filter(network=network, kind="email")
    )


@pytest.fixture
def ada(network):
    return factories.make_person(network, "Ada Lovelace", emails=["ada@example.net"])


@pytest.fixture
def bob(network):
    return factories.make_person(network, "Bob Babbage", emails=["bob@example.net"])


def test_first_sync_logs_inbox_and_sent_mail(server, network, owner, ada, bob):
    deliver(server.maildir(), [
        Message("Ada Lovelace <ada@example.net>", ME, _at(2), "Lunch?"),
        Message("Bob <bob@example.net>", ME, _at(3), "Slides"),
    ])  # fmt: skip
    deliver(server.maildir(folder="Sent"), [
        Message(ME, "Bob Babbage <bob@example.net>", _at(4), "Re: Slides"),
    ])  # fmt: skip
    account = _account(network, owner, server.port)

    outcome = run_account(account)

    assert (outcome.logged, outcome.skipped) == (3, 0)
    assert _emails(network) == [
        ("2026-02-02", "inbound", "Ada Lovelace"),
        ("2026-02-03", "inbound", "Bob Babbage"),
        ("2026-02-04", "outbound", "Bob Babbage"),
    ]
    account.refresh_from_db()
    assert account.last_counts["logged"] == 3
    assert account.last_error == ""
    assert set(account.state["folders"]) == {"INBOX", "Sent"}


def test_a_second_sync_reads_only_new_mail(server, network, owner, ada, bob):
    inbox = server.maildir()
    deliver(inbox, [Message("ada@example.net", ME, _at(2), "One")])
    account = _account(network, owner, server.port)
    assert run_account(account).logged == 1

    assert run_account(account).logged == 0  # nothing new: CONDSTORE says so after SELECT
    deliver(inbox, [Message("bob@example.net", ME, _at(5), "Two")])
    outcome = run_account(account)

    assert (outcome.logged, outcome.skipped) == (1, 0)
    assert _emails(network) == [
        ("2026-02-02", "inbound", "Ada Lovelace"),
        ("2026-02-05", "inbound", "Bob Babbage"),
    ]


def test_the_first_sync_reaches_back_the_months_chosen(server, network, owner, ada):
    deliver(server.maildir(), [
        Message("ada@example.net", ME, dt.datetime(2025, 6, 1, tzinfo=UTC), "Old"),
        Message("ada@example.net", ME, _at(2), "New"),
    ])  # fmt: skip
    account = _account(network, owner, server.port, months=3)

    assert run_account(account).logged == 1
    assert _emails(network) == [("2026-02-02", "inbound", "Ada Lovelace")]


def test_one_interaction_per_thread_and_day_without_subjects(server, network, owner, ada):
    deliver(server.maildir(), [
        Message("ada@example.net", ME, _at(2, 9), "Plans", message_id="<t1@x>"),
        Message("ada@example.net", ME, _at(2, 15), "Re: Plans", message_id="<t2@x>",
                extra=["In-Reply-To: <t1@x>", "References: <t1@x>"]),
        Message("ada@example.net", ME, _at(3, 9), "Re: Plans", message_id="<t3@x>",
                extra=["References: <t1@x> <t2@x>"]),
    ])  # fmt: skip
    account = _account(network, owner, server.port, subjects=False)

    outcome = run_account(account)

    assert (outcome.logged, outcome.skipped) == (2, 1)
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["", ""]


def test_a_reply_read_later_joins_its_thread_and_day(server, network, owner, ada, bob):
    """Ada writes in the morning (synced); I answer in the afternoon with Bob in Cc (in
    Sent, read by a later run): still one interaction for the thread and day, now with Bob
    too and both of us reaching out -- else Bob's "last talked" would miss the mail."""
    deliver(server.maildir(), [
        Message("Ada Lovelace <ada@example.net>", ME, _at(2, 9), "Plans", message_id="<p1@x>"),
    ])  # fmt: skip
    account = _account(network, owner, server.port)
    assert run_account(account).logged == 1
    deliver(server.maildir(folder="Sent"), [
        Message(ME, "ada@example.net", _at(2, 15), "Re: Plans", message_id="<p2@x>",
                cc="Bob <bob@example.net>", extra=["In-Reply-To: <p1@x>", "References: <p1@x>"]),
    ])  # fmt: skip
    account.refresh_from_db()

    outcome = run_account(account)

    assert (outcome.logged, outcome.updated, outcome.skipped) == (0, 1, 0)
    assert _emails(network) == [("2026-02-02", "mutual", "Ada Lovelace, Bob Babbage")]
    [interaction] = Interaction.objects.filter(network=network)
    assert interaction.occurred_at == _at(2, 9)  # the thread's first message of the day
    account.refresh_from_db()
    account.state["folders"] = {}  # read everything again: nothing changes any more
    account.save_state()
    again = run_account(account)
    assert (again.logged, again.updated, again.skipped) == (0, 0, 2)
    assert _emails(network) == [("2026-02-02", "mutual", "Ada Lovelace, Bob Babbage")]


def test_bulk_and_automated_mail_is_skipped(server, network, owner, ada):
    deliver(server.maildir(), [
        Message("ada@example.net", ME, _at(2), "News", extra=["List-Id: <news.example.net>"]),
        Message("GitHub <noreply@github.com>", ME, _at(2), "Build failed"),
        Message("ada@example.net", ME, _at(2), "Away", extra=["Auto-Submitted: auto-replied"]),
        Message("ada@example.net", ME, _at(3), "A real note"),
    ])  # fmt: skip
    account = _account(network, owner, server.port)

    outcome = run_account(account)

    assert (outcome.logged, outcome.skipped) == (1, 3)
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["A real note"]


def test_a_frequent_unknown_correspondent_is_suggested_not_created(server, network, owner):
    from kithkin.queries.sync_accounts import suggested_correspondents

    deliver(server.maildir(), [
        Message("Carol Curie <carol@example.net>", ME, _at(day), f"Note {day}")
        for day in (2, 3, 4)
    ] + [Message("dave@example.net", ME, _at(2), "Once")])  # fmt: skip
    account = _account(network, owner, server.port)
    people_before = Person.objects.filter(network=network).count()

    outcome = run_account(account)

    assert (outcome.logged, outcome.suggested) == (0, 1)
    assert Person.objects.filter(network=network).count() == people_before
    found = suggested_correspondents(owner, network)
    assert [(s.email, s.name, s.messages) for s in found] == [
        ("carol@example.net", "Carol Curie", 3)
    ]


def test_a_renumbered_folder_is_read_again_without_duplicates(server, network, owner, ada, bob):
    inbox = server.maildir()
    deliver(inbox, [
        Message("ada@example.net", ME, _at(2), "One"),
        Message("bob@example.net", ME, _at(3), "Two"),
    ])  # fmt: skip
    account = _account(network, owner, server.port)
    assert run_account(account).logged == 2
    first_validity = account.state["folders"]["INBOX"]["uidvalidity"]

    server.stop()  # the server forgets its UIDs: a new UIDVALIDITY for the folder
    for index in [*inbox.glob("dovecot*"), *(server.root / "home").rglob("dovecot*")]:
        if index.is_file():
            index.unlink()
    deliver(inbox, [Message("ada@example.net", ME, _at(4), "Three")])
    server.start()
    account.refresh_from_db()
    outcome = run_account(account)

    assert account.state["folders"]["INBOX"]["uidvalidity"] != first_validity
    assert (outcome.logged, outcome.skipped) == (1, 2)
    assert len(_emails(network)) == 3


def test_mail_read_again_is_not_counted_again_towards_a_suggestion(server, network, owner):
    from kithkin.queries.sync_accounts import suggested_correspondents

    inbox = server.maildir()
    deliver(inbox, [Message("carol@example.net", ME, _at(day), f"Note {day}") for day in (2, 3)])
    account = _account(network, owner, server.port)
    run_account(account)
    server.stop()  # a new UIDVALIDITY: both messages are read again
    for index in [*inbox.glob("dovecot*"), *(server.root / "home").rglob("dovecot*")]:
        if index.is_file():
            index.unlink()
    server.start()
    account.refresh_from_db()

    assert run_account(account).suggested == 0
    assert suggested_correspondents(owner, network) == []  # two messages, not four
    account.refresh_from_db()
    assert account.state["unknown"]["carol@example.net"][1] == 2


def test_a_connection_dropped_midway_keeps_whole_batches_and_resumes(
    server, network, owner, monkeypatch
):
    people = [
        factories.make_person(network, f"Person {n}", emails=[f"p{n}@example.net"])
        for n in range(12)
    ]
    deliver(server.maildir(), [
        Message(f"p{n}@example.net", ME, _at(2, 8) + dt.timedelta(minutes=n), f"Note {n}")
        for n in range(12)
    ])  # fmt: skip
    monkeypatch.setattr(mail, "BATCH", 3)
    measuring = CuttingProxy(server.port, cut_after=None)
    account = _account(network, owner, measuring.port, name="measure")
    # How many bytes a whole run takes, measured on a run whose writes are thrown away.
    with pytest.raises(_Undo):
        _run_and_undo(account)
    measuring.close()
    account.refresh_from_db()
    assert account.state == {}
    proxy = CuttingProxy(server.port, cut_after=measuring.passed * 2 // 3)
    account.settings["port"] = proxy.port
    account.save()

    with pytest.raises(SyncFailure) as failure:
        run_account(account)

    assert proxy.cut
    assert "connection to 127.0.0.1 was lost while reading INBOX" in str(failure.value)
    account.refresh_from_db()
    saved = account.state["folders"]["INBOX"]["last_uid"]
    assert 0 < saved < 12 and saved % 3 == 0  # whole batches only
    assert Interaction.objects.filter(network=network).count() == saved
    assert account.failures == 1 and account.next_sync_at is not None
    assert account.last_error == str(failure.value)
    # What was saved is settled although the run failed: strength computed once, at its end
    assert _strengths(network) == _strengths_from_scratch(network)
    assert Strength.objects.filter(person__network=network, score__gt=0).count() == saved

    account.settings["port"] = server.port
    account.save()
    outcome = run_account(account)

    assert outcome.logged == 12 - saved
    assert Interaction.objects.filter(network=network).count() == 12
    assert {p.pk for p in people} == set(
        Interaction.objects.filter(network=network).values_list("participants", flat=True)
    )
    account.refresh_from_db()
    assert (account.failures, account.last_error) == (0, "")


def _strengths(network) -> list[tuple[object, ...]]:
    return sorted(
        Strength.objects.filter(person__network=network).values_list(
            "person_id", "score", "factors"
        )
    )


def _strengths_from_scratch(network) -> list[tuple[object, ...]]:
    strength.refresh(network)
    return _strengths(network)


class _Undo(Exception):
    pass


def _run_and_undo(account: SyncAccount) -> None:
    with transaction.atomic():
        run_account(account)
        raise _Undo


def test_someone_added_while_a_batch_is_planned_is_in_its_interaction(
    server, network, owner, monkeypatch
):
    """A batch is planned before its transaction; a change meanwhile that could change
    the plan has it planned again inside, so nothing is lost or stale."""
    deliver(server.maildir(), [Message("Nia <nia@example.net>", ME, _at(2), "Hello")])
    planned = mail.plan_import

    def plan_then_add_nia(*args, **kwargs):
        plan = planned(*args, **kwargs)  # Nia is no one yet: her mail would be skipped
        factories.make_person(network, "Nia Example", emails=["nia@example.net"])
        return plan

    monkeypatch.setattr(mail, "plan_import", plan_then_add_nia)
    outcome = run_account(_account(network, owner, server.port))

    assert outcome.logged == 1
    assert _emails(network) == [("2026-02-02", "inbound", "Nia Example")]


def test_a_wrong_password_waits_for_the_user(server, network, owner):
    account = _account(network, owner, server.port, password="wrong")

    with pytest.raises(SyncFailure) as failure:
        run_account(account)

    assert failure.value.retry is False
    assert str(failure.value).startswith(
        "127.0.0.1 refused the user name or password of me@example.org"
    )
    account.refresh_from_db()
    assert account.waits_for_user and account.next_sync_at is None
    assert account.last_error == str(failure.value)


def test_an_untrusted_certificate_is_one_clear_line(tmp_path, network, owner):
    with dovecot.running(tmp_path / "tls", tls=True) as server:
        account = _account(network, owner, server.port, tls="tls")

        with pytest.raises(SyncFailure) as failure:
            run_account(account)

    assert str(failure.value) == (
        "TLS: the certificate of 127.0.0.1 is not trusted (self-signed certificate)"
    )
    account.refresh_from_db()
    assert account.failures == 1 and not account.waits_for_user


def test_a_server_that_is_not_there(network, owner):
    account = _account(network, owner, dovecot.free_port())

    with pytest.raises(SyncFailure) as failure:
        run_account(account)

    assert str(failure.value).startswith(f"cannot reach 127.0.0.1:{account.settings['port']} (")


def _mbox(path: Path, messages: list[Message]) -> Path:
    """The same messages as an mbox file, as a mail program exports them."""
    with path.open("wb") as out:
        for number, message in enumerate(messages):
            out.write(f"From x@example.org {message.when:%a %b %d %H:%M:%S %Y}\n".encode())
            out.write(message.as_bytes(number).replace(b"\r\n", b"\n") + b"\n")
    return path


def test_mail_imported_from_an_mbox_and_synced_is_logged_once(
    server, network, owner, ada, bob, tmp_path
):
    imported = [Message("Ada Lovelace <ada@example.net>", ME, _at(2), "Lunch?")]
    synced_first = [Message("Bob <bob@example.net>", ME, _at(3), "Slides")]
    for message in (*imported, *synced_first):
        message.message_id = f"<{message.subject.strip('?').lower()}@example.net>"
    deliver(server.maildir(), [*imported, *synced_first])

    # Ada's mail came in by a file first; Bob's is synced first, then the file brings it.
    import_file(network, owner, "mbox", _mbox(tmp_path / "ada.mbox", imported), my_addresses=[ME])
    assert run_account(_account(network, owner, server.port)).logged == 1  # Bob's only
    again = import_file(
        network,
        owner,
        "mbox",
        _mbox(tmp_path / "both.mbox", [*imported, *synced_first]),
        my_addresses=[ME],
    )

    assert again.summary is None or again.summary.interactions == 0
    assert _emails(network) == [
        ("2026-02-02", "inbound", "Ada Lovelace"),
        ("2026-02-03", "inbound", "Bob Babbage"),
    ]


def test_the_password_is_never_logged_nor_shown(server, network, owner, ada, kith, caplog):
    caplog.set_level(logging.DEBUG)  # everything imapclient and kithkin log
    deliver(server.maildir(), [Message("ada@example.net", ME, _at(2), "One")])
    good = _account(network, owner, server.port, name="Good")
    wrong = _account(network, owner, server.port, name="Wrong", password="wrong-app-password-7")

    assert run_account(good).logged == 1
    with pytest.raises(SyncFailure):
        run_account(wrong)

    assert "LOGIN" in caplog.text  # the commands were logged, the password left out
    shown = kith("account", "list").stdout + kith("account", "list", "--json").stdout
    for secret in (dovecot.PASSWORD, "wrong-app-password-7"):
        assert secret not in caplog.text
        assert secret not in shown
        assert not SyncAccount.objects.filter(last_error__contains=secret).exists()


def test_the_sent_folder_is_found_by_its_special_use_flag(tmp_path, network, owner, ada, bob):
    with dovecot.running(tmp_path / "de", sent="Gesendete Objekte") as server:
        deliver(server.maildir(), [Message("ada@example.net", ME, _at(2), "Hallo")])
        deliver(server.maildir(folder="Gesendete Objekte"), [
            Message(ME, "bob@example.net", _at(3), "Antwort"),
        ])  # fmt: skip
        account = _account(network, owner, server.port)

        assert run_account(account).logged == 2

    assert _emails(network) == [
        ("2026-02-02", "inbound", "Ada Lovelace"),
        ("2026-02-03", "outbound", "Bob Babbage"),
    ]
    assert set(account.state["folders"]) == {"INBOX", "Gesendete Objekte"}


def test_only_the_folders_chosen_are_read_and_a_missing_one_is_named(
    server, network, owner, ada, bob
):
    deliver(server.maildir(), [Message("ada@example.net", ME, _at(2), "Inbox")])
    deliver(server.maildir(folder="Sent"), [Message(ME, "bob@example.net", _at(3), "Sent")])
    account = _account(network, owner, server.port, folders=["Archive", "Sent"])

    outcome = run_account(account)

    assert outcome.logged == 1
    assert _emails(network) == [("2026-02-03", "outbound", "Bob Babbage")]
    assert outcome.problems == [
        "folder 'Archive' could not be read (Mailbox doesn't exist: Archive): not synced"
    ]
    account.refresh_from_db()
    assert account.failures == 0 and account.last_counts["problems"] == outcome.problems


def test_only_headers_are_fetched_and_nothing_is_marked_read(
    server, network, owner, ada, monkeypatch
):
    from imapclient import IMAPClient

    deliver(server.maildir(), [Message("ada@example.net", ME, _at(2), "Private")])
    asked: list[object] = []
    fetch = IMAPClient.fetch

    def spying(self, messages, data, modifiers=None):
        asked.extend(data)
        return fetch(self, messages, data, modifiers)

    monkeypatch.setattr(IMAPClient, "fetch", spying)
    assert run_account(_account(network, owner, server.port)).logged == 1

    assert asked and all(
        item.startswith(b"BODY.PEEK[HEADER.FIELDS (FROM TO CC DATE ") for item in asked
    )
    monkeypatch.setattr(IMAPClient, "fetch", fetch)
    with IMAPClient("127.0.0.1", port=server.port, ssl=False) as client:
        client.login(ME, dovecot.PASSWORD)
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
    assert flags and all(b"\\Seen" not in f for f in flags.values())


def test_someone_added_from_a_suggestion_has_their_mail_logged(server, network, owner):
    """The suggestion said "3 messages": adding them logs those messages on the next run
    (only theirs are searched for and read again), not only mail still to come."""
    from kithkin.services.sync_accounts import add_correspondent

    deliver(server.maildir(), [
        Message("Carol Curie <carol@example.net>", ME, _at(day), f"Note {day}")
        for day in (2, 3)
    ])  # fmt: skip
    deliver(server.maildir(folder="Sent"), [
        Message(ME, "carol@example.net", _at(4), "Re: Note 3"),
        Message(ME, "dave@example.net", _at(4), "Unrelated"),
    ])  # fmt: skip
    account = _account(network, owner, server.port)
    assert run_account(account).logged == 0

    carol = add_correspondent(owner, network, "carol@example.net")
    account.refresh_from_db()
    outcome = run_account(account)

    assert outcome.logged == 3
    assert _emails(network) == [
        ("2026-02-02", "inbound", "Carol Curie"),
        ("2026-02-03", "inbound", "Carol Curie"),
        ("2026-02-04", "outbound", "Carol Curie"),
    ]
    assert carol.full_name == "Carol Curie"
    account.refresh_from_db()
    assert "backfill" not in account.state
    assert account.state["unknown"]["dave@example.net"][1] == 1  # not counted again
    assert run_account(account).logged == 0


def test_someone_added_later_has_the_mail_skipped_before_logged(server, network, owner):
    """Dave wrote once before he was in the network (skipped: a stranger); adding him by
    hand logs that mail on the next run, once the worker has handed on the change."""
    from kithkin.services import changes

    deliver(server.maildir(), [Message("dave@example.net", ME, _at(2), "Hello")])
    account = _account(network, owner, server.port)
    assert run_account(account).logged == 0

    factories.make_person(network, "Dave Dee", emails=["dave@example.net"])
    changes.dispatch()
    account.refresh_from_db()

    assert account.state["backfill"] == ["dave@example.net"]
    assert run_account(account).logged == 1
    assert _emails(network) == [("2026-02-02", "inbound", "Dave Dee")]
