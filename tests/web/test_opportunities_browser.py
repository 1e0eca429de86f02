"""Opportunities in headless Chromium: add one, see who would want it and why, share it with
the top match, and see the share with no answer yet."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kithkin.models import Interaction, Opportunity, OpportunityShare
from tests.factories import make_person
from tests.factories_opportunities import make_compiler_engineer
from tests.web.test_browser import browser, log_in, page, with_password

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture(autouse=True)
def frozen_time():
    """The real clock, as in test_browser: the browser keeps cookies by its own time."""
    return None


def test_add_an_opportunity_see_matches_and_share_with_the_top_one(page, owner, network):
    make_compiler_engineer(network)
    make_person(network, "Ada Lovelace", tags=["rust"])
    make_person(network, "Pat Python", tags=["python"])
    log_in(page, with_password(owner).username)

    page.goto("/opportunities/")
    page.click("text=Add an opportunity")
    page.fill("#id_title", "Staff engineer at Babbage")
    page.select_option("#id_kind", "job")
    page.fill("#id_organization", "Babbage")
    page.fill("#id_tags", "rust, compilers")
    page.locator("main").get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url(re.compile(r".*/opportunities/\d+/$"))
    item = Opportunity.objects.get()

    matches = page.locator("#matches .rows > li")
    expect(matches).to_have_count(2)
    top = matches.first
    expect(top).to_contain_text("Grace Hopper")
    expect(top).to_contain_text("tags: compilers, rust")
    expect(top).to_contain_text("title: Staff Engineer")
    expect(top).to_contain_text("what matters: 'Wants to move into compilers'")
    expect(page.locator("#matches")).not_to_contain_text("Pat Python")

    top.locator("summary", has_text="Share").click()
    top.get_by_label("What you told Grace Hopper").fill("Thought of you")
    top.get_by_role("button", name="Share with Grace Hopper").click()
    page.wait_for_url(re.compile(rf".*/opportunities/{item.pk}/$"))

    shares = page.locator("#shares .rows > li")
    expect(shares).to_have_count(1)
    expect(shares.first).to_contain_text("Grace Hopper")
    expect(shares.first).to_contain_text("no answer yet")
    expect(shares.first).to_contain_text("Thought of you")
    grace_row = page.locator("#matches .rows > li", has_text="Grace Hopper")
    expect(grace_row).to_contain_text("already shared")
    expect(grace_row.get_by_role("button", name="Share with Grace Hopper")).to_have_count(0)
    expect(page.locator("#opportunity-status")).to_have_text("Shared")

    share = OpportunityShare.objects.get()
    assert share.person.full_name == "Grace Hopper" and share.outcome == "pending"
    assert Interaction.objects.get().summary == "Shared: Staff engineer at Babbage"

    shares.first.locator("select").select_option("applied")
    shares.first.get_by_role("button", name="Save").click()
    expect(page.locator("#shares .rows > li").first).to_contain_text("applied")
    assert page.csp_violations == []


def test_the_opportunity_pages_fit_a_phone(browser, live_server, owner, network):
    from tests.factories_opportunities import make_opportunity, make_share

    grace = make_person(
        network,
        "Maximiliana Featherstonehaugh-Wolfeschlegelsteinhausen",
        title="Principal Staff Engineer of Extraordinarily Long Titles",
        organization="The Extraordinarily Long Named Organisation of Things",
        tags=["rust", "compilers", "programming-languages"],
        what_matters="Wants to move into compilers and their very long names",
    )
    item = make_opportunity(
        network,
        "Principal staff engineer for the extraordinarily long compilers programme",
        tags=["rust", "compilers", "programming-languages"],
        url="https://example.org/a/very/long/link/to/the/job/posting/that/goes/on/and/on",
        source=make_person(network, "Ada Lovelace"),
    )
    make_share(network, item, grace, note="A long note about why this fits you so well")
    make_person(network, "Grace Hopper", tags=["rust"], circle="close")
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    log_in(phone, with_password(owner).username)
    for url in (
        "/opportunities/",
        "/opportunities/new/",
        f"/opportunities/{item.pk}/",
        "/dashboard/",
        "/today/",
    ):
        phone.goto(url)
        phone.wait_for_load_state("networkidle")  # Today loads a section after the page
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} is {width}px wide on a 375px phone"
    context.close()
