"""The real pages in headless Chromium (Debian's, never a downloaded one), via Playwright."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kithkin import clock
from kithkin.models import FollowUp, Membership
from tests.factories import make_follow_up, make_person

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock: the browser keeps cookies by its own time, so a session issued in a
    frozen past would already be expired."""
    return None


def local_today() -> dt.date:
    return clock.today_in("Europe/Paris")  # the named users' and the sign-up's zone


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium: .ci/run must install it")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    in_flight: set[object] = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    yield page
    # Let the requests the page still has in flight finish before the database is flushed
    # (after an htmx swap Today loads its deferred sections again): a live-server thread
    # still in a transaction holds the shared in-memory database, and the flush fails.
    # ("networkidle" cannot tell: it was reached once and stays reached.)
    deadline = time.monotonic() + 20
    while in_flight and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(100)  # the server thread commits after the response is sent
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/today/$"))
    page.wait_for_load_state("networkidle")  # Today loads a section after the page


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_up(page) -> None:
    """Sign up as Sam Writer (sam, Europe/Paris) and land on Today."""
    page.goto("/signup/")
    page.fill("#id_full_name", "Sam Writer")
    page.fill("#id_username", "sam")
    page.fill("#id_email", "sam@example.org")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_time_zone", "Europe/Paris")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/today/$"))


def test_sign_up_add_a_person_follow_up_then_done_and_snooze(page):
    sign_up(page)
    expect(page.get_by_text("Nothing due today")).to_be_visible()

    page.click("text=Add a person")
    page.fill("#id_full_name", "Ada Lovelace")
    page.fill("#id_emails", "ada@example.org")
    page.fill("#id_organization", "Analytical Engines")
    page.fill("#id_title", "CTO")
    page.select_option("#id_circle", "close")
    page.fill("#id_what_matters", "Her compiler project")
    page.locator("main").get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    expect(page.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("CTO at Analytical Engines").first).to_be_visible()

    page.fill("#id_summary", "Talked about her compiler project")
    with page.expect_navigation():
        page.click("text=Log it")
    expect(
        page.locator(".timeline").get_by_text("Talked about her compiler project")
    ).to_be_visible()

    today = local_today().isoformat()
    for title in ("Send her the paper", "Book a coffee"):
        page.click("text=Add a follow-up")
        page.fill("#id_follow_up-title", title)
        page.fill("#id_follow_up-due_on", today)
        page.locator("form[action$='/follow-up/'] button[type=submit]").click()
        page.get_by_text(f"Follow-up added: {title}.").wait_for()

    page.click("nav >> text=Today")
    page.wait_for_url(re.compile(r".*/today/$"))
    rows = page.locator("#follow-ups-heading + .section-note + .rows > li")
    assert rows.count() == 2
    url_before = page.url
    rows.filter(has_text="Send her the paper").get_by_role("button", name="Done").click()
    expect(rows).to_have_count(1)
    # Today re-renders its plan and counts in place and says what happened
    expect(page.locator(".toast")).to_contain_text("Done: Send her the paper.")
    expect(page.locator("#follow-ups-heading .count")).to_have_text("1")
    assert page.url == url_before  # updated in place, not a new page
    assert FollowUp.objects.get(title="Send her the paper").done_at is not None

    coffee = rows.filter(has_text="Book a coffee")
    coffee.locator("summary", has_text="Snooze").click()
    coffee.get_by_role("button", name="Tomorrow").click()
    expect(rows).to_have_count(0)
    assert FollowUp.objects.get(title="Book a coffee").due_on > local_today()
    assert page.csp_violations == []


