"""Fading ties: strong relationships whose strength is falling fastest, as a Today section
(web, `kith today`), a digest line, each with a check-in draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from kithkin.models import Network
from kithkin.queries.agenda import agenda
from kithkin.queries.digest import digest_for, network_digest
from kithkin.queries.strength import FADING_FALL, FADING_FROM, fading_ties
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def ties(network: Network):
    ada = make_person(network, "Ada Lovelace")  # close until three months ago
    for n in range(95, 400, 30):
        log(network, ada, on=days_ago(n), kind="meeting", direction="inbound")
    cy = make_person(network, "Cy Faded")  # less close, a smaller fall
    for n in range(100, 400, 45):
        log(network, cy, on=days_ago(n), kind="call", direction="inbound")
    bob = make_person(network, "Bob Steady")  # as close as ever
    for n in range(5, 400, 30):
        log(network, bob, on=days_ago(n), kind="meeting")
    return ada, cy, bob


def test_the_section_lists_strong_ties_falling_fastest_first(network, ties):
    ada = ties[0]
    section = fading_ties(network, TODAY)
    assert [item.people[0].name for item in section.items] == ["Ada Lovelace", "Cy Faded"]
    first = section.items[0]
    assert first.draft_kind == "check-in" and first.record_id == ada.pk
    assert first.reason.startswith("strength ") and "in 90 days" in first.reason
    assert first.detail.startswith("Last in touch 95 days ago")
    assert section.total == 2
    assert f"at least {FADING_FROM}" in section.note and f"{FADING_FALL} points" in section.note
    assert "fading" in [s.key for s in agenda(network, TODAY).sections]


def test_an_archived_person_is_not_a_fading_tie(network, ties):
    from kithkin.services.people import archive_person
    from tests.factories import owner_of

    archive_person(network, owner_of(network), ties[0])
    assert [i.people[0].name for i in fading_ties(network, TODAY).items] == ["Cy Faded"]


def test_today_shows_them_with_a_draft(owner, network, ties):
    page = client_for(owner).get("/today/sections/fading/").content.decode()
    assert "Get back in touch with Ada Lovelace" in page
    assert f"/people/{ties[0].pk}/draft/?kind=check-in" in page


def test_kith_today_says_how_to_draft(kith, ties):
    out = kith("today").stdout
    assert "Get back in touch with Ada Lovelace" in out
    assert f"kith draft p{ties[0].pk} --kind check-in" in out


def test_the_digest_has_a_line_for_the_steepest_fall_with_its_draft(owner, network, ties):
    part = network_digest(network, TODAY)
    assert part.fading is not None
    assert part.fading.title == "Get back in touch with Ada Lovelace"
    assert part.fading.reason.endswith("(2 fading in all)")
    assert part.fading.draft_url.endswith(f"/people/{ties[0].pk}/draft/?kind=check-in")
    digest = digest_for(owner, TODAY)
    text = render_to_string("kithkin/email/digest.txt", {"digest": digest})
    html = render_to_string("kithkin/email/digest.html", {"digest": digest})
    assert "Fading tie: Get back in touch with Ada Lovelace" in text
    assert "Draft a check-in" in html


def test_no_line_without_fading_ties(network):
    bob = make_person(network, "Bob Steady")
    log(network, bob, on=days_ago(3), kind="meeting")
    assert network_digest(network, TODAY).fading is None


def test_the_draft_opens_as_a_check_in(owner, ties):
    page = client_for(owner).get(f"/people/{ties[0].pk}/draft/?kind=check-in")
    assert page.status_code == 200
    assert "Ada" in page.content.decode()
