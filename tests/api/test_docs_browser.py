"""The API's docs page in headless Chromium: Swagger UI runs from Kithkin's own static
files under the strict Content-Security-Policy, asks no other host for anything, and
shows the operations."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import browser, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    return None


def test_the_docs_page_works_under_the_csp_with_no_other_host(page, live_server):  # noqa: F811
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    # The page first fetches the schema, which the server builds on its first request
    # (seconds on a loaded machine): waited for generously, never timed.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kithkin API", timeout=60_000)
    expect(page.get_by_text("/api/v1/networks/{network_id}/circles").first).to_be_visible()
    expect(page.locator(".swagger-ui .btn.authorize")).to_be_visible()
    assert page.csp_violations == []
    others = [url for url in requested if not url.startswith(live_server.url)]
    assert others == [] and any(url.endswith("/api/v1/openapi.json") for url in requested)
