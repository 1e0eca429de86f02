"""The digest's pages: its section of Settings (each user's own preferences, whatever
their role) and the one-click unsubscribe of its emails (RFC 8058)."""

from __future__ import annotations

import datetime as dt
from html import escape

import pytest
from django.test import Client

from kithkin import clock
from kithkin.models import DigestPreference, Membership, Network
from kithkin.services import digest as digests
from tests.mailserver import Inbox, parts, smtp_server
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
__all__ = ["smtp_server"]

FORM = {
    "enabled": "on",
    "send_at": "06:45",
    "days": ["0", "2", "4"],
    "weekly_review": "on",
    "weekly_review_day": "6",
    "ntfy_url": "https://ntfy.sh/olive-secret",
}


def network_row(network: Network) -> tuple:
    network.refresh_from_db()
    return (network.name, network.daily_outreach_budget, network.time_zone)


def test_settings_shows_the_digest_section_with_email_off(owner_client):
    page = owner_client.get("/settings/").content.decode()
    assert "Daily digest" in page
    assert "Email is off on this server (KITH_EMAIL_URL is unset)" in page
    assert "Last digest sent: never" in page


def test_saving_the_digest_preferences(owner, owner_client):
    response = owner_client.post("/settings/digest/", FORM)

    assert response.status_code == 302 and response.url == "/settings/"
    preference = DigestPreference.objects.get(user=owner)
    assert preference.enabled and preference.send_at == dt.time(6, 45)
    assert preference.days == "024" and preference.weekly_review_day == 6
    assert preference.ntfy_url == "https://ntfy.sh/olive-secret"
    page = owner_client.get("/settings/").content.decode()
    assert 'value="06:45"' in page and "Daily digest saved." in page


def test_a_digest_with_no_day_is_refused(owner, owner_client):
    owner_client.post("/settings/digest/", {**FORM, "days": []})
    assert not DigestPreference.objects.filter(user=owner).exists()


def test_a_viewer_sets_their_own_digest_and_changes_nothing_of_the_network(owner, network, viewer):
    before = network_row(network)
    response = client_for(viewer).post("/settings/digest/", FORM)

    assert response.status_code == 302
    assert DigestPreference.objects.get(user=viewer).days == "024"
    assert not DigestPreference.objects.filter(user=owner).exists()
    assert network_row(network) == before


def test_an_outsider_cannot_touch_the_owners_digest(owner, outsider):
    digests.save_preferences(
        owner,
        enabled=True,
        send_at=dt.time(7),
        days=[0],
        weekly_review=False,
        weekly_review_day=0,
    )
    client_for(outsider).post("/settings/digest/", {**FORM, "ntfy_url": "https://evil.example"})

    assert DigestPreference.objects.get(user=owner).ntfy_url == ""
    assert DigestPreference.objects.get(user=outsider).ntfy_url == "https://evil.example"
    page = client_for(outsider).get("/settings/").content.decode()
    assert "evil.example" in page


def test_signed_out_nobody_saves_preferences(owner):
    response = Client().post("/settings/digest/", FORM)
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert not DigestPreference.objects.exists()


def one_click(path: str) -> int:
    """A mail client's one-click unsubscribe: a POST with no cookie and no CSRF token."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    return response.status_code


def test_one_click_unsubscribe_from_the_email(owner, smtp_server: Inbox):
    digests.save_preferences(
        owner, enabled=True, send_at=dt.time(7), days=[4], weekly_review=False, weekly_review_day=0
    )
    digests.send_digest(owner, clock.now())
    (message,) = smtp_server.messages()
    link = message["List-Unsubscribe"].strip().strip("<>")
    path = link.removeprefix("https://kithkin.example.org")
    assert path in parts(message)["text/html"] or link in parts(message)["text/html"]

    page = Client().get(path)  # opening the link only asks
    assert page.status_code == 200 and "Stop the daily digest?" in page.content.decode()
    assert DigestPreference.objects.get(user=owner).enabled

    assert one_click(path) == 200
    preference = DigestPreference.objects.get(user=owner)
    assert not preference.enabled and preference.unsubscribed_at == clock.now()
    assert digests.send_due_digests(clock.now()).sent == []


def test_a_forged_unsubscribe_link_is_refused(owner, outsider):
    digests.save_preferences(
        owner, enabled=True, send_at=dt.time(7), days=[4], weekly_review=False, weekly_review_day=0
    )
    token = digests.unsubscribe_token(outsider)
    _payload, signed_at, signature = token.split(":")
    forged = digests.unsubscribe_token(owner).split(":")[0] + f":{signed_at}:{signature}"

    assert one_click(f"/digest/unsubscribe/{forged}/") == 404
    assert one_click("/digest/unsubscribe/not-a-token/") == 404
    assert Client().get(f"/digest/unsubscribe/{forged}/").status_code == 404
    assert DigestPreference.objects.get(user=owner).enabled


def test_the_settings_page_reports_a_failed_digest(owner, owner_client):
    preference = digests.save_preferences(
        owner, enabled=True, send_at=dt.time(7), days=[4], weekly_review=False, weekly_review_day=0
    )
    DigestPreference.objects.filter(pk=preference.pk).update(
        last_failure_at=clock.now(), last_failure="the mail server answered 451: busy"
    )
    page = owner_client.get("/settings/").content.decode()
    assert "The last one failed" in page and "the mail server answered 451: busy" in page


def test_a_digest_link_into_another_network_asks_before_switching(owner, network, outsider):
    other = Network.objects.get(pk=outsider.current_network_id)
    Membership.objects.create(user=owner, network=other, role="viewer")
    client = client_for(owner)
    here = client.get(f"/digest/networks/{network.pk}/open/?to=/people/")
    assert here.status_code == 302 and here.url == "/people/"

    there = client.get(f"/digest/networks/{other.pk}/open/?to=/people/")
    assert there.status_code == 200 and f"This is in {escape(other.name)}" in there.content.decode()
    owner.refresh_from_db()
    assert owner.current_network_id == network.pk  # opening the link changed nothing

    switched = client.post(f"/digest/networks/{other.pk}/open/?to=/people/")
    assert switched.status_code == 302 and switched.url == "/people/"
    owner.refresh_from_db()
    assert owner.current_network_id == other.pk


def test_a_digest_link_goes_nowhere_outside_kithkin_or_the_users_networks(owner, network, outsider):
    client = client_for(owner)
    away = client.get(f"/digest/networks/{network.pk}/open/?to=//evil.example/")
    assert away.url == "/today/"
    other = outsider.current_network_id
    assert client.get(f"/digest/networks/{other}/open/?to=/people/").status_code == 404
    assert client.post(f"/digest/networks/{other}/open/?to=/people/").status_code == 404
    owner.refresh_from_db()
    assert owner.current_network_id == network.pk
