"""Two-factor in headless Chromium: set it up from Settings by the QR page's key, keep the
recovery codes, log out, log in with the password then a recovery code. No CSP violation."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.web.test_browser import PASSWORD, browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def test_set_up_two_factor_then_log_in_with_a_recovery_code(page, owner, network):
    log_in(page, with_password(owner).username)
    page.goto("/settings/")
    page.get_by_role("link", name="Set up two-factor").click()
    page.wait_for_url(re.compile(r".*/settings/two-factor/$"))
    with page.expect_navigation():
        page.get_by_role("button", name="Set up two-factor").click()
    qr = page.locator(".qr-code svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150  # big enough to scan

    # What someone types into their app by hand: the key shown beside the QR code.
    key = page.locator(".totp-secret").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(key)):06d}"
    page.fill("#id_code", code)
    with page.expect_navigation():
        page.get_by_role("button", name="Turn two-factor on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10

    with page.expect_navigation():
        page.locator("header").get_by_role("button", name="Log out").click()
    page.goto("/login/")
    page.fill("#id_username", owner.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.fill("#id_code", codes[0])
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/today/$"))
    expect(page.get_by_text("You used a recovery code; 9 left.").first).to_be_visible()
    assert page.csp_violations == []
