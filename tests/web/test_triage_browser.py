"""Triage from the keyboard, in headless Chromium: move, set a circle with a digit, select,
then leave the rest as acquaintances."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kithkin import clock
from kithkin.models import Person
from tests.factories import log, make_person
from tests.web.test_browser import browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def circle_of(name: str) -> str | None:
    person = Person.objects.select_related("circle").get(full_name=name)
    return person.circle.name if person.circle else None


def test_triage_from_the_keyboard(page, owner, network):
    today = clock.today_in(network.time_zone)
    bea = make_person(network, "Bea Met")
    for days in (3, 10, 17):
        log(network, bea, on=today - dt.timedelta(days=days), kind="meeting")
    make_person(network, "Carl Second", connected_on=today - dt.timedelta(days=400))
    make_person(network, "Dora Third", connected_on=today - dt.timedelta(days=500))
    make_person(network, "Eve Fourth", connected_on=today - dt.timedelta(days=600))
    log_in(page, with_password(owner).username)

    page.get_by_role("link", name="Triage").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    rows = page.locator("[data-triage-row]")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("met 3 times")

    page.keyboard.press("j")  # the first row
    expect(rows.nth(0)).to_be_focused()
    page.keyboard.press("1")  # Bea: close
    expect(rows.nth(0)).to_contain_text("Joined close.")
    expect(rows.nth(1)).to_be_focused()  # on to the next one
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("2")  # Carl: regular
    expect(rows.nth(1)).to_contain_text("Joined regular.")
    expect(rows.nth(2)).to_be_focused()
    page.keyboard.press("x")  # select Dora
    expect(rows.nth(2).locator("[data-triage-select]")).to_be_checked()
    page.locator("#triage-bulk").get_by_role("button", name="Occasional").click()
    expect(page.get_by_text("1 person joined occasional.")).to_be_visible()
    page.get_by_role("button", name="Leave the rest as acquaintances").click()
    expect(page.get_by_text("1 person joined acquaintance.")).to_be_visible()
    expect(page.get_by_text("Everyone has a circle: nothing to triage.")).to_be_visible()

    assert [circle_of(name) for name in ("Bea Met", "Carl Second", "Dora Third", "Eve Fourth")] == [
        "close",
        "regular",
        "occasional",
        "acquaintance",
    ]
    assert page.csp_violations == []
