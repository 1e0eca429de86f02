"""The installable app on a phone-sized screen in headless Chromium: the service worker
keeps Today and the quick log for offline use, a quick log made offline waits on the phone
and is sent once when the connection is back."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from kithkin.models import Interaction
from tests.factories import make_person
from tests.web.test_browser import browser, log_in, with_password

__all__ = ["browser"]  # the fixture, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


@pytest.fixture
def phone(browser, live_server) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    in_flight: set[object] = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # Let the requests still in flight finish before the database is flushed (test_browser).
    deadline = time.monotonic() + 20
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(100)
    context.close()


def controlled(page) -> None:
    """The page is answered by the service worker (installed, active, in control)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_quick_log_offline_is_sent_once_when_back_online(phone, owner, network, tmp_path):
    make_person(network, "Ada Lovelace")
    make_person(network, "Grace Hopper")
    log_in(phone, with_password(owner).username)
    phone.goto("/log/")
    controlled(phone)
    phone.goto("/today/")  # seen online once: kept for offline
    expect(phone.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    phone.goto("/log/")
    expect(phone.locator("#quick-log-people option")).to_have_count(2)
    phone.fill("#quick-log-person", "hop")  # any word of the name
    expect(phone.locator("#quick-log-people option")).to_have_count(1)
    expect(phone.locator("#quick-log-people option")).to_have_attribute("value", "Grace Hopper")

    phone.context.set_offline(True)
    phone.goto("/today/")
    expect(phone.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(phone.locator("[data-offline-note]")).to_be_visible()
    expect(phone.locator("[data-offline-note]")).to_contain_text("Offline — as of")
    phone.goto("/log/")  # from the home screen's shortcut, offline
    expect(phone.locator("[data-offline-note]")).to_be_visible()
    phone.fill("#quick-log-person", "Ada Lovelace")
    phone.get_by_text("Meeting", exact=True).click()
    phone.fill("#quick-log-note", "coffee with Ada")
    phone.get_by_role("button", name="Log it").click()
    status = phone.locator("[data-outbox-status]")
    expect(status).to_contain_text("Saved on this phone: meeting with Ada Lovelace.")
    expect(phone.locator("[data-outbox-waiting]")).to_contain_text("1 quick log is waiting")
    phone.screenshot(path=str(tmp_path / "quick-log-offline-390.png"), full_page=True)
    assert not Interaction.objects.exists()

    phone.context.set_offline(False)
    expect(status).to_contain_text("Sent. Logged a meeting with Ada Lovelace.")
    expect(phone.locator("[data-outbox-waiting]")).to_be_hidden()
    interaction = Interaction.objects.get()
    assert interaction.summary == "coffee with Ada"
    assert [p.full_name for p in interaction.participants.all()] == ["Ada Lovelace"]

    # Opening the app again sends nothing twice.
    phone.reload()
    expect(phone.get_by_role("button", name="Log it")).to_be_visible()
    phone.wait_for_timeout(500)
    assert Interaction.objects.count() == 1
    phone.screenshot(path=str(tmp_path / "quick-log-sent-390.png"), full_page=True)
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.screenshot(path=str(tmp_path / "quick-log-1280.png"), full_page=True)
    print("screenshots:", tmp_path)
    assert phone.csp_violations == []


def test_a_recent_person_is_one_tap(phone, owner, network):
    import datetime as dt

    from tests.factories import log

    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=dt.date.today() - dt.timedelta(days=3))
    log_in(phone, with_password(owner).username)
    phone.goto("/")
    phone.get_by_role("link", name="Log").first.click()
    phone.wait_for_url(re.compile(r".*/log/$"))
    phone.get_by_role("button", name="Ada Lovelace").click()
    phone.fill("#quick-log-note", "walk")
    phone.get_by_role("button", name="Log it").click()
    expect(phone.locator("[data-outbox-status]")).to_contain_text("Sent. Logged a meeting")
    assert Interaction.objects.filter(summary="walk").count() == 1


def test_signing_out_leaves_no_page_and_no_queued_log_on_the_phone(phone, owner, network):
    ada = make_person(network, "Ada Lovelace")
    log_in(phone, with_password(owner).username)
    phone.goto("/today/")
    controlled(phone)
    kept = "caches.keys().then(names => names.filter(n => n.startsWith('kithkin-pages-')))"
    phone.wait_for_function(f"{kept}.then(names => names.length === 1)")
    # A quick log still waiting (the server was unreachable when it was made).
    phone.evaluate(
        """person => KithkinOutbox.add({
            key: crypto.randomUUID(), person_id: String(person), person: "Ada Lovelace",
            kind: "meeting", note: "a secret", logged_at: new Date().toISOString(),
            owner: document.querySelector('meta[name="kithkin-owner"]').content,
        })""",
        ada.pk,
    )
    assert phone.evaluate("KithkinOutbox.all().then(entries => entries.length)") == 1
    phone.locator(".phone-menu > summary").click()
    with phone.expect_navigation():
        phone.locator(".phone-menu-account").get_by_role("button", name="Log out").click()
    phone.wait_for_url(re.compile(r".*/login/$"))
    phone.wait_for_function(f"{kept}.then(names => names.length === 0)")
    assert phone.evaluate("KithkinOutbox.all().then(entries => entries.length)") == 0
    assert not Interaction.objects.exists()


def test_a_shared_link_is_logged_against_a_person_or_saved(phone, owner, network, tmp_path):
    from kithkin.models import Opportunity

    make_person(network, "Ada Lovelace")
    log_in(phone, with_password(owner).username)
    shared = "/share/?title=Staff+engineer+at+Babbage&text=Worth+a+look&url=https://ex.org/j"
    phone.goto(shared)
    expect(phone.locator(".shared-text")).to_have_text("Worth a look https://ex.org/j")
    phone.screenshot(path=str(tmp_path / "share-390.png"), full_page=True)
    phone.fill("#quick-log-person", "Ada Lovelace")
    phone.get_by_role("button", name="Log it").click()
    expect(phone.locator("[data-outbox-status]")).to_contain_text("Sent. Logged a message")
    assert Interaction.objects.get().summary == "Worth a look https://ex.org/j"

    phone.goto(shared)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save the opportunity").click()
    expect(phone.get_by_role("heading", name="Staff engineer at Babbage")).to_be_visible()
    assert Opportunity.objects.get().url == "https://ex.org/j"
    print("screenshots:", tmp_path)


def test_two_logs_from_the_page_kept_offline_are_two(phone, owner, network):
    """The page answered offline is the copy kept earlier, with the key it was made with:
    each log made from it still gets a key of its own."""
    make_person(network, "Ada Lovelace")
    make_person(network, "Grace Hopper")
    log_in(phone, with_password(owner).username)
    phone.goto("/log/")
    controlled(phone)
    expect(phone.locator("#quick-log-people option")).to_have_count(2)
    phone.context.set_offline(True)
    for name, note in (("Ada Lovelace", "coffee with Ada"), ("Grace Hopper", "lunch with Grace")):
        phone.reload()  # the kept copy, each time
        expect(phone.locator("[data-offline-note]")).to_be_visible()
        phone.fill("#quick-log-person", name)
        phone.fill("#quick-log-note", note)
        phone.get_by_role("button", name="Log it").click()
        expect(phone.locator("[data-outbox-status]")).to_contain_text(f"meeting with {name}.")
    expect(phone.locator("[data-outbox-waiting]")).to_contain_text("2 quick logs are waiting")
    phone.context.set_offline(False)
    expect(phone.locator("[data-outbox-waiting]")).to_be_hidden()
    assert sorted(Interaction.objects.values_list("summary", flat=True)) == [
        "coffee with Ada",
        "lunch with Grace",
    ]
