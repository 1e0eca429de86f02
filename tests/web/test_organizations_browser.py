"""An organization recorded twice, made one in headless Chromium: open it, pick the other
in the merge picker, read the preview, merge; then rename and delete one."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from kithkin.models import Affiliation, Organization
from kithkin.services.affiliations import add_affiliation
from tests.factories import make_person
from tests.factories_memberships import make_organization
from tests.web.test_browser import browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def test_merge_rename_and_delete_an_organization(page, owner, network, tmp_path):
    acm = make_organization(network, "ACM", kind="association")
    twin = make_organization(network, "Assoc. for Computing Machinery")
    make_person(network, "Grace Hopper", organization="ACM", title="Member")
    ada = make_person(network, "Ada Lovelace")
    add_affiliation(network, owner, ada, organization=twin.name, title="Fellow")
    log_in(page, with_password(owner).username)

    page.goto(f"/organizations/{acm.pk}/")
    page.get_by_role("link", name="Merge…").click()
    page.fill("#merge-other", "Assoc")
    page.get_by_role("button", name="Show what would happen").click()
    expect(page.locator("#merge-preview")).to_contain_text("Ada Lovelace (Fellow)")
    if os.environ.get("KITH_SCREENSHOTS"):
        page.screenshot(path=str(tmp_path / "organization-merge.png"), full_page=True)
    page.get_by_role("button", name=re.compile("^Merge Assoc")).click()
    expect(page.get_by_text("Merged Assoc. for Computing Machinery into ACM.")).to_be_visible()
    assert not Organization.objects.filter(pk=twin.pk).exists()
    assert Affiliation.objects.filter(organization=acm).count() == 2

    page.get_by_role("link", name="Edit", exact=True).click()
    page.fill("#id_name", "Association for Computing Machinery")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Association for Computing Machinery")).to_be_visible()

    page.get_by_role("link", name="Delete").click()
    expect(page.locator("#deleted-ties")).to_contain_text("Grace Hopper · Member")
    page.get_by_role("button", name=re.compile("^Delete ")).click()
    page.wait_for_url(re.compile(r".*/organizations/$"))
    assert not Organization.objects.filter(network=network).exists()
    assert page.csp_violations == []
