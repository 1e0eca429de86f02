"""The mentorships pages, the forms on them, the person panel and the Today section, as the
owner, a viewer and an outsider see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kithkin.models import Interaction, Mentorship
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_mentorships import make_mentorship, make_session, me
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def barbara(network):
    return make_person(network, "Barbara Liskov")


@pytest.fixture
def alan(network):
    return make_person(network, "Alan Turing")


@pytest.fixture
def mentorships(network, barbara, alan):
    mine = make_mentorship(network, mentor=barbara, started_on=D(2025, 12, 1))
    make_session(
        network, mine, on=D(2026, 1, 11), note="Team rituals", learned="Delegate <b>more</b>"
    )
    theirs = make_mentorship(
        network, mentee=alan, goals=["Ship a paper", "Find a job"], cadence_days=14
    )
    grace = make_person(network, "Grace Hopper")
    between = make_mentorship(network, mentor=grace, mentee=alan, cadence_days=None)
    return {"mine": mine, "theirs": theirs, "between": between}


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_mentorships_page_lists_mentors_mentees_and_others(owner_client, mentorships):
    page = html(owner_client.get(reverse("mentorships")))
    mentors, mentees = page.split('id="mentorships-mentee"')
    mentees, others = mentees.split('id="mentorships-others"')
    assert "Barbara Liskov mentors you" in mentors and "Learn to lead a team" in mentors
    assert "every 30 days" in mentors and "session due since 10 Feb" in mentors
    assert "You mentor Alan Turing" in mentees and "Ship a paper · Find a job" in mentees
    assert "Grace Hopper mentors Alan Turing" in others and "no rhythm" in others
    assert 'action="/mentorships/new/"' in page


def test_ended_mentorships_show_only_when_asked(owner_client, owner, network, mentorships):
    owner_client.post(
        reverse("mentorship_status", args=[mentorships["theirs"].pk]),
        {"status": "ended"},
        follow=True,
    )
    assert "You mentor Alan Turing" not in html(owner_client.get(reverse("mentorships")))
    page = html(owner_client.get(reverse("mentorships") + "?all=1"))
    assert "You mentor Alan Turing" in page and "ended 20 Feb 2026" in page


def test_an_empty_mentorships_page_invites_to_add_one(owner_client):
    page = html(owner_client.get(reverse("mentorships")))
    assert "No mentor yet" in page and "No mentee yet" in page
    assert "Between others" not in page


def test_add_a_mentor_from_the_form(owner_client, network, barbara):
    response = owner_client.post(
        reverse("mentorship_new"),
        {
            "new-role": "mentor",
            "new-person": "Barbara",
            "new-goals": "Learn to lead a team\n\nSpeak at a conference",
            "new-every": "monthly",
            "new-since": "2026-01-05",
        },
    )
    mentorship = Mentorship.objects.get()
    assert response.status_code == 302 and response.url == f"/mentorships/{mentorship.pk}/"
    assert (mentorship.mentor, mentorship.mentee) == (barbara, me(network))
    assert mentorship.goals == "Learn to lead a team\nSpeak at a conference"
    assert (mentorship.cadence_days, mentorship.started_on) == (30, D(2026, 1, 5))


def test_add_a_mentee_by_id_from_their_page(owner_client, network, alan):
    page = html(owner_client.get(f"/mentorships/new/?person={alan.pk}&role=mentee"))
    assert 'value="Alan Turing"' in page and f'value="{alan.pk}"' in page
    owner_client.post(
        reverse("mentorship_new"),
        {"new-role": "mentee", "new-person": "Alan Turing", "new-person_id": alan.pk},
    )
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee, mentorship.started_on) == (
        me(network),
        alan,
        TODAY,
    )


def test_the_add_form_shows_errors_next_to_their_fields(owner_client, barbara):
    make_person(barbara.network, "Barbara Liskov")  # a namesake
    page = html(
        owner_client.post(
            reverse("mentorship_new"),
            {"new-role": "mentor", "new-person": "Barbara", "new-every": "sometimes"},
        )
    )
    assert "is not an interval" in page
    page = html(
        owner_client.post(reverse("mentorship_new"), {"new-role": "mentor", "new-person": "Barb"})
    )
    assert "matches 2 people" in page or "Barbara Liskov" in page
    page = html(
        owner_client.post(reverse("mentorship_new"), {"new-role": "mentor", "new-person": "Zed"})
    )
    assert "No one called" in page
    page = html(
        owner_client.post(
            reverse("mentorship_new"),
            {"new-role": "mentor", "new-person": "Zed", "new-since": "2027-01-01"},
        )
    )
    assert not Mentorship.objects.exists()


def test_a_duplicate_is_refused_on_the_form(owner_client, network, barbara):
    make_mentorship(network, mentor=barbara)
    page = html(
        owner_client.post(
            reverse("mentorship_new"), {"new-role": "mentor", "new-person": "Barbara Liskov"}
        )
    )
    assert "Barbara Liskov already mentors Olive Owner" in page
    assert Mentorship.objects.count() == 1


def test_the_mentorship_page_shows_goals_and_sessions(owner_client, mentorships):
    page = html(owner_client.get(reverse("mentorship", args=[mentorships["mine"].pk])))
    assert "Barbara Liskov mentors you" in page
    assert "Learn to lead a team" in page
    assert "Team rituals" in page
    assert "Delegate &lt;b&gt;more&lt;/b&gt;" in page  # escaped, never rendered
    assert "Session due since 10 Feb" in page
    assert "Log a session" in page and ">Pause</button>" in page and ">End</button>" in page


def test_log_a_session_from_the_mentorship_page(owner_client, mentorships):
    mine = mentorships["mine"]
    response = owner_client.post(
        reverse("mentorship_session", args=[mine.pk]),
        {"on": "2026-02-19", "note": "Hiring plans", "learned": "Ask early", "ask": "Offsite?"},
    )
    assert response.status_code == 302 and response.url == f"/mentorships/{mine.pk}/"
    session = Interaction.objects.filter(mentorship=mine).first()
    assert (session.summary, session.learned, session.next_questions, session.kind) == (
        "Hiring plans",
        "Ask early",
        "Offsite?",
        "meeting",
    )
    page = html(owner_client.get(f"/mentorships/{mine.pk}/"))
    assert "Next session 21 Mar 2026" in page


def test_a_session_in_the_future_is_refused_with_a_message(owner_client, mentorships):
    mine = mentorships["mine"]
    owner_client.post(reverse("mentorship_session", args=[mine.pk]), {"on": "2026-03-01"})
    assert Interaction.objects.filter(mentorship=mine).count() == 1
    page = html(owner_client.get(f"/mentorships/{mine.pk}/"))
    assert "2026-03-01 is in the future" in page


def test_pause_resume_and_end_buttons(owner_client, mentorships):
    mine = mentorships["mine"]
    url = reverse("mentorship_status", args=[mine.pk])
    owner_client.post(url, {"status": "paused"})
    mine.refresh_from_db()
    assert mine.status == "paused"
    page = html(owner_client.get(f"/mentorships/{mine.pk}/"))
    assert ">Resume</button>" in page and "Session due" not in page
    owner_client.post(url, {"status": "active"})
    owner_client.post(url, {"status": "ended"})
    mine.refresh_from_db()
    assert (mine.status, mine.ended_on) == ("ended", TODAY)
    owner_client.post(url, {"status": "active"})
    mine.refresh_from_db()
    assert mine.status == "ended"
    page = html(owner_client.get(f"/mentorships/{mine.pk}/"))
    assert "has ended" in page and "Log a session" not in page


def test_add_a_goal(owner_client, mentorships):
    mine = mentorships["mine"]
    owner_client.post(reverse("mentorship_goal", args=[mine.pk]), {"goal": "Give a talk"})
    mine.refresh_from_db()
    assert mine.goals == "Learn to lead a team\nGive a talk"


def test_today_shows_sessions_due_and_logs_one_in_place(owner_client, mentorships):
    page = html(owner_client.get("/today/"))
    assert "Mentoring sessions" in page
    assert "Session with your mentee Alan Turing" in page
    assert "no session yet since 1 January, every 14 days" in page
    assert "Mentoring session with Barbara Liskov" in page
    assert "last session 40 days ago, every 30 days" in page
    theirs = mentorships["theirs"]
    response = owner_client.post(
        reverse("mentorship_session", args=[theirs.pk]),
        {"from": "today", "note": "Paper outline"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response.content == b""
    session = Interaction.objects.get(mentorship=theirs)
    assert session.summary == "Paper outline"
    assert "Session with your mentee Alan Turing" not in html(owner_client.get("/today/"))


def test_the_person_page_shows_their_mentorships_with_me(owner_client, mentorships, barbara):
    page = html(owner_client.get(reverse("person", args=[barbara.pk])))
    assert "Barbara Liskov mentors you" in page
    assert f'href="/mentorships/{mentorships["mine"].pk}/"' in page


def test_a_viewer_sees_the_pages_but_changes_nothing(network, viewer, mentorships, barbara):
    viewer.current_network = network
    viewer.save()
    client = client_for(viewer)
    mine = mentorships["mine"]
    page = html(client.get(reverse("mentorships")))
    assert "Barbara Liskov mentors you" in page and "Add a mentorship" not in page
    page = html(client.get(reverse("mentorship", args=[mine.pk])))
    assert "Log a session" not in page and ">Pause</button>" not in page
    assert "Log session" not in html(client.get("/today/"))
    assert client.get(reverse("mentorship_new")).status_code == 403
    for url, data in (
        (reverse("mentorship_new"), {"new-role": "mentor", "new-person": "Alan Turing"}),
        (reverse("mentorship_session", args=[mine.pk]), {"on": "2026-02-20"}),
        (reverse("mentorship_status", args=[mine.pk]), {"status": "ended"}),
        (reverse("mentorship_goal", args=[mine.pk]), {"goal": "Hacked"}),
    ):
        assert client.post(url, data).status_code == 403
    mine.refresh_from_db()
    assert (mine.status, mine.goals, Mentorship.objects.count()) == (
        "active",
        "Learn to lead a team",
        3,
    )
    assert Interaction.objects.filter(mentorship=mine).count() == 1


def test_an_outsider_gets_404_for_another_networks_mentorship(outsider_client, mentorships):
    mine = mentorships["mine"]
    assert outsider_client.get(reverse("mentorship", args=[mine.pk])).status_code == 404
    for name, data in (
        ("mentorship_session", {"on": "2026-02-20"}),
        ("mentorship_status", {"status": "ended"}),
        ("mentorship_goal", {"goal": "Hacked"}),
    ):
        assert outsider_client.post(reverse(name, args=[mine.pk]), data).status_code == 404
    mine.refresh_from_db()
    assert mine.status == "active"
    page = html(outsider_client.get(reverse("mentorships")))
    assert "Barbara" not in page


def test_an_outsider_cannot_add_someone_of_another_network_by_id(outsider_client, barbara):
    response = outsider_client.get(f"/mentorships/new/?person={barbara.pk}")
    assert response.status_code == 404
    response = outsider_client.post(
        reverse("mentorship_new"),
        {"new-role": "mentor", "new-person": "x", "new-person_id": barbara.pk},
    )
    assert "Barbara" not in response.content.decode()
    assert f"No person #{barbara.pk}" in response.content.decode()
    assert not Mentorship.objects.exists()
