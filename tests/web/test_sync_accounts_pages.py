"""Settings → Accounts: add a mail box (a preset fills the server), a CalDAV server, a
calendar URL; the list with the last sync and the last error; sync soon, a new password,
remove. A password is never shown back; an account is its user's alone (a teammate's and
an outsider's requests are not found) and a viewer adds none."""

from __future__ import annotations

import pytest

from kithkin.models import SyncAccount
from kithkin.services.sync_accounts import add_imap_account, record_failure
from kithkin.sync.outcome import SyncFailure
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

IMAP = {
    "imap-preset": "gmail",
    "imap-username": "ada@gmail.com",
    "imap-password": "abcd efgh ijkl mnop",
    "imap-months": "6",
    "imap-subjects": "on",
    "imap-folders": "",
    "imap-name": "",
}


def _account(network, user, name="Mail") -> SyncAccount:
    return add_imap_account(
        network, user, preset="fastmail", username="ada@fastmail.com", password="pw-1", name=name
    )


def test_the_owner_adds_a_gmail_box_and_never_sees_its_password(owner_client, owner):
    added = owner_client.post("/settings/accounts/imap/", IMAP, follow=True)

    page = added.content.decode()
    assert "Added ada@gmail.com at imap.gmail.com" in page
    assert "imap.gmail.com:993" in page and "Password set" in page
    assert "abcd efgh" not in page
    account = SyncAccount.objects.get(user=owner)
    assert account.settings["months"] == 6 and account.password() == "abcd efgh ijkl mnop"


def test_a_refused_value_is_shown_beside_the_form(owner_client):
    refused = owner_client.post(
        "/settings/accounts/imap/",
        {**IMAP, "imap-preset": "", "imap-host": "mail.example.com", "imap-tls": "none"},
    )
    assert refused.status_code == 200
    assert "only to this machine" in refused.content.decode()
    assert not SyncAccount.objects.exists()


def test_caldav_and_calendar_url_are_added_too(owner_client, owner):
    owner_client.post(
        "/settings/accounts/caldav/",
        {
            "caldav-url": "https://dav.example.com/",
            "caldav-username": "ada",
            "caldav-password": "pw",
            "caldav-calendars": "Work, Home",
        },
    )
    owner_client.post(
        "/settings/accounts/ics/", {"ics-url": "https://cal.example.com/private-xyz/basic.ics"}
    )

    kinds = dict(SyncAccount.objects.values_list("kind", "settings"))
    assert kinds["caldav"]["calendars"] == ["Work", "Home"]
    page = owner_client.get("/settings/").content.decode()
    assert "cal.example.com" in page and "private-xyz" not in page


def test_the_list_shows_the_last_error_and_a_banner_on_every_page(owner_client, owner, network):
    account = _account(network, owner)
    record_failure(
        account, SyncFailure("imap.fastmail.com refused the user name or password", retry=False),
        account.next_sync_at,
    )  # fmt: skip

    settings_page = owner_client.get("/settings/").content.decode()
    assert (
        "Failing (1 in a row): imap.fastmail.com refused the user name or password" in settings_page
    )
    today = owner_client.get("/today/").content.decode()
    assert "Your account Mail is not syncing: imap.fastmail.com refused" in today


def test_sync_now_new_password_and_remove(owner_client, owner, network):
    account = _account(network, owner)
    record_failure(account, SyncFailure("refused", retry=False), account.next_sync_at)

    owner_client.post(
        f"/settings/accounts/{account.pk}/password/", {f"account-{account.pk}-secret": "pw-2"}
    )
    account.refresh_from_db()
    assert account.password() == "pw-2" and not account.waits_for_user

    assert owner_client.post(f"/settings/accounts/{account.pk}/sync/").status_code == 302
    assert owner_client.post(f"/settings/accounts/{account.pk}/remove/").status_code == 302
    assert not SyncAccount.objects.exists()


def working_in(user, network):
    user.current_network = network
    user.save()
    return client_for(user)


def test_a_teammate_neither_sees_nor_touches_anothers_account(network, owner, teammate):
    account = _account(network, owner, name="Olive's private mail")
    client = working_in(teammate, network)

    assert "Olive's private mail" not in client.get("/settings/").content.decode()
    for action in ("sync", "password", "remove"):
        assert client.post(f"/settings/accounts/{account.pk}/{action}/").status_code == 404
    assert SyncAccount.objects.filter(pk=account.pk).exists()


