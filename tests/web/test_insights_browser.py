"""The Dashboard, a path result and the graph around a person in headless Chromium, on a
phone (390 x 844) and a laptop (1280 x 800): no CSP violation, nothing wider than the
screen. Screenshots go to $KITH_SCREENSHOTS when set (to look at them), else to tmp."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kithkin.models import Circle, Person
from kithkin.queries.people import me_in
from kithkin.services import ledger
from tests.factories import log, make_person
from tests.factories_drafts import relate
from tests.factories_milestones import make_job
from tests.web.test_browser import browser, log_in, page, with_password  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SIZES = {"phone": (390, 844), "laptop": (1280, 800)}


@pytest.fixture(autouse=True)
def frozen_time():
    return None


@pytest.fixture
def world(network, owner):
    with_password(owner)
    today = dt.date.today()
    people = {
        name: make_person(network, name)
        for name in (
            "Ada Lovelace", "Bob Byron", "Carol Shaw", "Dan Bricklin", "Eve Tardos",
            "Frances Allen", "Grace Hopper", "Tess Turing", "Linus Torvalds", "Barbara Liskov",
        )
    }  # fmt: skip
    p = people
    for n, (name, kind) in enumerate(
        [("Ada Lovelace", "meeting"), ("Bob Byron", "call"), ("Carol Shaw", "email"),
         ("Grace Hopper", "video"), ("Ada Lovelace", "message"), ("Linus Torvalds", "meeting")]
    ):  # fmt: skip
        for month in range(0, 11, 2 + n % 3):
            log(network, p[name], on=today - dt.timedelta(days=30 * month + n), kind=kind)
    relate(network, p["Ada Lovelace"], p["Tess Turing"], "friend")
    relate(network, p["Bob Byron"], p["Tess Turing"], "colleague")
    relate(network, p["Grace Hopper"], p["Frances Allen"], "friend")
    relate(network, p["Frances Allen"], p["Tess Turing"], "mentor")
    relate(network, p["Tess Turing"], p["Eve Tardos"], "friend")
    relate(network, p["Eve Tardos"], p["Barbara Liskov"], "colleague")
    log(network, [p["Carol Shaw"], p["Tess Turing"]], on=today - dt.timedelta(days=40))
    make_job(network, p["Tess Turing"], "Babbage & Co", start_on=dt.date(2019, 3, 1), title="CTO")
    make_job(network, p["Dan Bricklin"], "Babbage & Co", start_on=dt.date(2018, 1, 1),
             end_on=dt.date(2021, 6, 1))  # fmt: skip
    for giving, name, days in ((ledger.give, "Ada Lovelace", 20), (ledger.got, "Grace Hopper", 50)):
        giving(network, owner, p[name], "advice", "", on=today - dt.timedelta(days=days),
               today=today)  # fmt: skip
    close = Circle.objects.get(network=network, name="close")
    Person.objects.filter(pk__in=[p[n].pk for n in list(p)[:5]]).update(circle=close)
    assert me_in(network)
    return p


def shoot(page, name: str, tmp_path: Path) -> None:  # noqa: F811
    folder = Path(os.environ.get("KITH_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(100)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name} is {overflow} px wide on a {width} px screen"


def test_dashboard_path_and_graph_on_a_phone_and_a_laptop(page, world, tmp_path):  # noqa: F811
    log_in(page, "owner")
    page.goto("/dashboard/")
    assert page.locator("svg.chart").count() >= 3  # the others say "Nothing to chart yet"
    shoot(page, "dashboard", tmp_path)

    page.goto("/paths/?to=Babbage")
    assert page.locator(".path").count() >= 2
    shoot(page, "path", tmp_path)

    page.goto(f"/people/{world['Tess Turing'].pk}/graph/")
    assert page.locator("svg.graph a").count() >= 5
    shoot(page, "graph", tmp_path)
    page.locator("svg.graph a").first.click()
    page.wait_for_url("**/graph/")

    assert page.csp_violations == []
