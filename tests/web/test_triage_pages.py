"""The triage page, bulk actions on People, the import's circle, the circle new people join."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Circle, Person
from tests.factories import log, make_person
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(viewer, network):
    """The viewer, working in the owner's network."""
    viewer.current_network = network
    viewer.save(update_fields=["current_network"])
    return client_for(viewer)


@pytest.fixture
def people(network):
    bea = make_person(network, "Bea Met")
    for day in (5, 12, 19):
        log(network, bea, on=dt.date(2026, 1, day), kind="meeting")
    make_person(network, "Eve Never", connected_on=dt.date(2018, 5, 5))
    return network


def circle(network, name: str) -> Circle:
    return Circle.objects.get(network=network, name=name)


def circle_of(name: str) -> str | None:
    person = Person.objects.get(full_name=name)
    return person.circle.name if person.circle else None


def test_triage_page_lists_suggestions_with_evidence(owner_client, people):
    page = owner_client.get("/triage/").content.decode()
    assert "Bea Met" in page and "met 3 times, last 4 weeks ago" in page
    assert "connected 7 years ago" in page
    assert "Accept all 2 suggestions" in page
    assert "Leave the rest as acquaintances" in page
    assert 'href="/triage/"' in page  # the nav offers it while someone has no circle


def test_nav_hides_triage_when_everyone_has_a_circle(owner_client, network):
    make_person(network, "Placed", circle="close")
    assert 'href="/triage/"' not in owner_client.get("/today/").content.decode()


def test_accept_all(owner_client, people):
    response = owner_client.post("/triage/accept/")
    assert response.status_code == 302
    assert (circle_of("Bea Met"), circle_of("Eve Never")) == ("close", "acquaintance")
    page = owner_client.get(response.url).content.decode()
    assert "2 people placed in their suggested circle." in page
    assert "Everyone has a circle: nothing to triage." in page


def test_one_row_by_htmx_then_the_rest(owner_client, people):
    bea = Person.objects.get(full_name="Bea Met")
    response = owner_client.post(
        f"/triage/people/{bea.pk}/",
        {"circle": circle(people, "regular").pk},
        headers={"HX-Request": "true"},
    )
    assert "Joined regular." in response.content.decode()
    assert circle_of("Bea Met") == "regular"
    owner_client.post(
        "/triage/selected/", {"rest": "1", "circle": circle(people, "acquaintance").pk}
    )
    assert circle_of("Eve Never") == "acquaintance"
    assert circle_of("Bea Met") == "regular"


def test_selected_rows(owner_client, people):
    eve = Person.objects.get(full_name="Eve Never")
    owner_client.post(
        "/triage/selected/", {"person": [eve.pk], "circle": circle(people, "close").pk}
    )
    assert (circle_of("Eve Never"), circle_of("Bea Met")) == ("close", None)
    # Connected in 2018 and never talked to since: long overdue.
    assert Person.objects.get(full_name="Eve Never").check_in_due_on == dt.date(2018, 6, 4)


def test_viewer_sees_triage_but_cannot_post(viewer_client, people):
    page = viewer_client.get("/triage/").content.decode()
    assert "Bea Met" in page and "Accept all" not in page
    bea = Person.objects.get(full_name="Bea Met")
    close = circle(people, "close").pk
    assert viewer_client.post("/triage/accept/").status_code == 403
    assert viewer_client.post(f"/triage/people/{bea.pk}/", {"circle": close}).status_code == 403
    assert (
        viewer_client.post("/triage/selected/", {"rest": "1", "circle": close}).status_code == 403
    )
    assert (
        viewer_client.post("/people/bulk/", {"action": "archive", "all_matching": "1"}).status_code
        == 403
    )
    assert circle_of("Bea Met") is None


def test_outsider_gets_404_and_changes_nothing(outsider_client, people):
    bea = Person.objects.get(full_name="Bea Met")
    close = circle(people, "close").pk
    assert outsider_client.post(f"/triage/people/{bea.pk}/", {"circle": close}).status_code == 404
    assert (
        outsider_client.post("/triage/selected/", {"person": [bea.pk], "circle": close}).status_code
        == 404
    )
    page = outsider_client.get("/triage/").content.decode()
    assert "Bea Met" not in page
    outsider_client.post("/people/bulk/", {"action": "archive", "person": [bea.pk]})
    assert Person.objects.get(full_name="Bea Met").archived_at is None
    assert circle_of("Bea Met") is None


