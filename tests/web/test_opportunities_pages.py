"""The opportunity pages as their users see them: the board, one opportunity with its matches
and shares, the dashboard, Today's "worth sharing" and the person panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kithkin.models import Interaction, Opportunity, OpportunityShare
from tests.conftest import TODAY
from tests.factories import make_person, network_of
from tests.factories_opportunities import make_compiler_engineer, make_opportunity, make_share
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(network):
    return make_compiler_engineer(network)


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace")


@pytest.fixture
def job(network, grace, ada):
    return make_opportunity(
        network,
        "Staff engineer at Babbage",
        organization="Babbage",
        tags=["rust", "compilers"],
        source=ada,
        deadline=TODAY + dt.timedelta(days=9),
        url="https://babbage.example/jobs/1",
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_board_lists_and_filters(owner_client, network, job):
    make_opportunity(network, "Talk at RustConf", kind="speaking", for_me=True, status="won")
    page = html(owner_client.get(reverse("opportunities")))
    assert "Staff engineer at Babbage" in page and "from <a" in page
    assert "Talk at RustConf" not in page  # won: not on the active board
    page = html(owner_client.get(reverse("opportunities") + "?status=all&for=me"))
    assert "Talk at RustConf" in page and "Staff engineer at Babbage" not in page
    page = html(owner_client.get(reverse("opportunities") + "?kind=speaking&status=won"))
    assert "Talk at RustConf" in page


def test_adding_one_from_the_form(owner_client, network, ada):
    response = owner_client.post(
        reverse("opportunity_new"),
        {
            "title": "Compiler grant",
            "kind": "grant",
            "organization": "Babbage Foundation",
            "tags": "compilers, rust",
            "url": "",
            "deadline": "2026-03-15",
            "source": "Ada",
            "description": "For open compilers",
        },
    )
    item = Opportunity.objects.get()
    assert response.status_code == 302 and response.url == reverse("opportunity", args=[item.pk])
    assert (item.kind, item.source, item.deadline) == ("grant", ada, dt.date(2026, 3, 15))
    assert sorted(item.tags.values_list("name", flat=True)) == ["compilers", "rust"]


def test_the_form_shows_errors_next_to_their_field(owner_client, network):
    response = owner_client.post(
        reverse("opportunity_new"),
        {"title": "A job", "kind": "job", "url": "javascript:alert(1)"},
    )
    page = html(response)
    assert "is not a web address (http, https or mailto only)" in page
    assert not Opportunity.objects.exists()
    page = html(
        owner_client.post(
            reverse("opportunity_new"), {"title": "A job", "kind": "job", "source": "Nobody"}
        )
    )
    assert "No one called" in page


def test_the_opportunity_page_shows_matches_with_reasons(owner_client, job):
    page = html(owner_client.get(reverse("opportunity", args=[job.pk])))
    assert "Brought by" in page and "Ada Lovelace" in page
    assert "Grace Hopper" in page
    assert "tags: compilers, rust · title: Staff Engineer" in page
    assert "what matters: &#x27;Wants to move into compilers&#x27;" in page
    assert reverse("opportunity_share", args=[job.pk]) in page


def test_sharing_from_the_page(owner_client, job, grace):
    response = owner_client.post(
        reverse("opportunity_share", args=[job.pk]),
        {"person_id": grace.pk, "note": "Thought of you"},
    )
    assert response.status_code == 302
    share = OpportunityShare.objects.get()
    assert (share.person, share.note, share.outcome) == (grace, "Thought of you", "pending")
    assert Interaction.objects.get().summary == "Shared: Staff engineer at Babbage"
    page = html(owner_client.get(reverse("opportunity", args=[job.pk])))
    assert "no answer yet" in page and "already shared" in page
    # Sharing again is refused with a message, and changes nothing.
    owner_client.post(reverse("opportunity_share", args=[job.pk]), {"person_id": grace.pk})
    assert OpportunityShare.objects.count() == 1


def test_outcome_and_status_from_the_page(owner_client, network, job, grace):
    share = make_share(network, job, grace)
    owner_client.post(reverse("share_outcome", args=[share.pk]), {"outcome": "applied"})
    share.refresh_from_db()
    assert share.outcome == "applied"
    owner_client.post(reverse("opportunity_status", args=[job.pk]), {"status": "won"})
    job.refresh_from_db()
    assert job.status == "won"
    owner_client.post(reverse("share_outcome", args=[share.pk]), {"outcome": "maybe"})
    share.refresh_from_db()
    assert share.outcome == "applied"


def test_viewers_see_but_cannot_change(viewer_client, viewer, network, job, grace):
    viewer.current_network = network
    viewer.save()
    share = make_share(network, job, grace)
    page = html(viewer_client.get(reverse("opportunity", args=[job.pk])))
    assert "Grace Hopper" in page
    assert reverse("opportunity_share", args=[job.pk]) not in page
    assert viewer_client.get(reverse("opportunity_new")).status_code == 403
    for url, data in [
        (reverse("opportunity_new"), {"title": "x", "kind": "job"}),
        (reverse("opportunity_share", args=[job.pk]), {"person_id": grace.pk}),
        (reverse("opportunity_status", args=[job.pk]), {"status": "won"}),
        (reverse("share_outcome", args=[share.pk]), {"outcome": "won"}),
    ]:
        assert viewer_client.post(url, data).status_code == 403
    job.refresh_from_db()
    share.refresh_from_db()
    assert (job.status, share.outcome, Opportunity.objects.count()) == ("shared", "pending", 1)


def test_outsiders_get_404(outsider_client, network, job, grace):
    share = make_share(network, job, grace)
    for name, args in [("opportunity", [job.pk])]:
        assert outsider_client.get(reverse(name, args=args)).status_code == 404
    for name, args, data in [
        ("opportunity_share", [job.pk], {"person_id": grace.pk}),
        ("opportunity_status", [job.pk], {"status": "won"}),
        ("share_outcome", [share.pk], {"outcome": "won"}),
    ]:
        assert outsider_client.post(reverse(name, args=args), data).status_code == 404
    page = html(outsider_client.get(reverse("opportunities")))
    assert "Staff engineer at Babbage" not in page


def test_sharing_with_someone_of_another_network_is_404(owner_client, job, outsider):
    stranger = make_person(network_of(outsider), "Stranger")
    response = owner_client.post(
        reverse("opportunity_share", args=[job.pk]), {"person_id": stranger.pk}
    )
    assert response.status_code == 404
    assert not OpportunityShare.objects.exists()


def test_the_dashboard_counts_what_came_through_the_network(owner_client, network, job, grace):
    make_opportunity(network, "Found it myself", status="won")
    Opportunity.objects.filter(pk=job.pk).update(status="won")
    make_share(network, make_opportunity(network, "Other", tags=["rust"]), grace, outcome="won")
    page = html(owner_client.get(reverse("dashboard")))
    assert "1 of 3 opportunities came through someone you know; 1 of the 2 won." in page
    assert "Ada Lovelace" in page
    assert "You shared 1 time; 1 taken up" in page


def test_today_offers_to_share_with_the_top_match(owner_client, job):
    # Matching is the slowest part of Today: the page loads the section right after.
    today = html(owner_client.get(reverse("today")))
    section_url = reverse("today_section", args=["opportunities"])
    assert f'hx-get="{section_url}" hx-trigger="load"' in today
    assert "Worth sharing" not in today
    page = html(owner_client.get(section_url, HTTP_HX_REQUEST="true"))
    assert "Worth sharing" in page
    assert "Share Staff engineer at Babbage" in page
    assert "deadline in 9 days" in page
    assert "Share with Grace Hopper" in page


def test_the_person_page_shows_the_panel(owner_client, network, job, grace, ada):
    make_share(network, job, grace)
    page = html(owner_client.get(reverse("person", args=[ada.pk])))
    assert "They brought" in page and "Staff engineer at Babbage" in page
    page = html(owner_client.get(reverse("person", args=[grace.pk])))
    assert "Shared with them" in page and "no answer yet" in page


def test_sections_load_on_their_own(owner_client, viewer, network, job):
    assert owner_client.get(reverse("today_section", args=["thanks"])).status_code == 200
    assert owner_client.get(reverse("today_section", args=["nonsense"])).status_code == 404
    viewer.current_network = network
    viewer.save()
    viewer_client = client_for(viewer)
    page = html(viewer_client.get(reverse("today_section", args=["opportunities"])))
    assert "Share Staff engineer at Babbage" in page
    assert "Share with Grace Hopper" not in page  # a viewer sees, never shares


def test_anonymous_visitors_are_sent_to_log_in(client, job):
    for name, args in [("opportunities", []), ("opportunity", [job.pk]), ("dashboard", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response.url.startswith("/login/")
