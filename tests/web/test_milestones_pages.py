"""The Milestones page, the person panel and the Celebrate / Offer help buttons on Today, as
the owner, a viewer and an outsider see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kithkin.models import Interaction, Milestone, Network
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_milestones import born, make_job, make_milestone

pytestmark = pytest.mark.django_db

D = dt.date


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def ada(network):
    person = born(network, "Ada Lovelace", 2, 21, year=1986)
    make_job(network, person, "Babbage & Co", start_on=D(2023, 3, 2))
    return person


@pytest.fixture
def promotion(network):
    grace = make_person(network, "Grace Hopper")
    return make_milestone(network, grace, "promotion", on=TODAY, title="VP Engineering")


@pytest.fixture
def job_loss(network):
    alan = make_person(network, "Alan Turing")
    return make_milestone(network, alan, "job-loss", on=D(2026, 2, 10))


def test_today_has_celebrate_and_offer_help_with_their_buttons(
    owner_client, ada, promotion, job_loss
):
    page = html(owner_client.get("/today/"))
    assert 'id="section-celebrate"' in page and 'id="section-support"' in page
    assert "Celebrate" in page and "Offer help" in page
    assert "birthday tomorrow (turns 40)" in page
    assert "3 years at Babbage &amp; Co on 2 March" in page
    assert "promotion on 20 February: VP Engineering" in page
    assert "job loss on 10 February" in page
    assert reverse("milestone_celebrate", args=[promotion.pk]) in page
    assert reverse("milestone_celebrate", args=[job_loss.pk]) in page
    assert reverse("person_celebrate", args=[ada.pk]) in page
    assert 'name="occasion" value="birthday:2026"' in page
    assert f'name="occasion" value="anniversary:{ada.affiliations.get().pk}:2026"' in page


def test_celebrating_from_today_swaps_the_row_out(owner_client, ada, network):
    response = owner_client.post(
        reverse("person_celebrate", args=[ada.pk]),
        {"from": "today", "occasion": "birthday:2026"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response.content == b""
    interaction = Interaction.objects.get()
    assert interaction.occasion == "birthday:2026"
    assert list(interaction.participants.all()) == [ada]
    page = html(owner_client.get("/today/"))
    assert "birthday tomorrow" not in page
    assert "3 years at Babbage &amp; Co" in page  # the anniversary is still to celebrate


def test_celebrating_a_milestone_and_offering_help(owner_client, promotion, job_loss):
    response = owner_client.post(
        reverse("milestone_celebrate", args=[promotion.pk]), {"from": "today"}
    )
    assert response.status_code == 302 and response.url == "/today/"
    response = owner_client.post(reverse("milestone_celebrate", args=[job_loss.pk]))
    assert response.url == "/milestones/"
    assert Interaction.objects.filter(milestone=promotion).count() == 1
    assert Interaction.objects.filter(milestone=job_loss).count() == 1
    assert "Offered help to Alan Turing: job loss on 10 February" in html(
        owner_client.get("/milestones/")
    )
    page = html(owner_client.get("/today/"))
    assert "VP Engineering" not in page and "job loss on 10 February" not in page


def test_celebrating_twice_says_so(owner_client, promotion):
    url = reverse("milestone_celebrate", args=[promotion.pk])
    owner_client.post(url)
    page = html(owner_client.post(url, follow=True))
    assert "is already celebrated" in page
    assert Interaction.objects.count() == 1


def test_the_milestones_page(owner_client, ada, promotion, job_loss):
    page = html(owner_client.get("/milestones/"))
    assert "<h1>Milestones</h1>" in page
    assert "Coming up" in page and "Recent challenges" in page
    assert "Birthday tomorrow (turns 40)" in page
    assert "Promotion on 20 February: VP Engineering" in page
    assert "Job loss on 10 February" in page
    assert reverse("milestone_window") in page and 'value="14"' in page
    assert reverse("milestone_new") in page
    assert reverse("milestone_delete", args=[promotion.pk]) in page


def test_the_page_looks_30_days_ahead(owner_client, network):
    born(network, "In A Month", 3, 22)  # today + 30
    born(network, "Too Far", 3, 23)
    page = html(owner_client.get("/milestones/"))
    assert "In A Month" in page and "Too Far" not in page
    assert "In A Month" not in html(owner_client.get("/today/"))  # Today: 14 days


def test_adding_a_milestone_from_the_page(owner_client, ada):
    response = owner_client.post(
        "/milestones/new/",
        {"person": "Ada", "kind": "launch", "on": "03-14", "yearly": "on", "title": "Pi day"},
    )
    assert response.status_code == 302 and response.url == "/milestones/"
    milestone = Milestone.objects.get()
    assert (milestone.kind, milestone.year, milestone.month, milestone.day) == (
        "launch",
        None,
        3,
        14,
    )
    assert milestone.recurs_yearly and milestone.person == ada
    page = html(owner_client.get("/milestones/"))
    assert "Added a milestone for Ada Lovelace: launch: Pi day." in page
    assert "Launch on 14 March: Pi day" in page  # 22 days ahead, within the page's 30


def test_adding_shows_what_is_wrong(owner_client, ada):
    page = html(
        owner_client.post(
            "/milestones/new/", {"person": "Ada", "kind": "launch", "on": "03-14"}, follow=True
        )
    )
    assert "Could not add the milestone: on: a date without a year needs --yearly" in page
    page = html(
        owner_client.post(
            "/milestones/new/",
            {"person": "Nobody", "kind": "launch", "on": "2026-03-14"},
            follow=True,
        )
    )
    assert "No one called" in page
    assert not Milestone.objects.exists()


def test_the_person_panel_and_its_form(owner_client, ada, network):
    make_milestone(network, ada, "award", on=D(2025, 6, 1), title="Lovelace Medal")
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    assert 'id="milestones-panel"' in page
    assert "Birthday tomorrow (turns 40)" in page
    assert "3 years at Babbage &amp; Co on 2 March" in page
    assert "Award on 1 June 2025: Lovelace Medal" in page
    assert f'name="person_id" value="{ada.pk}"' in page
    response = owner_client.post(
        "/milestones/new/",
        {
            "person_id": str(ada.pk),
            "from": "person",
            "kind": "illness",
            "on": "2026-02-20",
            "note": "Flu",
        },
    )
    assert response.url == f"/people/{ada.pk}/"
    assert Milestone.objects.filter(kind="illness", person=ada).exists()
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    assert "Illness on 20 February" in page and "Offer help" in page
    response = owner_client.post(reverse("person_celebrate", args=[ada.pk]), {"from": "person"})
    assert response.url == f"/people/{ada.pk}/"
    # The nearest: the illness today, before the birthday tomorrow.
    assert Interaction.objects.get().summary == "Offered help: illness"


def test_removing_a_milestone(owner_client, promotion):
    response = owner_client.post(
        reverse("milestone_delete", args=[promotion.pk]), {"from": "person"}
    )
    assert response.url == f"/people/{promotion.person_id}/"
    assert not Milestone.objects.exists()


def test_changing_the_window(owner_client, network):
    born(network, "Three Weeks", 3, 13)
    assert "Three Weeks" not in html(owner_client.get("/today/"))
    response = owner_client.post("/milestones/window/", {"celebrate_within_days": "21"})
    assert response.url == "/milestones/"
    network.refresh_from_db()
    assert network.celebrate_within_days == 21
    assert "Three Weeks" in html(owner_client.get("/today/"))
    page = html(
        owner_client.post("/milestones/window/", {"celebrate_within_days": "0"}, follow=True)
    )
    assert "Could not change the window" in page
    network.refresh_from_db()
    assert network.celebrate_within_days == 21


def test_the_page_uses_the_networks_date(owner_client, network):
    Network.objects.filter(pk=network.pk).update(time_zone="Pacific/Auckland")
    born(network, "Kiri Te Kanawa", 2, 21)
    with time_machine.travel(dt.datetime(2026, 2, 20, 11, 30, tzinfo=dt.UTC), tick=False):
        page = html(owner_client.get("/milestones/"))
    assert "Saturday 21 February 2026" in page and "Birthday today" in page


def test_a_viewer_sees_but_cannot_change(viewer_client, viewer, network, ada, promotion):
    viewer.current_network = network
    viewer.save()
    page = html(viewer_client.get("/milestones/"))
    assert "Promotion on 20 February" in page
    assert reverse("milestone_new") not in page and "Celebrate</button>" not in page
    assert "Celebrate</button>" not in html(viewer_client.get("/today/"))
    assert reverse("milestone_new") not in html(viewer_client.get(f"/people/{ada.pk}/"))
    for url, data in [
        (reverse("milestone_new"), {"person": "Ada", "kind": "launch", "on": "2026-02-20"}),
        (reverse("milestone_celebrate", args=[promotion.pk]), {}),
        (reverse("person_celebrate", args=[ada.pk]), {"occasion": "birthday:2026"}),
        (reverse("milestone_delete", args=[promotion.pk]), {}),
        (reverse("milestone_window"), {"celebrate_within_days": "30"}),
    ]:
        assert viewer_client.post(url, data).status_code == 403, url
    assert Milestone.objects.count() == 1 and not Interaction.objects.exists()
    network.refresh_from_db()
    assert network.celebrate_within_days == 14


def test_an_outsider_gets_404(outsider_client, ada, promotion):
    for url in [
        reverse("milestone_celebrate", args=[promotion.pk]),
        reverse("person_celebrate", args=[ada.pk]),
        reverse("milestone_delete", args=[promotion.pk]),
    ]:
        assert outsider_client.post(url, {"occasion": "birthday:2026"}).status_code == 404, url
    response = outsider_client.post(
        reverse("milestone_new"),
        {"person_id": str(ada.pk), "kind": "launch", "on": "2026-02-20"},
    )
    assert response.status_code == 404
    assert "Ada" not in html(outsider_client.get("/milestones/"))
    assert Milestone.objects.count() == 1 and not Interaction.objects.exists()


def test_anonymous_visitors_log_in_first(client):
    response = client.get("/milestones/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_page_does_not_grow_with_the_network(owner_client, network):
    def grow(start: int, count: int) -> None:
        for i in range(start, start + count):
            person = born(network, f"Person {i}", 2, 21 + i % 7)
            make_job(network, person, f"Org {i % 3}", start_on=D(2020, 2, 22 + i % 5))
            make_milestone(network, person, "promotion", on=D(2026, 2, 18))
            make_milestone(network, person, "job-loss", on=D(2026, 2, 10))

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            html(owner_client.get(url))
        return len(captured)

    grow(0, 2)
    small = {url: queries(url) for url in ("/milestones/", "/today/")}
    grow(2, 10)
    assert {url: queries(url) for url in ("/milestones/", "/today/")} == small
