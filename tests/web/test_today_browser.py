"""Today in headless Chromium: Done on a plan row updates the counts in place, says what
happened, and Undo brings the row and the counts back; the phone menu reaches every section."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kithkin import clock
from kithkin.models import FollowUp
from tests.factories import make_follow_up, make_person
from tests.web.test_browser import browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def test_done_on_a_plan_row_then_undo(page, owner, network):
    today = clock.today_in(owner.time_zone)
    ada = make_person(network, "Ada Lovelace")
    for days, title in ((5, "Send the paper"), (3, "Book a coffee"), (1, "Share the talk")):
        make_follow_up(network, ada, title, due_on=today - dt.timedelta(days=days))
    log_in(page, with_password(owner).username)

    plan = page.locator("#plan")
    count = page.locator("#follow-ups-heading .count")
    expect(plan.get_by_role("heading")).to_have_text("Your 3 for today")
    expect(count).to_have_text("3")
    row = plan.locator("li", has_text="Send the paper")
    url_before = page.url

    row.get_by_role("button", name="Done").click()

    expect(page.locator(".toast")).to_contain_text("Done: Send the paper.")
    expect(count).to_have_text("2")
    expect(plan.get_by_role("heading")).to_have_text("Your 2 for today")
    expect(plan.locator("li", has_text="Send the paper")).to_have_count(0)
    assert page.url == url_before  # in place, not a new page
    assert FollowUp.objects.get(title="Send the paper").done_at is not None

    page.locator(".toast").get_by_role("button", name="Undo").click()

    expect(page.locator(".toast")).to_contain_text("Undone: Done: Send the paper.")
    expect(count).to_have_text("3")
    expect(plan.get_by_role("heading")).to_have_text("Your 3 for today")
    expect(plan.locator("li").first).to_contain_text("Send the paper")
    assert FollowUp.objects.get(title="Send the paper").done_at is None
    assert page.csp_violations == []


def test_the_phone_menu_reaches_every_section_and_shows_the_network(page, owner, network):
    log_in(page, with_password(owner).username)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".topbar .network-name")).to_have_text(network.name)
    expect(page.locator(".mainnav")).to_be_hidden()
    page.get_by_text("Menu").click()
    sections = page.get_by_role("navigation", name="Sections").get_by_role("link")
    expect(sections).to_have_text(
        [
            "Today",
            "People",
            "Events",
            "Organizations",
            "Opportunities",
            "Ledger",
            "Milestones",
            "Mentorships",
            "Dashboard",
        ]
    )
    sections.filter(has_text="Mentorships").click()
    expect(page).to_have_url(f"{page.url.split('/today/')[0]}/mentorships/")