def test_search_as_you_type(page, owner, network):
    make_person(network, "Ada Lovelace", organization="Analytical Engines")
    make_person(network, "Grace Hopper", organization="US Navy")
    log_in(page, with_password(owner).username)
    page.goto("/people/")
    expect(page.locator("#people-results").get_by_text("Grace Hopper")).to_be_visible()
    page.fill("#people-q", "engines")
    expect(page.locator("#people-results")).not_to_contain_text("Grace Hopper")
    expect(page.locator("#people-results").get_by_text("Ada Lovelace")).to_be_visible()
    assert "q=engines" in page.url  # the search is in the address, shareable and back-able


def test_invite_a_viewer_who_then_cannot_change_anything(
    browser, live_server, page, owner, network, outsider
):
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send the paper", due_on=local_today())
    log_in(page, with_password(owner).username)
    page.goto("/network/")
    page.select_option("#id_role", "viewer")
    page.click("text=Create invitation link")
    link = page.input_value("#invite-link")
    assert "/invitations/" in link

    other = browser.new_context(base_url=live_server.url)
    viewer_page = other.new_page()
    log_in(viewer_page, with_password(outsider).username)
    viewer_page.goto(link)
    viewer_page.click("button:has-text('Join')")
    viewer_page.wait_for_url(re.compile(r".*/today/$"))
    assert Membership.objects.get(user=outsider, network=network).role == "viewer"
    expect(viewer_page.get_by_text("view only")).to_be_visible()
    expect(viewer_page.locator("#plan").get_by_text("Send the paper")).to_be_visible()
    assert viewer_page.get_by_role("button", name="Done").count() == 0
    assert viewer_page.get_by_text("Add a person").count() == 0
    response = viewer_page.goto(f"/people/{ada.pk}/edit/")
    assert response.status == 403
    expect(viewer_page.get_by_role("heading", name="Not allowed")).to_be_visible()
    other.close()


def test_hostile_text_stays_text_in_the_browser(page, owner, network):
    hostile = make_person(
        network,
        '<script>window.__xss = 1</script>"><img src=x onerror="window.__xss=2">',
        tags=['"><img src=x onerror="window.__xss=3">'],
        notes="[click me](javascript:window.__xss=4) <script>window.__xss=5</script>",
        what_matters="<b onmouseover=alert(6)>bold</b>",
    )
    log_in(page, with_password(owner).username)
    for url in (f"/people/{hostile.pk}/", "/people/", "/tags/", "/today/"):
        page.goto(url)
        assert page.evaluate("window.__xss") is None, url
    page.goto(f"/people/{hostile.pk}/")
    assert page.get_by_role("heading").first.inner_text().startswith("<script>")
    assert page.locator(".markdown a[href^='javascript']").count() == 0
    page.locator(".prose").first.hover()
    assert page.dialogs == []


def test_every_main_page_fits_a_phone(browser, live_server, owner, network):
    person = make_person(
        network,
        "Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen",
        organization="The Extraordinarily Long Named Organisation of Things",
        title="Chief Everything Officer",
        circle="close",
        connected_on=dt.date(2025, 1, 1),
        emails=["maximiliana.featherstonehaugh@extraordinarily-long.example"],
    )
    make_follow_up(
        network,
        person,
        "Send the very long paper about compilers and their friends",
        due_on=local_today(),
    )
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    log_in(phone, with_password(owner).username)
    for url in (
        "/today/",
        "/people/",
        f"/people/{person.pk}/",
        "/organizations/",
        "/settings/",
        "/network/",
    ):
        phone.goto(url)
        phone.wait_for_load_state("networkidle")  # Today loads a section after the page
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px phone"
    phone.goto("/today/")
    expect(phone.get_by_role("button", name="Done").first).to_be_visible()
    phone.wait_for_load_state("networkidle")
    context.close()


def test_keyboard_reaches_the_main_actions(page, owner, network):
    make_follow_up(network, make_person(network), "Send the paper", due_on=local_today())
    log_in(page, with_password(owner).username)
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                "document.activeElement.innerText || document.activeElement.getAttribute('aria-label') || ''"
            ).strip()
        )
    assert {"Today", "People", "Done", "Snooze"} <= reached
