"""Drafts in headless Chromium: Copy works under the CSP, Mark as sent, the live preview of a
template, and the pages fit a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kithkin.models import FollowUp, Interaction
from tests.factories import make_follow_up, make_person
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    browser,
    frozen_time,
    local_today,
    log_in,
    page,
    with_password,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_copy_a_draft_then_mark_it_sent(page, owner, network):  # noqa: F811
    with_password(owner)
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    follow_up = make_follow_up(network, ada, "Write to Ada", due_on=local_today())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(page, "owner")
    page.goto(f"/people/{ada.pk}/")
    page.get_by_role("link", name="Draft", exact=True).click()
    page.wait_for_url(re.compile(rf".*/people/{ada.pk}/draft/$"))
    copy = page.get_by_role("button", name="Copy message")
    expect(copy).to_be_visible()  # copy.js ran and showed it
    copy.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()").startswith("Hi Ada,")
    assert page.locator("a[href^='mailto:ada@example.org?subject=']").count() == 1

    page.get_by_role("link", name="thank-you", exact=True).click()
    expect(page.locator("#draft-subject")).to_have_value("Thank you")
    expect(page.get_by_role("button", name="Copy message")).to_be_visible()

    page.goto(f"/follow-ups/{follow_up.pk}/draft/")
    page.get_by_role("button", name="Mark as sent").click()
    page.wait_for_url(re.compile(rf".*/people/{ada.pk}/$"))
    expect(page.get_by_text("Logged your email to Ada Lovelace")).to_be_visible()
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is not None
    assert Interaction.objects.get(network=network).direction == "outbound"
    assert page.csp_violations == []


def test_the_template_preview_follows_the_typing(page, owner, network):  # noqa: F811
    with_password(owner)
    log_in(page, "owner")
    page.goto("/settings/")
    page.get_by_role("link", name="Message templates").click()
    page.wait_for_url(re.compile(r".*/settings/message-templates/$"))
    page.goto("/settings/message-templates/check-in/")
    page.fill("#id_body", "Dear {first_name}, {learned}.")
    expect(page.locator("#template-preview")).to_contain_text("Dear Ada, she is hiring.")
    page.fill("#id_body", "Dear {frist_name}")
    expect(page.locator("#template-preview")).to_contain_text("unknown placeholder {frist_name}")
    page.fill("#id_body", "Hello {first_name}")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/settings/message-templates/$"))
    expect(page.get_by_text("your wording")).to_be_visible()
    assert page.csp_violations == []


def test_draft_and_brief_fit_a_phone(browser, live_server, owner, network):  # noqa: F811
    with_password(owner)
    ada = make_person(
        network,
        "Ada Lovelace-Byron of a Very Long Name",
        emails=["ada.with.a.long.address@example.org"],
        what_matters="Her compiler project " * 8,
    )
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    phone = context.new_page()
    log_in(phone, "owner")
    for url in [
        f"/people/{ada.pk}/draft/",
        f"/people/{ada.pk}/brief/",
        "/settings/message-templates/",
        "/settings/message-templates/follow-up/",
    ]:
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)
    context.close()
