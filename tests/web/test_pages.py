"""Every page, as its users see it: owner, viewer and anonymous."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from kithkin.models import FollowUp, Interaction, Person
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        organization="Analytical Engines",
        title="CTO",
        circle="close",
        tags=["mentor-candidate"],
        connected_on=dt.date(2025, 1, 1),
        what_matters="Her **compiler** project",
        notes="Met at *PyCon*",
    )
    log(
        network,
        ada,
        on=dt.date(2026, 1, 10),
        summary="Talked about her compiler project",
        learned="She is hiring",
    )
    make_follow_up(network, ada, "Send her the paper on compilers", due_on=dt.date(2026, 2, 18))
    return ada


def html(response) -> str:
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, ada):
    for name, args in [("today", []), ("people", []), ("person", [ada.pk]), ("settings", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response.url.startswith("/login/")


def test_today_shows_follow_ups_and_check_ins_with_their_reasons(owner_client, ada):
    page = html(owner_client.get("/today/"))
    assert "Friday 20 February 2026" in page
    assert "Send her the paper on compilers" in page
    assert "overdue by 2 days (due 2026-02-18)" in page
    assert "Ada Lovelace" in page
    assert "last talked 41 days ago, cadence 30 days" in page


def test_done_from_today_updates_in_place_with_htmx(owner_client, ada):
    follow_up = FollowUp.objects.get()
    response = owner_client.post(f"/follow-ups/{follow_up.pk}/done/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content == b""  # the row is swapped out
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert f'id="follow-up-{follow_up.pk}"' not in html(owner_client.get("/today/"))


def test_done_without_javascript_redirects_back(owner_client, ada):
    follow_up = FollowUp.objects.get()
    response = owner_client.post(f"/follow-ups/{follow_up.pk}/done/")
    assert response.status_code == 302
    assert response.url == "/today/"


def test_snooze_a_check_in_from_today(owner_client, ada):
    response = owner_client.post(
        f"/people/{ada.pk}/snooze/",
        {"until": "2026-03-01", "from": "today"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content == b""
    ada.refresh_from_db()
    assert ada.check_in_due_on == dt.date(2026, 3, 1)
    assert "last talked 41 days ago" not in html(owner_client.get("/today/"))


def test_log_an_interaction_from_today(owner_client, ada):
    response = owner_client.post(
        f"/people/{ada.pk}/log/",
        {
            "kind": "call",
            "on": "2026-02-20",
            "summary": "Quick call",
            "direction": "mutual",
            "from": "today",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.content == b""
    assert Interaction.objects.filter(summary="Quick call", participants=ada).exists()
    ada.refresh_from_db()
    assert ada.check_in_due_on == dt.date(2026, 3, 22)


def test_person_page_shows_who_they_are_first(owner_client, ada):
    page = html(owner_client.get(f"/people/{ada.pk}/"))
    assert page.index("What matters to them") < page.index("Timeline")
    assert "<strong>compiler</strong>" not in page  # what matters is plain text
    assert "<em>PyCon</em>" in page  # notes are Markdown
    assert 'href="mailto:ada@example.org"' in page
    assert "CTO at Analytical Engines" in page
    assert "Learned:</strong> She is hiring" in page
    assert "Send her the paper on compilers" in page
    assert "#mentor-candidate" in page


def test_add_a_person_with_field_errors_next_to_the_field(owner_client, network):
    response = owner_client.post(
        "/people/new/", {"full_name": "Grace Hopper", "emails": "grace@", "circle": ""}
    )
    assert response.status_code == 200
    page = html(response)
    assert 'class="field has-error"' in page
    assert "is not a valid email address" in page
    assert not Person.objects.filter(full_name="Grace Hopper").exists()
    response = owner_client.post(
        "/people/new/",
        {
            "full_name": "Grace Hopper",
            "emails": "grace@navy.mil",
            "circle": "close",
            "tags": "navy, cobol",
            "cadence": "3w",
        },
    )
    grace = Person.objects.get(full_name="Grace Hopper")
    assert response.url == f"/people/{grace.pk}/"
    assert (grace.circle.name, grace.cadence_days) == ("close", 21)
    assert sorted(grace.tags.values_list("name", flat=True)) == ["cobol", "navy"]


def test_edit_archive_and_delete(owner_client, ada):
    response = owner_client.post(
        f"/people/{ada.pk}/edit/",
        {"full_name": "Ada King", "circle": "regular", "cadence": "", "tags": "math"},
    )
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.full_name, ada.circle.name) == ("Ada King", "regular")
    owner_client.post(f"/people/{ada.pk}/archive/")
    ada.refresh_from_db()
    assert ada.archived_at is not None
    assert f'href="/people/{ada.pk}/"' not in html(owner_client.get("/people/"))
    assert "Delete Ada King?" in html(owner_client.get(f"/people/{ada.pk}/delete/"))
    response = owner_client.post(f"/people/{ada.pk}/delete/")
    assert response.url == "/people/"
    assert not Person.objects.filter(pk=ada.pk).exists()


def test_people_search_filters_and_htmx_partial(owner_client, ada, network):
    make_person(network, "Grace Hopper", organization="US Navy", circle="regular")
    page = html(owner_client.get("/people/?q=engines"))
    assert "Ada Lovelace" in page and "Grace Hopper" not in page
    partial = owner_client.get(
        "/people/?q=navy", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="people-results"
    )
    assert html(partial).lstrip().startswith('<section id="people-results"')
    assert "Grace Hopper" in html(partial)
    assert "Grace Hopper" in html(owner_client.get("/people/?circle=regular"))
    assert "Grace Hopper" not in html(owner_client.get("/people/?tag=mentor-candidate"))
    assert "Ada Lovelace" in html(owner_client.get("/people/?status=due"))


def test_people_paginates(owner_client, network):
    for i in range(55):
        make_person(network, f"Person {i:02d}")
    first = html(owner_client.get("/people/"))
    assert "Page 1 of 2" in first and "Person 00" in first and "Person 54" not in first
    assert "Person 54" in html(owner_client.get("/people/?page=2"))


def test_people_past_the_count_limit_say_more_than_and_page_on(owner_client, network, monkeypatch):
    from kithkin.queries import people_list

    monkeypatch.setattr(people_list, "COUNT_LIMIT", 52)
    for i in range(105):
        make_person(network, f"Person {i:03d}")
    first = html(owner_client.get("/people/"))
    assert "More than 52 people." in first and "Page 1</span>" in first and 'rel="next"' in first
    last = html(owner_client.get("/people/?page=3"))
    assert "Person 104" in last and "Page 3 of 3" in last and 'rel="next"' not in last


def test_organizations_tags_and_settings_pages(owner_client, ada):
    organization = ada.affiliations.get().organization
    assert "Analytical Engines" in html(owner_client.get("/organizations/"))
    assert "Ada Lovelace" in html(owner_client.get(f"/organizations/{organization.pk}/"))
    assert "#mentor-candidate" in html(owner_client.get("/tags/"))
    settings_page = html(owner_client.get("/settings/"))
    assert "Europe/Paris" in settings_page and "every 30 days" in settings_page


def test_settings_change_budget_time_zone_and_circle(owner_client, network, owner):
    owner_client.post("/settings/", {"time_zone": "America/New_York", "daily_outreach_budget": 8})
    owner.refresh_from_db()
    network.refresh_from_db()
    assert (owner.time_zone, network.daily_outreach_budget) == ("America/New_York", 8)
    bad = owner_client.post("/settings/", {"time_zone": "Mars/Base", "daily_outreach_budget": 8})
    assert "is not a time zone" in html(bad)
    close = network.circles.get(name="close")
    owner_client.post(f"/settings/circles/{close.pk}/", {f"circle-{close.pk}-cadence": "2w"})
    close.refresh_from_db()
    assert close.cadence_days == 14


def test_a_viewer_sees_but_cannot_change(viewer_client, ada, viewer, network):
    viewer.current_network = network
    viewer.save()
    page = html(viewer_client.get("/today/"))
    assert "Send her the paper on compilers" in page
    assert "view only" in page
    assert ">Done</button>" not in page
    assert viewer_client.get(f"/people/{ada.pk}/edit/").status_code == 403
    assert viewer_client.get("/people/new/").status_code == 403
    assert (
        viewer_client.post(
            f"/people/{ada.pk}/log/", {"kind": "call", "on": "2026-02-20"}
        ).status_code
        == 403
    )
    assert viewer_client.post(f"/follow-ups/{FollowUp.objects.get().pk}/done/").status_code == 403
    assert not FollowUp.objects.filter(done_at__isnull=False).exists()


def test_dates_show_in_the_users_time_zone(owner_client, ada, owner, network):
    from kithkin import clock
    from kithkin.services.interactions import log_interaction

    # 23:30 UTC on 19 February is already 20 February in Paris.
    log_interaction(
        network,
        owner,
        kind="call",
        people=[ada],
        occurred_at=dt.datetime(2026, 2, 19, 23, 30, tzinfo=dt.UTC),
        summary="Late call",
    )
    assert "20 Feb 2026" in html(owner_client.get(f"/people/{ada.pk}/"))
    assert clock.today_in(owner.time_zone) == TODAY


def test_a_wall_of_follow_ups_is_collapsed_until_show_all(owner_client, network):
    ada = make_person(network)
    for day in range(1, 26):
        make_follow_up(network, ada, f"Promise {day:02d}", due_on=dt.date(2026, 1, day))
    page = html(owner_client.get("/today/"))
    assert "Promise 03" in page
    assert "Promise 21" not in page
    assert "Show all 25" in page
    section = html(owner_client.get("/today/sections/follow-ups/?all=1"))
    assert "Promise 25" in section
    assert "Show all" not in section


def test_an_interaction_in_the_future_is_refused_as_in_the_cli(owner_client, ada):
    response = owner_client.post(
        f"/people/{ada.pk}/log/",
        {"kind": "call", "on": "2026-03-01", "summary": "Not yet", "direction": "mutual"},
        follow=True,
    )
    assert "2026-03-01 is in the future" in html(response)
    assert not Interaction.objects.filter(summary="Not yet").exists()


def test_a_contact_point_of_someone_else_cannot_be_removed_through_another_person(
    owner_client, ada, network
):
    grace = make_person(network, "Grace Hopper", emails=["grace@navy.example"])
    point = grace.contact_points.get()
    assert (
        owner_client.post(f"/people/{ada.pk}/contact-points/{point.pk}/remove/").status_code == 404
    )
    assert grace.contact_points.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/today/",
        "/people/",
        "/people/new/",
        "/organizations/",
        "/tags/",
        "/events/",
        "/ledger/",
        "/milestones/",
        "/mentorships/",
        "/opportunities/",
        "/dashboard/",
        "/duplicates/",
        "/triage/",
        "/import/",
        "/network/",
        "/settings/",
        "/settings/message-templates/",
    ],
)
def test_every_page_title_is_a_few_plain_words(owner_client, ada, url):
    """The title is what a tab, a bookmark and a screen reader say first: a block of page
    markup leaking into it (as a section once did on Settings) reads as garbage there."""
    page = html(owner_client.get(url))
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None, url
    text = title.group(1)
    assert "<" not in text and "&lt;" not in text, (url, text[:200])
    assert text.endswith(" · Kithkin") and len(text) < 80, (url, text[:200])