def test_an_outsider_gets_404(outsider_client, network, owner):
    account = _account(network, owner)
    for action in ("sync", "password", "remove"):
        assert outsider_client.post(f"/settings/accounts/{account.pk}/{action}/").status_code == 404


def test_a_viewer_adds_no_account(viewer, network):
    client = working_in(viewer, network)
    assert client.post("/settings/accounts/imap/", IMAP).status_code == 403
    assert "Add a mail box" not in client.get("/settings/").content.decode()
    assert not SyncAccount.objects.exists()


def test_triage_suggests_a_frequent_unknown_correspondent_and_adds_them_on_request(
    owner_client, owner, network
):
    account = _account(network, owner)
    account.state = {
        "unknown": {"carol@example.net": ["Carol Curie", 4], "dave@example.net": ["", 1]}
    }
    account.save()

    page = owner_client.get("/triage/").content.decode()
    assert "Carol Curie" in page and "4 messages" in page
    assert "dave@example.net" not in page
    assert not network.people.filter(full_name="Carol Curie").exists()

    owner_client.post("/triage/correspondents/", {"email": "carol@example.net"})

    carol = network.people.get(full_name="Carol Curie")
    assert carol.contact_points.get().value == "carol@example.net"
    assert "correspondents-heading" not in owner_client.get("/triage/").content.decode()


def test_not_now_stops_a_suggestion_and_adds_no_one(owner_client, owner, network):
    account = _account(network, owner)
    account.state = {"unknown": {"carol@example.net": ["Carol Curie", 4]}}
    account.save()

    owner_client.post(
        "/triage/correspondents/", {"email": "carol@example.net", "action": "dismiss"}
    )

    assert "Carol Curie" not in owner_client.get("/triage/").content.decode()
    assert not network.people.filter(full_name="Carol Curie").exists()
    account.refresh_from_db()
    assert account.state["dismissed"] == ["carol@example.net"]
    assert account.state["unknown"]["carol@example.net"] == ["Carol Curie", 4]  # still counted


def test_a_teammate_cannot_add_someone_only_anothers_mail_suggests(network, owner, teammate):
    account = _account(network, owner)
    account.state = {"unknown": {"carol@example.net": ["Carol Curie", 4]}}
    account.save()
    client = working_in(teammate, network)

    assert "Carol Curie" not in client.get("/triage/").content.decode()
    assert client.post("/triage/correspondents/", {"email": "carol@example.net"}).status_code == 404
    dismiss = {"email": "carol@example.net", "action": "dismiss"}
    assert client.post("/triage/correspondents/", dismiss).status_code == 404
    account.refresh_from_db()
    assert "dismissed" not in account.state


def test_a_viewer_changes_nothing_and_an_outsider_adds_no_one(viewer, outsider_client, network):
    client = working_in(viewer, network)
    assert client.post("/triage/correspondents/", {"email": "carol@example.net"}).status_code == 403
    for kind in ("caldav", "ics"):
        assert client.post(f"/settings/accounts/{kind}/", {}).status_code == 403
    assert (
        outsider_client.post("/triage/correspondents/", {"email": "carol@example.net"}).status_code
        == 404
    )
    assert not SyncAccount.objects.exists()
    assert not network.people.filter(contact_points__value="carol@example.net").exists()


def test_calendar_titles_are_logged_unless_left_out(owner_client, owner):
    page = owner_client.get("/settings/").content.decode()
    assert 'name="caldav-subjects"' in page and 'name="ics-subjects"' in page
    owner_client.post(
        "/settings/accounts/ics/",
        {"ics-url": "https://cal.example.com/private-xyz/basic.ics", "ics-subjects": "on"},
    )
    owner_client.post(
        "/settings/accounts/caldav/",
        {
            "caldav-url": "https://dav.example.com/",
            "caldav-username": "ada",
            "caldav-password": "pw",
        },
    )
    kinds = dict(SyncAccount.objects.values_list("kind", "settings"))
    assert (kinds["ics"]["subjects"], kinds["caldav"]["subjects"]) == (True, False)


def test_a_calendar_url_offers_to_replace_its_address_not_a_password(owner_client, owner):
    owner_client.post(
        "/settings/accounts/ics/", {"ics-url": "webcal://p42-caldav.icloud.com/published/2/abc"}
    )
    page = owner_client.get("/settings/").content.decode()
    assert "Replace the secret address" in page and "The new secret address" in page
    assert "Secret address set" in page
    assert "published/2/abc" not in page
