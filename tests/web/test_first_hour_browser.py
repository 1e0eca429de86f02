"""The first hour, in headless Chromium: sign up, import a real LinkedIn export, triage it,
and Today becomes a bounded plan naming people with reasons; an action on it, then Undo."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from kithkin.models import Interaction, Person
from tests.web.test_browser import browser, page, sign_up

__all__ = ["browser", "page"]  # the fixtures, shared with test_browser

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
# A real export (pseudonymised): 30 rows, two of them members who hid their name.
EXPORT = CORPUS / "linkedin" / "Connections_2024-05_jasontoups_pseudo.csv"
# Monday 7 December 2026, 09:00 in Paris; the clock ticks (the server's sessions keep
# their Max-Age in the browser), so the connections' ages are the same on every run.
MONDAY = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    if not EXPORT.is_file():
        message = f"the importer corpus is absent: expected {EXPORT} (../shared/corpus)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with time_machine.travel(MONDAY, tick=True):
        yield


def test_sign_up_import_triage_then_a_plan_to_act_on_and_undo(page):
    sign_up(page)

    page.goto("/import/")
    page.select_option("#import-format", "linkedin")
    page.set_input_files("#import-file", str(EXPORT))
    page.get_by_role("button", name="Show me the plan").click()
    expect(page.locator("main")).to_contain_text("28")  # new people
    page.get_by_role("button", name="Import", exact=True).click()

    # Nobody has a rhythm yet: the import leads to Triage, with the evidence for each.
    page.wait_for_url(re.compile(r".*/triage/$"))
    expect(page.locator("main")).to_contain_text("no conversation recorded")
    expect(page.locator("main")).to_contain_text("connected 2 years ago")
    with page.expect_navigation():  # the POST, its redirect and the page after it
        page.get_by_role("button", name=re.compile(r"Accept all 28 suggestions")).click()
    assert not Person.objects.filter(is_self=False, circle__isnull=True).exists()
    due = Person.objects.filter(is_self=False, check_in_due_on__lte=dt.date(2026, 12, 7))
    assert due.count() == 8  # connected in the last three years: occasional, overdue

    page.goto("/today/")
    page.wait_for_load_state("networkidle")
    plan = page.locator("#plan")
    expect(plan.get_by_role("heading")).to_have_text("Your 5 for today")  # the daily budget
    rows = plan.locator("li")
    expect(rows).to_have_count(5)
    first = rows.first
    expect(first).to_contain_text("Check in with")
    expect(first).to_contain_text("never contacted; connected")
    link = first.locator("a").first
    person = Person.objects.get(pk=re.findall(r"/people/(\d+)/", link.get_attribute("href"))[0])
    name = person.full_name
    expect(link).to_have_text(f"Check in with {name}")
    note = page.locator("#section-check-ins .section-note")
    expect(note).to_contain_text("8 due; today's 5")

    first.locator("summary", has_text="Log").click()
    first.locator("textarea[name=summary]").fill("Caught up about the new role")
    first.get_by_role("button", name="Log interaction").click()

    expect(page.locator(".toast")).to_contain_text(f"Logged a call with {name}.")
    expect(plan.locator("li", has_text=name)).to_have_count(0)
    expect(note).to_contain_text("7 due; today's 5")
    assert Interaction.objects.filter(participants=person).count() == 1

    page.locator(".toast").get_by_role("button", name="Undo").click()

    expect(page.locator(".toast")).to_contain_text("Undone")
    expect(plan.locator("li", has_text=name)).to_have_count(1)
    expect(note).to_contain_text("8 due; today's 5")
    assert not Interaction.objects.filter(participants=person).exists()
    assert page.csp_violations == []
