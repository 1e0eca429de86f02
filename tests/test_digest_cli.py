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
