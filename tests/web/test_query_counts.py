"""List pages run the same number of queries whatever the size of the network."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


def grow(network, start: int, count: int) -> None:
    for i in range(start, start + count):
        person = make_person(
            network,
            f"Person {i}",
            organization=f"Org {i % 3}",
            title="CTO",
            circle="close",
            tags=[f"tag{i % 4}"],
            emails=[f"p{i}@example.org"],
            connected_on=dt.date(2025, 1, 1),
        )
        log(network, person, on=dt.date(2026, 1, 1) + dt.timedelta(days=i % 20), summary="chat")
        make_follow_up(network, person, f"Promise {i}", due_on=dt.date(2026, 2, 19))


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/today/",
        "/today/live/",
        "/today/sections/follow-ups/?all=1",
        "/today/sections/check-ins/?all=1",
        "/people/",
        "/people/?q=person",
        "/people/?status=due",
        "/organizations/",
        "/tags/",
    ],
)
def test_list_pages_do_not_grow_with_the_network(owner_client, network, url):
    grow(network, 0, 3)
    small = queries(owner_client, url)
    grow(network, 3, 12)
    assert queries(owner_client, url) == small


@pytest.mark.parametrize(
    "url",
    [
        "/people/?page=2",
        "/people/?sort=recent",
        "/people/?sort=added",
        "/people/?tag=tag1",
        "/people/?status=archived",
        "/organizations/?q=org",
        "/milestones/",
    ],
)
def test_people_organizations_and_milestones_do_not_grow_with_the_network(
    owner_client, network, url
):
    grow(network, 0, 3)
    small = queries(owner_client, url)
    grow(network, 3, 60)  # past the first page of People
    assert queries(owner_client, url) == small


def test_person_page_does_not_grow_with_the_timeline(owner_client, network):
    ada = make_person(
        network, "Ada Lovelace", organization="Analytical Engines", emails=["ada@example.org"]
    )
    grace = make_person(network, "Grace Hopper")
    log(network, [ada, grace], on=dt.date(2026, 1, 1))
    make_follow_up(network, ada, "Promise 1", due_on=dt.date(2026, 2, 19))
    small = queries(owner_client, f"/people/{ada.pk}/")
    for day in range(2, 15):
        log(network, [ada, grace], on=dt.date(2026, 1, day))
        make_follow_up(network, ada, f"Promise {day}", due_on=dt.date(2026, 2, 19))
    assert queries(owner_client, f"/people/{ada.pk}/") == small


def grow_every_section(network, start: int, count: int) -> None:
    """People in every part of Today's plan: promises, thanks owed, challenges, occasions."""
    from tests.factories_ledger import received
    from tests.factories_milestones import make_milestone

    for i in range(start, start + count):
        person = make_person(network, f"Friend {i}", circle="close")
        log(network, person, on=dt.date(2025, 6, 1) + dt.timedelta(days=i % 20))
        make_follow_up(network, person, f"Owed {i}", due_on=dt.date(2026, 2, 10))
        received(network, person, on=dt.date(2026, 2, 14))
        make_milestone(network, person, "job-loss", on=dt.date(2026, 2, 18))
        make_milestone(network, person, "promotion", on=dt.date(2026, 2, 20))


def test_today_and_its_plan_do_not_grow_with_the_network(owner_client, network):
    grow_every_section(network, 0, 3)
    small = queries(owner_client, "/today/")
    grow_every_section(network, 3, 12)
    page = owner_client.get("/today/").content.decode()
    assert "Your 5 for today" in page
    assert queries(owner_client, "/today/") == small
