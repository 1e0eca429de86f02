"""The two habits the issues name as whole flows, driven in headless Chromium:

- go to an event, record who I met, open the follow-up's draft, mark it as sent;
- record help received, see "Say thanks" on Today, thank, and see it go.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from kithkin import clock
from kithkin.models import FollowUp, Interaction, Person, ValueExchange
from tests.factories import make_person
from tests.web.test_browser import browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def test_event_met_draft_mark_sent(page, owner, network):
    today = clock.today_in(network.time_zone)
    log_in(page, with_password(owner).username)

    page.goto("/events/")
    page.get_by_role("link", name="Add an event").click()
    page.fill("#id_name", "PyCon US")
    page.select_option("#id_kind", "conference")
    page.fill("#id_starts_on", (today - dt.timedelta(days=1)).isoformat())
    page.select_option("#id_status", "attended")
    page.locator("main").get_by_role("button", name=re.compile("Add|Save")).click()
    page.wait_for_url(re.compile(r".*/events/\d+/$"))

    page.get_by_label("Who did you meet?").fill("Grace Hopper")
    page.get_by_label("What did you talk about?").fill("talked about COBOL")
    page.locator("#met-someone summary").click()
    page.get_by_label("Their email").fill("grace@navy.example")
    page.get_by_role("button", name="Record it").click()

    owed = page.locator("#to-follow-up .rows > li", has_text="Grace Hopper")
    expect(owed).to_contain_text("follow-up due")
    grace = Person.objects.get(network=network, full_name="Grace Hopper")
    follow_up = FollowUp.objects.get(people=grace)
    assert follow_up.due_on == today + dt.timedelta(days=2)

    owed.get_by_role("link", name="Draft").click()
    page.wait_for_url(re.compile(rf".*/follow-ups/{follow_up.pk}/draft/$"))
    expect(page.locator("#draft-subject")).to_have_value("Great to meet you at PyCon US")
    body = page.locator("#draft-body")
    expect(body).to_have_value(re.compile(r"^Hi Grace,"))
    expect(body).to_have_value(re.compile(r"our conversation about COBOL\."))
    mailto = page.get_by_role("link", name=re.compile("Email Grace"))
    expect(mailto).to_have_attribute("href", re.compile(r"^mailto:grace@navy\.example\?subject="))

    page.get_by_role("button", name="Mark as sent").click()
    page.wait_for_url(re.compile(rf".*/people/{grace.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Grace")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    sent = Interaction.objects.filter(participants=grace, direction="outbound").get()
    assert sent.kind == "email" and sent.summary == "Great to meet you at PyCon US"

    page.goto(f"/events/{follow_up.interaction.event_id}/")
    expect(page.locator("#to-follow-up")).to_have_count(0)


def test_help_received_shows_under_say_thanks_until_thanked(page, owner, network):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    today = clock.today_in(network.time_zone)
    log_in(page, with_password(owner).username)

    page.goto("/ledger/")
    page.select_option("#id_action", "got")
    page.fill("#id_person", "Ada Lovelace")
    page.select_option("#id_kind", "referral")
    page.fill("#id_on", (today - dt.timedelta(days=5)).isoformat())
    page.fill("#id_description", "Introduced me to the hiring manager at Babbage & Co")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".messages")).to_be_visible()
    assert ValueExchange.objects.get().thanked_at is None

    page.goto("/today/")
    page.wait_for_load_state("networkidle")
    thanks = page.locator("#section-thanks")
    expect(thanks).to_contain_text("Thank Ada Lovelace")
    expect(thanks).to_contain_text("referral")
    thanks.get_by_role("button", name="Thank").click()
    expect(page.locator("#section-thanks .rows > li")).to_have_count(0)

    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#section-thanks")).to_have_count(0)
    exchange = ValueExchange.objects.get()
    assert exchange.thanked_at is not None
    assert exchange.thanked_in.summary.startswith("Thanked for: referral")
