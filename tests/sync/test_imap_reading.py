"""A folder of several batches is fetched and read by a second process on a connection of
its own (kithkin.sync.mail_headers), against a real Dovecot: the same interactions as one
batch read here, and a failure there -- the process killed, the folder renumbered, an
error it cannot hand over as it is -- a clear failure here, whole batches kept."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from imapclient import IMAPClient

from kithkin.models import Interaction, SyncAccount
from kithkin.services.sync_accounts import add_imap_account
from kithkin.sync import mail, mail_headers
from kithkin.sync.outcome import SyncFailure
from kithkin.sync.run import run_account
from tests import factories
from tests.sync import dovecot
from tests.sync.dovecot import Message, deliver

pytestmark = [pytest.mark.slow, pytest.mark.once]

ME = "me@example.org"
READER = "kith-imap-read"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dovecot.Dovecot]:
    with dovecot.running(tmp_path / "dovecot") as running:
        yield running


@pytest.fixture
def people(network):
    return [
        factories.make_person(network, f"Person {n}", emails=[f"p{n}@example.net"])
        for n in range(15)
    ]


def _deliver(server: dovecot.Dovecot, count: int) -> None:
    at = dt.datetime(2026, 2, 2, 8, tzinfo=dt.UTC)
    deliver(server.maildir(), [
        Message(f"p{n}@example.net", ME, at + dt.timedelta(hours=n), f"Note {n}")
        for n in range(count)
    ])  # fmt: skip


def _account(network, owner, port: int) -> SyncAccount:
    return add_imap_account(
        network, owner, host="127.0.0.1", port=port, tls="none", username=ME,
        password=dovecot.PASSWORD, folders=["INBOX"],
    )  # fmt: skip


def _logged(network) -> list[tuple[str, str, list[str]]]:
    return sorted(
        (i.occurred_at.isoformat(), i.direction, sorted(p.full_name for p in i.participants.all()))
        for i in Interaction.objects.filter(network=network, kind="email")
    )


def _readers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == READER]


def _writes_watched(monkeypatch, after_each: Any) -> list[int]:
    """mail._write wrapped: the number of readers alive at each batch written."""
    write, seen = mail._write, []

    def watched(*args: Any, **kwargs: Any) -> None:
        seen.append(len(_readers()))
        write(*args, **kwargs)
        after_each(len(seen))

    monkeypatch.setattr(mail, "_write", watched)
    return seen


def test_several_batches_are_read_by_a_second_process_as_one_batch_is_here(
    server, network, owner, people, monkeypatch
):
    _deliver(server, 15)
    account = _account(network, owner, server.port)
    # One batch: read here, on the sync's own connection
    seen = _writes_watched(monkeypatch, lambda n: None)
    assert run_account(account).logged == 15
    assert seen == [0]
    one_batch = _logged(network)
    Interaction.objects.filter(network=network).delete()
    account.state = {}
    account.save()

    monkeypatch.setattr(mail, "BATCH", 4)
    seen.clear()
    outcome = run_account(account)

    assert outcome.logged == 15
    # Four batches; the first written while the reader was alive (it reads at most two
    # ahead, so it cannot have finished), the later ones perhaps after it ended
    assert len(seen) == 4 and seen[0] == 1
    assert _readers() == []  # and gone once the folder is read
    assert _logged(network) == one_batch
    account.refresh_from_db()
    assert account.state["folders"]["INBOX"]["last_uid"] == 15


def test_the_reader_killed_midway_fails_the_run_keeps_whole_batches_and_resumes(
    server, network, owner, people, monkeypatch
):
    _deliver(server, 15)
    account = _account(network, owner, server.port)
    monkeypatch.setattr(mail, "BATCH", 3)

    def kill_after_the_first(written: int) -> None:
        if written == 1:
            for reader in _readers():
                reader.kill()

    _writes_watched(monkeypatch, kill_after_the_first)

    with pytest.raises(SyncFailure) as failure:
        run_account(account)

    assert "the process reading INBOX stopped (exit code -9)" in str(failure.value)
    assert "the next run resumes after the last message saved" in str(failure.value)
    account.refresh_from_db()
    saved = account.state["folders"]["INBOX"]["last_uid"]
    # The batches it had handed over before it was killed (it reads up to two ahead)
    assert saved in (3, 6, 9)
    assert Interaction.objects.filter(network=network).count() == saved
    assert account.last_error == str(failure.value) and account.failures == 1

    monkeypatch.undo()
    account.refresh_from_db()
    outcome = run_account(account)

    assert outcome.logged == 15 - saved
    assert {p.pk for p in people} == set(
        Interaction.objects.filter(network=network).values_list("participants", flat=True)
    )


def test_a_folder_renumbered_before_the_reader_selects_it_is_read_again_next_run(
    server, network, owner, people, monkeypatch
):
    _deliver(server, 6)
    account = _account(network, owner, server.port)
    monkeypatch.setattr(mail, "BATCH", 2)
    select = IMAPClient.select_folder

    def renumbered(self: IMAPClient, folder: str, readonly: bool = False) -> dict[bytes, Any]:
        found = select(self, folder, readonly)  # the sync's connection; the reader's is real
        return {**found, b"UIDVALIDITY": int(found[b"UIDVALIDITY"]) + 1}

    monkeypatch.setattr(IMAPClient, "select_folder", renumbered)

    with pytest.raises(SyncFailure) as failure:
        run_account(account)

    assert str(failure.value) == (
        "the server renumbered INBOX during the sync (a new UIDVALIDITY); "
        "the next run reads it again"
    )
    assert Interaction.objects.filter(network=network).count() == 0
    account.refresh_from_db()
    assert "INBOX" not in account.state.get("folders", {})

    monkeypatch.setattr(IMAPClient, "select_folder", select)
    assert run_account(account).logged == 6


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("a socket in hand")
        self.handle = lambda: None


def test_an_error_the_reader_cannot_hand_over_as_it_is_arrives_as_its_name_and_text():
    handed = mail_headers._picklable(_Unpicklable())

    assert isinstance(handed, SyncFailure)
    assert str(handed) == "_Unpicklable: a socket in hand"
    dropped = mail_headers._picklable(SyncFailure("refused", retry=False))
    assert pickle.loads(pickle.dumps(dropped)).retry is False


def test_the_reader_imports_no_django():
    """The second process is spawned fresh: it must read mail without settings or apps."""
    found = subprocess.run(
        [sys.executable, "-c", "import sys, kithkin.sync.mail_headers; print(sorted(sys.modules))"],
        capture_output=True, text=True, check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": ""},
    )  # fmt: skip
    modules = found.stdout.strip().strip("[]").replace("'", "").split(", ")
    assert "imapclient" in modules
    assert [m for m in modules if m.startswith("django")] == []
