"""Synced accounts without a server: secrets encrypted at rest and never shown back, each
account its user's alone, the backoff after failures, the worker's job claiming each
account once, failures on the digest and in `kith doctor`, and the `kith account`
commands."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from django.db import connection

from kithkin import jobs, secret_box
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import SyncAccount
from kithkin.queries.digest import needs_attention
from kithkin.queries.sync_accounts import failing_accounts, sync_accounts_check
from kithkin.services import sync_accounts
from kithkin.services.sync_accounts import (
    add_calendar_url,
    add_imap_account,
    backoff,
    record_failure,
    record_success,
    rekey,
)
from kithkin.services.webhooks import add_subscription, secret_of
from kithkin.sync import run
from kithkin.sync.outcome import SyncFailure, SyncOutcome
from tests.sync.dovecot import free_port

pytestmark = pytest.mark.django_db


def _imap(network, user, **fields) -> SyncAccount:
    return add_imap_account(
        network,
        user,
        username=fields.pop("username", "ada@fastmail.com"),
        password=fields.pop("password", "app-password-1"),
        preset=fields.pop("preset", "fastmail"),
        **fields,
    )


def test_a_preset_fills_the_server_and_the_password_is_stored_encrypted(network, owner):
    account = _imap(network, owner)

    assert account.settings["host"] == "imap.fastmail.com"
    assert (account.settings["port"], account.settings["tls"]) == (993, "tls")
    assert account.name == "ada@fastmail.com at imap.fastmail.com"
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM kithkin_syncaccount")
        stored = cursor.fetchone()[0]
    assert "app-password-1" not in stored
    assert SyncAccount.objects.get().password() == "app-password-1"


def test_a_calendar_url_is_its_own_secret_and_only_its_host_shows(network, owner):
    account = add_calendar_url(
        network, owner, url="https://calendar.google.com/calendar/ical/x/private-abc/basic.ics"
    )

    assert account.where == "calendar.google.com"
    assert "private-abc" not in json.dumps(account.settings)
    assert "private-abc" in account.password()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"preset": "", "host": "mail.example.com", "tls": "none"}, "tls"),
        ({"preset": "yahoo"}, "preset"),
        ({"months": 0}, "months"),
        ({"password": ""}, "password"),
        ({"preset": "", "host": "not a host"}, "host"),
    ],
)
def test_what_an_account_refuses(network, owner, fields, field):
    with pytest.raises(InvalidInput) as refused:
        _imap(network, owner, **fields)
    assert refused.value.field == field


def test_plain_imap_only_to_this_machine(network, owner):
    account = _imap(network, owner, preset="", host="127.0.0.1", tls="none")
    assert account.settings["port"] == 143


def test_two_accounts_of_one_user_need_two_names(network, owner):
    _imap(network, owner)
    with pytest.raises(InvalidInput, match="already"):
        _imap(network, owner)


def test_an_account_is_its_users_alone(network, owner, teammate, viewer, outsider):
    account = _imap(network, owner)

    for someone in (teammate, viewer):
        with pytest.raises(NotFound):
            sync_accounts.account_for(someone, network, account.pk)
        with pytest.raises(NotFound):
            sync_accounts.remove_account(someone, network, account.pk)
        with pytest.raises(NotFound):
            sync_accounts.sync_soon(someone, network, account.pk)
    with pytest.raises(NotFound):
        sync_accounts.account_for(outsider, network, account.pk)
    assert SyncAccount.objects.filter(pk=account.pk).exists()


def test_a_viewer_cannot_add_an_account(network, viewer):
    with pytest.raises(Forbidden):
        _imap(network, viewer)


def test_the_backoff_doubles_up_to_its_cap():
    assert [backoff(n) for n in (1, 2, 3)] == [
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=10),
        dt.timedelta(minutes=20),
    ]
    assert backoff(50) == dt.timedelta(hours=6)


def test_a_failure_that_may_pass_is_tried_later_one_that_cannot_waits(network, owner):
    account = _imap(network, owner)
    now = account.next_sync_at

    record_failure(account, SyncFailure("cannot reach it"), now)
    record_failure(account, SyncFailure("cannot reach it"), now)
    assert (account.failures, account.next_sync_at) == (2, now + dt.timedelta(minutes=10))

    record_failure(account, SyncFailure("refused the password", retry=False), now)
    assert account.waits_for_user and account.next_sync_at is None
    assert run.due_accounts(now + dt.timedelta(days=1)) == []

    sync_accounts.replace_secret(owner, network, account.pk, "app-password-2")
    account.refresh_from_db()
    assert account.password() == "app-password-2"
    assert run.due_accounts(now) == [account]


def test_the_job_runs_each_due_account_once_and_records_its_outcome(network, owner, monkeypatch):
    account = _imap(network, owner)
    calls = []

    def fake(source):
        calls.append(source.pk)
        return SyncOutcome(logged=2, skipped=1)

    monkeypatch.setitem(run.SYNC_FUNCTIONS, "imap", f"{__name__}._fake_sync")
    monkeypatch.setattr(sys.modules[__name__], "_fake_sync", fake, raising=False)
    now = account.next_sync_at

    assert run.sync_due_accounts(now) == 1
    assert run.sync_due_accounts(now) == 0  # not due, and this round's claim is taken

    assert calls == [account.pk]
    account.refresh_from_db()
    assert account.last_counts == {
        "logged": 2,
        "updated": 0,
        "removed": 0,
        "skipped": 1,
        "suggested": 0,
        "problems": [],
    }
    assert account.next_sync_at == now + sync_accounts.SYNC_EVERY
    assert account.syncing_since is None


def test_an_account_claimed_by_another_worker_is_left_to_it(network, owner, monkeypatch):
    account = _imap(network, owner)
    monkeypatch.setitem(run.SYNC_FUNCTIONS, "imap", "kithkin.nothing.here")
    now = account.next_sync_at
    assert jobs.claim(f"sync:{account.pk}:{now:%Y-%m-%dT%H:%M}")

    assert run.sync_due_accounts(now) == 0
    account.refresh_from_db()
    assert account.failures == 0


def test_an_account_held_by_a_run_is_not_run_twice(network, owner):
    account = _imap(network, owner)
    SyncAccount.objects.filter(pk=account.pk).update(syncing_since=account.next_sync_at)

    with pytest.raises(run.Busy):
        run.run_account(account, account.next_sync_at)


def test_a_failing_account_shows_on_the_digest_and_in_doctor(network, owner, teammate):
    account = _imap(network, owner, name="Work mail")
    record_failure(
        account, SyncFailure("cannot reach imap.fastmail.com:993 (timed out)"), account.next_sync_at
    )

    line = (
        f"The Mail (IMAP) account Work mail ({network.name}) is failing: cannot reach "
        "imap.fastmail.com:993 (timed out) (it will be tried again)."
    )
    assert line in needs_attention(owner)
    assert needs_attention(teammate) == []
    assert [f.detail for f in sync_accounts_check()] == [line]
    assert failing_accounts(teammate) == []


def test_an_unknown_kind_module_is_a_clear_failure(network, owner, monkeypatch):
    account = add_calendar_url(network, owner, url="https://example.com/cal.ics")
    monkeypatch.setitem(run.SYNC_FUNCTIONS, "ics", "kithkin.sync.not_there.sync_calendar_url")

    with pytest.raises(SyncFailure, match="this install cannot sync ics accounts yet"):
        run.run_account(account)


def test_rekey_encrypts_every_secret_again_under_the_new_key(network, owner, settings):
    account = _imap(network, owner)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "n" * 50
    with pytest.raises(secret_box.SecretLost):
        SyncAccount.objects.get().password()

    assert rekey(old) == 1
    assert SyncAccount.objects.get(pk=account.pk).password() == "app-password-1"
    assert rekey(old) == 0


def test_a_lost_key_is_a_sync_failure_that_waits_for_the_user(network, owner, settings):
    account = _imap(network, owner)
    settings.SECRET_KEY = "n" * 50

    with pytest.raises(SyncFailure, match="kith account rekey") as failure:
        run.run_account(account)
    assert failure.value.retry is False


def test_webhook_secrets_still_open_through_the_secret_box(network, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    made = add_subscription(network, owner, "https://93.184.215.14/hook", [])
    assert secret_of(made.subscription) == made.secret


# --- `kith account` ----------------------------------------------------------------------


def test_kith_account_add_list_and_remove(kith, owner, network):
    added = _run_with_input(
        kith, "app-password\n", "account", "add", "imap", "ada@fastmail.com", "--preset",
        "fastmail", "--password-stdin", "--no-subjects", "--name", "Mail",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Added Mail (IMAP) account 'Mail' (imap.fastmail.com:993)" in added.stdout
    account = SyncAccount.objects.get()
    assert account.password() == "app-password"
    assert account.settings["subjects"] is False

    listed = kith("account", "list", "--json")
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["where"], r["secret_set"], r["last_counts"]) for r in rows] == [
        ("Mail", "imap.fastmail.com:993", True, None)
    ]
    assert "app-password" not in listed.stdout

    assert kith("account", "remove", "Mail").exit_code == 0
    assert not SyncAccount.objects.exists()


def test_kith_account_sync_prints_the_failure_and_exits_1(kith, owner, network):
    port = free_port()
    add_imap_account(
        network, owner, host="127.0.0.1", port=port, tls="none", username="me", password="x",
        name="Local",
    )  # fmt: skip

    result = kith("account", "sync", "Local")

    assert result.exit_code == 1
    assert f"Local: failed: cannot reach 127.0.0.1:{port} (" in result.stderr
    listed = kith("account", "list").stdout
    assert "FAILING (1 in a row): cannot reach" in listed


def test_kith_account_sync_of_someone_elses_account_is_not_found(kith, network, teammate):
    _imap(network, teammate, name="Theirs")
    result = kith("account", "sync", "Theirs")
    assert result.exit_code == 1
    assert "No account named 'Theirs' of yours" in result.stderr


def _run_with_input(kith, text: str, *args: str):
    from typer.testing import CliRunner

    from kithkin.cli.app import app

    return CliRunner().invoke(app, list(args), input=text, catch_exceptions=False)


def _removing_sync(source):
    SyncAccount.objects.filter(pk=source.pk).delete()
    return SyncOutcome(logged=1)


def test_an_account_removed_while_it_syncs_ends_quietly(network, owner, monkeypatch):
    account = _imap(network, owner)
    monkeypatch.setitem(run.SYNC_FUNCTIONS, "imap", f"{__name__}._removing_sync")

    assert run.run_account(account).logged == 1
    assert not SyncAccount.objects.exists()


def test_records_a_run_could_not_read_are_shown_with_its_counts(kith, owner, network):
    account = _imap(network, owner)
    problems = [f"Work: event e{n}@example.com: DTSTART: not a date" for n in range(7)]
    record_success(account, SyncOutcome(logged=1, problems=problems), account.next_sync_at)

    assert account.last_counts["problems"] == problems[:5]  # the first few, bounded
    listed = kith("account", "list")
    assert "could not read: Work: event e0@example.com" in " ".join(listed.stdout.split())
    rows = json.loads(kith("account", "list", "--json").stdout)
    assert rows[0]["last_counts"]["problems"] == problems[:5]


def test_a_refused_password_is_replaced_with_kith_account_password(kith, owner, network):
    account = _imap(network, owner, name="Mail")
    record_failure(
        account,
        SyncFailure("imap.fastmail.com refused the user name or password", retry=False),
        account.next_sync_at,
    )
    listed = " ".join(kith("account", "list").stdout.split())
    assert f"it waits for you: `kith account password {account.pk}`" in listed

    replaced = _run_with_input(
        kith, "app-password-2\n", "account", "password", "Mail", "--password-stdin"
    )

    assert replaced.exit_code == 0, replaced.output
    assert "Replaced the password of 'Mail'" in replaced.stdout
    assert "app-password-2" not in replaced.stdout
    account.refresh_from_db()
    assert account.password() == "app-password-2"
    assert not account.waits_for_user and account.next_sync_at is not None


def test_a_calendar_url_takes_password_stdin_too(kith, owner, network):
    added = _run_with_input(
        kith, "https://calendar.example.com/private-1/basic.ics\n",
        "account", "add", "ics", "--password-stdin", "--name", "Google",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert SyncAccount.objects.get().password().endswith("private-1/basic.ics")


def test_calendar_accounts_can_leave_titles_out_too(kith, owner, network):
    for args, text in (
        (["caldav", "https://dav.example.com/", "ada", "--name", "Dav"], "pw\n"),
        (["ics", "--name", "Feed"], "https://cal.example.com/private-1/basic.ics\n"),
    ):
        added = _run_with_input(
            kith, text, "account", "add", *args, "--no-subjects", "--password-stdin"
        )
        assert added.exit_code == 0, added.output
    assert [a.settings["subjects"] for a in SyncAccount.objects.order_by("name")] == [
        False,
        False,
    ]


def _crashing_sync(source):
    raise RuntimeError("the parser tripped")


def test_an_unexpected_error_is_recorded_and_tried_again_never_silent(
    network, owner, monkeypatch, caplog
):
    account = _imap(network, owner, name="Mail")
    monkeypatch.setitem(run.SYNC_FUNCTIONS, "imap", f"{__name__}._crashing_sync")

    assert run.sync_due_accounts(account.next_sync_at) == 1  # the worker's round goes on

    account.refresh_from_db()
    assert account.last_error == "unexpected error: RuntimeError: the parser tripped"
    assert account.failures == 1 and not account.waits_for_user
    assert account.next_sync_at is not None and account.syncing_since is None
    assert "sync of account" in caplog.text  # logged with its traceback for the admin
    assert failing_accounts(owner) == [account]


def test_kith_account_suggested_lists_adds_and_dismisses(kith, owner, network):
    from kithkin.models import Person

    account = _imap(network, owner, name="Mail")
    account.state = {
        "unknown": {
            "carol@example.net": ["Carol Curie", 4],
            "dave@example.net": ["", 3],
            "once@example.net": ["Once", 1],
        }
    }
    account.save_state()

    listed = " ".join(kith("account", "suggested").stdout.split())
    assert "carol@example.net Carol Curie 4 Mail" in listed
    assert "dave@example.net" in listed and "once@example.net" not in listed

    added = kith("account", "suggested", "--add", "carol@example.net")
    assert added.exit_code == 0, added.output
    assert Person.objects.filter(network=network, full_name="Carol Curie").exists()
    assert kith("account", "suggested", "--dismiss", "dave@example.net").exit_code == 0
    assert "No one to suggest" in kith("account", "suggested").stdout
    assert not Person.objects.filter(
        network=network, contact_points__normalized="dave@example.net"
    ).exists()


def test_a_webcal_address_is_taken_as_https(network, owner):
    """iCloud publishes a calendar as webcal://... (docs/calendars.md)."""
    account = add_calendar_url(
        network, owner, url="webcal://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5"
    )

    assert account.password() == "https://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5"
    assert account.where == "p42-caldav.icloud.com"
    sync_accounts.replace_secret(owner, network, account.pk, "WEBCAL://p42-caldav.icloud.com/x")
    account.refresh_from_db()
    assert account.password() == "https://p42-caldav.icloud.com/x"
