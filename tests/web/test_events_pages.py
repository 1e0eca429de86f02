"""The events pages as their users see them: the list, an event, its forms, "met someone
here" with its near-match step, the agenda's "met" row, and the person page panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.models import Attendance, Event, FollowUp, Person
from tests.conftest import TODAY
from tests.factories import log, make_person
from tests.factories_events import make_event, meet
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def pycon(network):
    return make_event(
        network,
        "PyCon US 2026",
        starts_on=TODAY - 3 * DAY,
        location="Long Beach",
        url="https://us.pycon.org/2026/",
        organizer="Python Software Foundation",
        notes="The *sprints* were the best part",
        tags=["python"],
    )


def test_the_events_list_shows_upcoming_events_first_then_past_ones(owner_client, network, pycon):
    make_event(network, "DjangoCon Europe", starts_on=TODAY + 60 * DAY, status="going")
    make_event(network, "Paris.py", starts_on=TODAY + 10 * DAY, kind="meetup", status="interested")
    meet(network, pycon, "Grace Hopper")
    page = html(owner_client.get("/events/"))
    assert page.index("Paris.py") < page.index("DjangoCon Europe") < page.index("PyCon US 2026")
    assert page.index("Upcoming") < page.index("Paris.py")
    assert page.index("Past") < page.index("PyCon US 2026")
    assert "met 1 person" in page
    assert "Add an event" in page


def test_the_events_list_costs_the_same_whatever_the_number_of_events(owner_client, network):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get("/events/").status_code == 200
        return len(captured)

    make_event(network, "Event 0", organizer="Org 0")
    small = queries()
    for i in range(1, 8):
        event = make_event(network, f"Event {i}", organizer=f"Org {i}", starts_on=TODAY + i * DAY)
        meet(network, event, f"Person {i}", new=True)
    assert queries() == small


def test_the_event_page_shows_details_who_i_met_and_who_i_still_owe(owner_client, network, pycon):
    grace = meet(network, pycon, "Grace Hopper", note="talked about COBOL").person
    alan = make_person(network, "Alan Kay")
    Attendance.objects.create(event=pycon, person=alan, note="Smalltalk")
    page = html(owner_client.get(f"/events/{pycon.pk}/"))
    for text in (
        "PyCon US 2026",
        "Long Beach",
        "Python Software Foundation",
        'href="https://us.pycon.org/2026/"',
        "#python",
        "The <em>sprints</em> were the best part",
        "talked about COBOL",
        "Smalltalk",
        "follow-up due 22 Feb",
        "no follow-up yet",
        "Met someone here",
    ):
        assert text in page, text
    owed = page.split('id="to-follow-up"')[1].split("</section>")[0]
    assert "Grace Hopper" in owed and "Alan Kay" in owed
    assert f'action="/events/{pycon.pk}/people/{alan.pk}/follow-up/"' in owed
    # The open follow-up links to its draft, ready to copy.
    follow_up = FollowUp.objects.get(people=grace)
    assert f'href="/follow-ups/{follow_up.pk}/draft/"' in owed


def test_user_text_on_the_event_page_is_escaped(owner_client, network):
    event = make_event(network, "<script>alert(1)</script>", notes="<img src=x onerror=alert(1)>")
    meet(network, event, "Grace Hopper", note="<b>bold</b>")
    page = html(owner_client.get(f"/events/{event.pk}/"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<img" not in page


def test_adding_and_editing_an_event(owner_client, network):
    assert "Add an event" in html(owner_client.get("/events/new/"))
    response = owner_client.post(
        "/events/new/",
        {
            "name": "PyCon US 2027",
            "kind": "conference",
            "starts_on": "2027-05-14",
            "ends_on": "2027-05-22",
            "location": "Long Beach",
            "url": "",
            "organizer": "PSF",
            "status": "going",
            "tags": "python, travel",
            "notes": "",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == f"/events/{event.pk}/"
    assert event.organizer is not None and event.organizer.name == "PSF"
    assert sorted(event.tags.values_list("name", flat=True)) == ["python", "travel"]
    form = html(owner_client.get(f"/events/{event.pk}/edit/"))
    assert 'value="PyCon US 2027"' in form and 'value="python, travel"' in form
    response = owner_client.post(
        f"/events/{event.pk}/edit/",
        {
            "name": "PyCon US 2027",
            "kind": "conference",
            "starts_on": "2027-05-14",
            "ends_on": "2027-05-01",
            "status": "going",
        },
    )
    page = html(response)
    assert "is before the start (2027-05-14)" in page
    event.refresh_from_db()
    assert event.ends_on == dt.date(2027, 5, 22)
    response = owner_client.post(
        f"/events/{event.pk}/edit/",
        {
            "name": "PyCon US 2027",
            "kind": "conference",
            "starts_on": "2027-05-15",
            "status": "attended",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.starts_on, event.ends_on, event.status, event.organizer) == (
        dt.date(2027, 5, 15),
        None,
        "attended",
        None,
    )


def test_met_someone_new_here(owner_client, network, pycon):
    response = owner_client.post(
        f"/events/{pycon.pk}/met/",
        {"full_name": "Grace Hopper", "note": "talked about COBOL", "email": "grace@navy.example"},
        follow=True,
    )
    page = html(response)
    assert "Added Grace Hopper at PyCon US 2026. Follow-up due 22 Feb, with a draft." in page
    grace = Person.objects.get(full_name="Grace Hopper")
    follow_up = FollowUp.objects.get(people=grace)
    assert "Great to meet you at PyCon US 2026" in follow_up.draft
    assert grace.contact_points.get().value == "grace@navy.example"


def test_met_someone_close_to_a_known_name_asks_which(owner_client, network, pycon):
    grace = make_person(network, "Grace Hopper", organization="US Navy", title="Rear Admiral")
    before = Person.objects.count()
    page = html(
        owner_client.post(f"/events/{pycon.pk}/met/", {"full_name": "Grace Hoper", "note": "COBOL"})
    )
    assert "“Grace Hoper” is close to someone you know" in page
    assert "Rear Admiral at US Navy" in page
    assert f'name="person" value="{grace.pk}"' in page
    assert "Add Grace Hoper as someone new" in page
    assert Person.objects.count() == before and not Attendance.objects.exists()
    # Picking her.
    owner_client.post(
        f"/events/{pycon.pk}/met/",
        {"full_name": "Grace Hoper", "note": "COBOL", "person": str(grace.pk)},
    )
    assert Attendance.objects.get().person == grace
    assert Person.objects.count() == before
    # Or confirming someone new.
    owner_client.post(
        f"/events/{pycon.pk}/met/", {"full_name": "Grace Hoper", "note": "COBOL", "new": "1"}
    )
    assert Person.objects.filter(full_name="Grace Hoper").exists()


def test_met_form_errors_come_back_as_a_message(owner_client, network, pycon):
    page = html(owner_client.post(f"/events/{pycon.pk}/met/", {"full_name": ""}, follow=True))
    assert "Could not record it" in page
    page = html(
        owner_client.post(
            f"/events/{pycon.pk}/met/", {"full_name": "Grace", "email": "grace@"}, follow=True
        )
    )
    assert "Could not record it: email:" in page
    assert not Attendance.objects.exists()


def test_a_viewer_sees_events_but_changes_nothing(network, pycon, viewer):
    viewer.current_network = network
    viewer.save()
    meet(network, pycon, "Grace Hopper")
    client = client_for(viewer)
    page = html(client.get(f"/events/{pycon.pk}/"))
    assert "Grace Hopper" in page
    assert "Met someone here" not in page and "Add follow-up" not in page
    assert "Add an event" not in html(client.get("/events/"))
    assert client.get("/events/new/").status_code == 403
    assert client.get(f"/events/{pycon.pk}/edit/").status_code == 403
    grace = Person.objects.get(full_name="Grace Hopper")
    for url, data in (
        ("/events/new/", {"name": "X", "kind": "meetup", "starts_on": "2026-03-01"}),
        (f"/events/{pycon.pk}/met/", {"full_name": "Alan Kay"}),
        (f"/events/{pycon.pk}/people/{grace.pk}/follow-up/", {}),
    ):
        assert client.post(url, data).status_code == 403
    assert Event.objects.count() == 1 and Attendance.objects.count() == 1


def test_an_outsider_gets_404_on_another_networks_event(network, pycon, outsider):
    client = client_for(outsider)
    assert client.get(f"/events/{pycon.pk}/").status_code == 404
    assert client.post(f"/events/{pycon.pk}/met/", {"full_name": "X"}).status_code == 404
    assert "PyCon" not in html(client.get("/events/"))


def test_today_shows_people_met_without_a_follow_up_and_the_button_adds_one(
    owner_client, network, pycon
):
    grace = make_person(network, "Grace Hopper")
    Attendance.objects.create(event=pycon, person=grace, note="COBOL")
    log(network, grace, on=TODAY - 3 * DAY, kind="event", event=pycon, summary="COBOL")
    page = html(owner_client.get("/today/"))
    assert "Follow up with Grace Hopper" in page
    assert "met at PyCon US 2026 3 days ago, no follow-up yet" in page
    button = f'action="/events/{pycon.pk}/people/{grace.pk}/follow-up/"'
    assert button in page
    response = owner_client.post(
        f"/events/{pycon.pk}/people/{grace.pk}/follow-up/",
        {"from": "today"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response.content == b""
    follow_up = FollowUp.objects.get(people=grace)
    assert follow_up.due_on == TODAY + 2 * DAY and "Hi Grace" in follow_up.draft
    assert "Follow up with Grace Hopper\n" not in html(owner_client.get("/today/"))
    assert button not in html(owner_client.get("/today/"))


def test_the_person_page_shows_where_we_met(owner_client, network, pycon):
    grace = meet(network, pycon, "Grace Hopper", note="talked about COBOL").person
    page = html(owner_client.get(f"/people/{grace.pk}/"))
    panel = page.split('id="events-heading"')[1].split("</section>")[0]
    assert "PyCon US 2026" in panel and "17 Feb 2026" in panel and "talked about COBOL" in panel
    assert f'href="/events/{pycon.pk}/"' in panel