def test_people_bulk_by_selection_and_by_filter(owner_client, network):
    ada = make_person(network, "Ada", tags=["conf"])
    make_person(network, "Bob", tags=["conf"])
    make_person(network, "Cy")
    page = owner_client.get("/people/?tag=conf").content.decode()
    assert 'name="all_matching"' in page and f'value="{ada.pk}" form="people-bulk"' in page
    response = owner_client.post(
        "/people/bulk/",
        {"action": "set_circle", "circle_choice": circle(network, "close").pk, "person": [ada.pk]},
    )
    assert circle_of("Ada") == "close" and circle_of("Bob") is None
    response = owner_client.post(
        "/people/bulk/",
        {"action": "add_tag", "bulk_tag": "vip", "all_matching": "1", "tag": "conf"},
    )
    assert response.url == "/people/?tag=conf"
    assert "2 people tagged vip." in owner_client.get(response.url).content.decode()
    assert set(Person.objects.filter(tags__name="vip").values_list("full_name", flat=True)) == {
        "Ada",
        "Bob",
    }
    owner_client.post("/people/bulk/", {"action": "archive", "all_matching": "1", "tag": "vip"})
    assert list(
        Person.objects.filter(archived_at__isnull=True, is_self=False).values_list(
            "full_name", flat=True
        )
    ) == ["Cy"]


def test_import_with_a_circle_then_what_next(owner_client, network):
    cards = (
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = owner_client.get("/import/").content.decode()
    assert "None yet: triage them after the import" in page
    owner_client.post(
        "/import/",
        {"format": "vcard", "file": SimpleUploadedFile("a.vcf", cards), "circle": "regular"},
    )
    response = owner_client.post("/import/preview/", {"confirm": "yes"})
    assert response.url == "/today/"
    assert circle_of("Ada Lovelace") == "regular"
    page = owner_client.get(response.url).content.decode()
    assert "1 people now have a check-in cadence." in page


def test_import_without_a_circle_leads_to_triage(owner_client, network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cards = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
    owner_client.post("/import/", {"format": "vcard", "file": SimpleUploadedFile("a.vcf", cards)})
    response = owner_client.post("/import/preview/", {"confirm": "yes"})
    assert response.url == "/triage/"
    page = owner_client.get(response.url).content.decode()
    assert "1 have no circle and will never be due" in page
    assert "Ada Lovelace" in page


def test_new_people_circle_setting_and_the_add_form(owner_client, viewer_client, network):
    page = owner_client.get("/people/new/").content.decode()
    response = owner_client.post("/people/new/", {"full_name": "Lone Wolf"}, follow=True)
    assert "never be due" in response.content.decode()
    assert (
        viewer_client.post(
            "/settings/new-people-circle/", {"circle": circle(network, "close").pk}
        ).status_code
        == 403
    )
    owner_client.post("/settings/new-people-circle/", {"circle": circle(network, "occasional").pk})
    network.refresh_from_db()
    assert network.new_people_circle.name == "occasional"
    page = owner_client.get("/people/new/").content.decode()
    assert '<option value="occasional" selected>' in page
    response = owner_client.post(
        "/people/new/", {"full_name": "Kai Newcomer", "circle": "occasional"}, follow=True
    )
    assert "never be due" not in response.content.decode()
    assert circle_of("Kai Newcomer") == "occasional"
    owner_client.post("/settings/new-people-circle/", {"circle": ""})
    network.refresh_from_db()
    assert network.new_people_circle is None


def test_teammate_may_triage(network, teammate, people):
    teammate.current_network = network
    teammate.save(update_fields=["current_network"])
    client_for(teammate).post("/triage/accept/")
    assert circle_of("Bea Met") == "close"


def test_triage_page_queries_do_not_grow_with_the_people(owner_client, network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get("/triage/").status_code == 200
        return len(captured)

    for i in range(2):
        log(network, make_person(network, f"Early {i}"), on=dt.date(2026, 1, 1))
    small = queries()
    for i in range(8):
        log(network, make_person(network, f"Later {i}"), on=dt.date(2026, 1, 2))
    assert queries() == small
