"""`kith digest`: today's digest printed as the email's text, or sent now."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from tests.factories import make_follow_up, make_person
from tests.mailserver import Inbox, parts, smtp_server

pytestmark = pytest.mark.django_db
__all__ = ["smtp_server"]


@pytest.fixture
def ada(network):
    person = make_person(network, "Ada Lovelace")
    make_follow_up(network, person, "Send Ada the deck", due_on=TODAY - dt.timedelta(days=2))
    return person


def test_kith_digest_prints_todays_digest(kith, ada):
    result = kith("digest")

    assert result.exit_code == 0
    assert result.stdout.startswith("Kithkin, Friday 20 February: your 1 for today\n")
    assert "1. Send Ada the deck\n   Why: overdue by 2 days (due 2026-02-18)" in result.stdout
    assert f"Open: http://localhost:8000/people/{ada.pk}/" in result.stdout


def test_kith_digest_send_emails_it(kith, ada, smtp_server: Inbox):
    result = kith("digest", "--send")

    assert result.exit_code == 0
    assert (
        result.stdout
        == "Sent to owner@example.org: Kithkin, Friday 20 February: your 1 for today\n"
    )
    (message,) = smtp_server.messages(to="owner@example.org")
    assert "Send Ada the deck" in parts(message)["text/html"]


def test_kith_digest_send_with_email_off_is_one_line(kith, ada, settings):
    settings.EMAIL_CONFIGURED = False
    result = kith("digest", "--send")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Email is off: set KITH_EMAIL_URL")


def test_kith_doctor_sends_a_test_email_on_request(kith, smtp_server: Inbox):
    from kithkin.models import WorkerBeat

    WorkerBeat.objects.create(worker_id="host:1:1")  # the worker ran: only email is asked
    result = kith("doctor", "--send-test-email", "me@example.org")

    assert "✓ test email: sent to me@example.org" in result.stdout
    (message,) = smtp_server.messages(to="me@example.org")
    assert message["Subject"] == "Kithkin test message"


def test_kith_doctor_says_in_one_line_when_the_test_email_was_refused(kith, smtp_server):
    smtp_server.refuse.add("me@example.org")
    result = kith("doctor", "--send-test-email", "me@example.org")

    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The test message was not sent:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_digest_opens_with_a_webhook_turned_off_after_failures(kith, network, owner):
    from kithkin.models import WebhookSubscription
    from kithkin.services import webhooks

    made = webhooks.add_subscription(network, owner, "https://93.184.215.14/hook")
    WebhookSubscription.objects.filter(pk=made.subscription.pk).update(
        active=False, disabled_reason="8 deliveries failed in a row"
    )
    result = kith("digest")

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2:4] == [
        "Needs your attention:",
        "! The webhook to https://93.184.215.14/hook (Olive Owner's network) was turned off: "
        "8 deliveries failed in a row.",
    ]
