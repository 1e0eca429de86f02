"""Mentorships: adding them both ways, their goals and status, sessions and when the next
one is due (the agenda's "mentoring" section), and the `kith mentor`/`kith mentee`
commands."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from typer.testing import CliRunner

from kithkin.cli import person_choice
from kithkin.cli.app import app
from kithkin.demo import generate_network
from kithkin.errors import Ambiguous, Forbidden, InvalidInput, NotFound
from kithkin.models import Interaction, Mentorship, Person
from kithkin.queries.agenda import agenda
from kithkin.queries.mentorships import (
    list_mentorships,
    person_panel,
    resolve_mentorship,
    sessions_due,
)
from kithkin.services.mentorships import add_goal, set_status
from kithkin.services.people import archive_person
from tests.conftest import TODAY
from tests.factories import make_person, owner_of
from tests.factories_mentorships import make_mentorship, make_session, me

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def barbara(network):
    return make_person(network, "Barbara Liskov")


@pytest.fixture
def alan(network):
    return make_person(network, "Alan Turing")


# Services


def test_a_mentor_of_mine_and_a_mentee_of_mine(network, barbara, alan):
    mine = make_mentorship(network, mentor=barbara, goals=["Learn to lead a team", " "])
    theirs = make_mentorship(network, mentee=alan, cadence_days=14)
    assert (mine.mentor, mine.mentee) == (barbara, me(network))
    assert mine.goals == "Learn to lead a team"
    assert (theirs.mentor, theirs.mentee) == (me(network), alan)
    # The next session soonest first: Alan's on 15 January, Barbara's on 31 January.
    assert [row.role for row in list_mentorships(network)] == ["mentee", "mentor"]


def test_a_mentorship_needs_two_different_people(network):
    with pytest.raises(InvalidInput, match="two different people"):
        make_mentorship(network, mentor=me(network), mentee=me(network))


def test_the_same_mentor_and_mentee_twice_is_refused(network, barbara):
    first = make_mentorship(network, mentor=barbara)
    with pytest.raises(
        InvalidInput, match=f"Barbara Liskov already mentors Olive Owner: #{first.pk}"
    ):
        make_mentorship(network, mentor=barbara)
    set_status(network, owner_of(network), first, "paused", today=TODAY)
    with pytest.raises(InvalidInput, match="paused: resume it"):
        make_mentorship(network, mentor=barbara)
    set_status(network, owner_of(network), first, "ended", today=TODAY)
    assert make_mentorship(network, mentor=barbara).status == "active"  # a new one after the end


def test_adding_validates_what_it_is_given(network, barbara, outsider):
    with pytest.raises(InvalidInput, match="since: 2026-02-21 is in the future"):
        make_mentorship(network, mentor=barbara, started_on=D(2026, 2, 21))
    with pytest.raises(InvalidInput, match="every"):
        make_mentorship(network, mentor=barbara, cadence_days=0)
    with pytest.raises(InvalidInput, match="goal: a goal is longer than 300"):
        make_mentorship(network, mentor=barbara, goals=["x" * 301])
    stranger = make_person(outsider.current_network, "Stranger", by=outsider)
    with pytest.raises(InvalidInput, match="mentor: that person is not in this network"):
        make_mentorship(network, mentor=stranger)
    archive_person(network, owner_of(network), barbara)
    with pytest.raises(InvalidInput, match="Barbara Liskov is archived"):
        make_mentorship(network, mentor=barbara)
    assert not Mentorship.objects.exists()


def test_a_viewer_may_not_add_a_mentorship(network, barbara, viewer):
    with pytest.raises(Forbidden):
        make_mentorship(network, mentor=barbara, by=viewer)


def test_goals_are_added_one_line_at_a_time(network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    add_goal(network, owner_of(network), mentorship, "  Speak   at a conference ")
    mentorship.refresh_from_db()
    assert mentorship.goals == "Learn to lead a team\nSpeak at a conference"
    with pytest.raises(InvalidInput, match="already a goal"):
        add_goal(network, owner_of(network), mentorship, "learn to lead a team")
    with pytest.raises(InvalidInput, match="goal: must not be empty"):
        add_goal(network, owner_of(network), mentorship, "   ")


def test_pause_resume_and_end(network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    actor = owner_of(network)
    set_status(network, actor, mentorship, "paused", today=TODAY)
    with pytest.raises(InvalidInput, match="already paused"):
        set_status(network, actor, mentorship, "paused", today=TODAY)
    set_status(network, actor, mentorship, "active", today=TODAY)
    set_status(network, actor, mentorship, "ended", today=TODAY)
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_on) == ("ended", TODAY)
    with pytest.raises(InvalidInput, match="has ended"):
        set_status(network, actor, mentorship, "active", today=TODAY)
    with pytest.raises(InvalidInput, match="'done' is not one of"):
        set_status(network, actor, mentorship, "done", today=TODAY)


def test_a_session_is_a_meeting_linked_to_the_mentorship(network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    session = make_session(network, mentorship, on=D(2026, 2, 1), learned="Delegate more")
    assert session.kind == Interaction.Kind.MEETING
    assert session.mentorship == mentorship
    assert list(session.participants.all()) == [barbara]  # not me
    barbara.refresh_from_db()
    assert barbara.last_interaction_at == session.occurred_at


def test_a_session_between_two_others_includes_both(network, barbara, alan):
    mentorship = make_mentorship(network, mentor=barbara, mentee=alan)
    session = make_session(network, mentorship, on=D(2026, 2, 1))
    assert set(session.participants.all()) == {barbara, alan}


def test_sessions_fall_within_the_mentorship(network, barbara):
    mentorship = make_mentorship(network, mentor=barbara, started_on=D(2026, 1, 10))
    with pytest.raises(InvalidInput, match="before the mentorship started"):
        make_session(network, mentorship, on=D(2026, 1, 9))
    make_session(network, mentorship, on=D(2026, 1, 12))
    set_status(network, owner_of(network), mentorship, "ended", today=D(2026, 2, 1))
    with pytest.raises(InvalidInput, match="ended on 2026-02-01"):
        make_session(network, mentorship, on=D(2026, 2, 5))
    assert mentorship.sessions.count() == 1


# When sessions are due (the agenda)


def test_a_session_resets_when_the_next_one_is_due(network, barbara):
    mentorship = make_mentorship(network, mentor=barbara, started_on=D(2026, 1, 1))
    [row] = list_mentorships(network)
    assert row.next_session_on == D(2026, 1, 31)
    make_session(network, mentorship, on=D(2026, 2, 10))
    [row] = list_mentorships(network)
    assert (row.last_session_on, row.next_session_on, row.session_count) == (
        D(2026, 2, 10),
        D(2026, 3, 12),
        1,
    )
    assert sessions_due(network, TODAY).items == []


def test_sessions_due_most_overdue_first_with_their_reasons(network, barbara, alan):
    grace = make_person(network, "Grace Hopper")
    mine = make_mentorship(network, mentor=barbara, started_on=D(2025, 12, 1))
    make_session(network, mine, on=D(2026, 1, 11))  # 40 days ago, every 30: 10 days late
    theirs = make_mentorship(network, mentee=alan, cadence_days=14, started_on=D(2026, 1, 1))
    make_mentorship(network, mentor=grace, mentee=alan, cadence_days=60)  # not due yet
    section = sessions_due(network, TODAY)
    assert section.key == "mentoring"
    assert [(item.title, item.reason) for item in section.items] == [
        ("Session with your mentee Alan Turing", "no session yet since 1 January, every 14 days"),
        ("Mentoring session with Barbara Liskov", "last session 40 days ago, every 30 days"),
    ]
    first = section.items[0]
    assert (first.on, first.record_id, first.people[0].name) == (
        D(2026, 1, 15),  # 36 days late
        theirs.pk,
        "Alan Turing",
    )
    assert section.items[1].detail == "Goals: Learn to lead a team"


def test_due_today_is_due_and_a_day_later_is_not(network, barbara):
    make_mentorship(network, mentor=barbara, started_on=TODAY - dt.timedelta(days=30))
    assert len(sessions_due(network, TODAY).items) == 1
    assert sessions_due(network, TODAY - dt.timedelta(days=1)).items == []


def test_paused_ended_and_unrhythmed_mentorships_are_never_due(network, barbara, alan):
    grace = make_person(network, "Grace Hopper")
    paused = make_mentorship(network, mentor=barbara, started_on=D(2025, 1, 1))
    ended = make_mentorship(network, mentee=alan, started_on=D(2025, 1, 1))
    make_mentorship(network, mentor=grace, cadence_days=None, started_on=D(2025, 1, 1))
    set_status(network, owner_of(network), paused, "paused", today=TODAY)
    set_status(network, owner_of(network), ended, "ended", today=TODAY)
    assert sessions_due(network, TODAY).items == []


def test_sessions_due_show_on_the_agenda_in_a_bounded_number_of_queries(network):
    for index in range(12):
        make_mentorship(network, mentee=make_person(network, f"Mentee {index:02}"))
    with CaptureQueriesContext(connection) as queries:
        section = sessions_due(network, TODAY)
    assert len(queries) == 1
    assert (len(section.items), section.total) == (10, 12)
    assert "mentoring" in [s.key for s in agenda(network, TODAY).sections]


def test_the_person_panel_shows_their_mentorships_with_me(network, barbara, alan):
    make_mentorship(network, mentor=barbara)
    make_mentorship(network, mentor=barbara, mentee=alan)
    panel = person_panel(network, barbara, TODAY)
    assert panel is not None and [row.title for row in panel.rows] == ["Barbara Liskov mentors you"]
    assert person_panel(network, make_person(network, "Nobody"), TODAY) is None


def test_a_mentorship_resolves_by_number_or_by_person(network, owner, barbara, alan, outsider):
    mine = make_mentorship(network, mentor=barbara)
    theirs = make_mentorship(network, mentor=barbara, mentee=alan)
    assert resolve_mentorship(owner, network, f"#{mine.pk}") == mine
    assert resolve_mentorship(owner, network, "Alan") == theirs
    with pytest.raises(Ambiguous) as ambiguous:
        resolve_mentorship(owner, network, "Barbara")
    assert ambiguous.value.candidates == [
        f"mt{theirs.pk} Barbara Liskov mentors Alan Turing (active, since 2026-01-01)",
        f"mt{mine.pk} Barbara Liskov mentors you (active, since 2026-01-01)",
    ]
    set_status(network, owner, theirs, "paused", today=TODAY)
    assert resolve_mentorship(owner, network, "Barbara") == mine
    with pytest.raises(NotFound):
        resolve_mentorship(outsider, outsider.current_network, f"#{mine.pk}")
    with pytest.raises(NotFound, match="in no mentorship"):
        resolve_mentorship(owner, network, make_person(network, "Nobody").full_name)


def test_the_demo_has_mentors_mentees_and_one_session_due_today(owner, network):
    generate_network(network, owner, people=120, interactions=300, seed=3, today=TODAY)
    rows = list_mentorships(network)
    roles = [row.role for row in rows]
    assert roles.count("mentor") == 2 and roles.count("mentee") == 3 and "others" in roles
    assert all(row.session_count >= 3 for row in rows)
    sessions = Interaction.objects.filter(network=network, mentorship__isnull=False)
    assert {s.kind for s in sessions} == {"meeting"}
    assert not sessions.filter(participants__is_self=True).exists()
    [due] = sessions_due(network, TODAY).items
    assert due.on == TODAY and due.title.startswith("Mentoring session with ")


# The commands


@pytest.fixture
def kith(owner):
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def test_kith_mentor_add_and_mentee_add(kith, network, barbara, alan):
    result = kith(
        "mentor", "add", "Barbara", "--goal", "Learn to lead a team", "--every", "30d",
        "--since", "2026-01-10",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    mine = Mentorship.objects.get(mentor=barbara)
    assert result.stdout == (
        f"Barbara Liskov mentors you: mentorship mt{mine.pk}, every 30 days, "
        "first session due 2026-02-09.\n"
    )
    result = kith("mentee", "add", "Alan", "--goal", "Write", "--goal", "Publish", "--every", "2w")
    theirs = Mentorship.objects.get(mentee=alan)
    assert (theirs.mentor, theirs.goals, theirs.cadence_days, theirs.started_on) == (
        me(network),
        "Write\nPublish",
        14,
        TODAY,
    )
    assert result.stdout.startswith(f"You mentor Alan Turing: mentorship mt{theirs.pk}")
    result = kith("mentor", "add", "Barbara", "--of", "Alan")
    assert result.stdout.startswith("Barbara Liskov mentors Alan Turing: mentorship mt")
    assert "no cadence" in result.stdout


def test_kith_mentor_add_errors(kith, barbara):
    result = kith("mentor", "add", "Barbara", "--every", "sometimes")
    assert result.exit_code == 2
    assert "--every: 'sometimes' is not an interval" in result.stderr
    assert kith("mentor", "add", "Barbra Liskow").exit_code == 1
    assert kith("mentor", "add", "Barbara", "--since", "2027-01-01").exit_code == 2
    assert kith("mentor", "add", "me").exit_code == 2
    assert kith("mentor", "add", "Barbara").exit_code == 0
    duplicate = kith("mentor", "add", "Barbara")
    assert duplicate.exit_code == 2
    assert "already mentors" in duplicate.stderr
    assert Mentorship.objects.count() == 1


def test_kith_mentor_list(kith, network, barbara, alan):
    make_mentorship(network, mentor=barbara)
    ended = make_mentorship(network, mentee=alan, started_on=D(2026, 2, 1), cadence_days=14)
    set_status(network, owner_of(network), ended, "ended", today=TODAY)
    result = kith("mentor", "list")
    assert "Barbara Liskov mentors you" in result.stdout
    assert "session overdue by 20 days" in result.stdout
    assert "Alan" not in result.stdout
    assert "You mentor Alan Turing" in kith("mentor", "list", "--all").stdout
    rows = json.loads(kith("mentor", "list", "--all", "--json").stdout)
    assert [(row["role"], row["status"]) for row in rows] == [
        ("mentor", "active"),
        ("mentee", "ended"),
    ]
    assert rows[0] == {
        "id": rows[0]["id"],
        "role": "mentor",
        "mentor": {"id": barbara.pk, "name": "Barbara Liskov"},
        "mentee": {"id": me(network).pk, "name": "Olive Owner"},
        "status": "active",
        "goals": ["Learn to lead a team"],
        "cadence_days": 30,
        "started_on": "2026-01-01",
        "ended_on": None,
        "session_count": 0,
        "last_session_on": None,
        "next_session_on": "2026-01-31",
        "days_overdue": 20,
    }


def test_kith_mentor_list_when_there_are_none(kith):
    assert "No mentorships yet" in kith("mentor", "list").stdout
    assert json.loads(kith("mentor", "list", "--json").stdout) == []


def test_kith_mentor_session_and_show(kith, network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    result = kith(
        "mentor", "session", "Barbara", "--note", "Team rituals", "--learned", "Delegate more",
        "--ask", "How did the offsite go?", "--on", "2026-02-18",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Logged a session of mt{mentorship.pk} (Barbara Liskov mentors you) on 2026-02-18; "
        "next one due 2026-03-20.\n"
    )
    session = Interaction.objects.get(mentorship=mentorship)
    assert (session.kind, session.summary, session.learned, session.next_questions) == (
        "meeting",
        "Team rituals",
        "Delegate more",
        "How did the offsite go?",
    )
    show = kith("mentor", "show", f"#{mentorship.pk}")
    assert "Barbara Liskov mentors you" in show.stdout
    assert "• Learn to lead a team" in show.stdout
    assert "2026-02-18  Team rituals" in show.stdout and "learned: Delegate more" in show.stdout
    data = json.loads(kith("mentor", "show", "Barbara", "--json").stdout)
    assert data["next_session_on"] == "2026-03-20"
    assert [(s["on"], s["kind"], s["learned"]) for s in data["sessions"]] == [
        ("2026-02-18", "meeting", "Delegate more")
    ]


def test_kith_mentor_session_errors(kith, network, barbara):
    make_mentorship(network, mentor=barbara)
    future = kith("mentor", "session", "Barbara", "--on", "tomorrow")
    assert future.exit_code == 2
    assert "--on: 2026-02-21 is in the future" in future.stderr
    assert kith("mentor", "session", "#999").exit_code == 1
    assert kith("mentor", "session", "Nobody Here").exit_code == 1
    assert not Interaction.objects.exists()


def test_kith_mentor_ambiguous_names_list_the_mentorships(kith, network, barbara, alan):
    make_mentorship(network, mentor=barbara)
    make_mentorship(network, mentor=barbara, mentee=alan)
    result = kith("mentor", "show", "Barbara")
    assert result.exit_code == 1
    assert "Barbara Liskov is in 2 active mentorships" in result.stderr
    assert "Barbara Liskov mentors you (active, since 2026-01-01)" in result.stderr


def test_kith_mentor_pause_resume_end(kith, network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    assert kith("mentor", "pause", "Barbara").stdout == (
        f"Paused mt{mentorship.pk}: Barbara Liskov mentors you.\n"
    )
    assert kith("mentor", "pause", "Barbara").exit_code == 2
    assert kith("mentor", "resume", "Barbara").stdout.startswith("Resumed")
    assert kith("mentor", "end", str(mentorship.pk)).stdout.startswith("Ended")
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_on) == ("ended", TODAY)
    again = kith("mentor", "resume", "Barbara")
    assert again.exit_code == 2 and "has ended" in again.stderr


def test_kith_mentor_goal(kith, network, barbara):
    mentorship = make_mentorship(network, mentor=barbara)
    result = kith("mentor", "goal", "Barbara", "Give a talk")
    assert result.stdout == (
        f"mt{mentorship.pk} now has 2 goals:\n  • Learn to lead a team\n  • Give a talk\n"
    )
    assert kith("mentor", "goal", "Barbara", "give a TALK").exit_code == 2


def test_kith_today_shows_mentoring_sessions_due(kith, network, barbara):
    make_mentorship(network, mentor=barbara)
    result = kith("today")
    assert "Mentoring sessions (1)" in result.stdout
    assert "Mentoring session with Barbara Liskov" in result.stdout
    data = json.loads(kith("today", "--json").stdout)
    [section] = [s for s in data["sections"] if s["key"] == "mentoring"]
    assert section["items"][0]["reason"] == "no session yet since 1 January, every 30 days"


def test_a_viewer_cannot_change_mentorships_from_the_cli(network, barbara, viewer, settings):
    mentorship = make_mentorship(network, mentor=barbara)
    viewer.current_network = network
    viewer.save()
    settings.CLI_USERNAME = "viewer"
    result = CliRunner().invoke(app, ["mentor", "end", f"#{mentorship.pk}"])
    assert result.exit_code == 3
    mentorship.refresh_from_db()
    assert mentorship.status == "active"


def test_kith_mentor_add_creates_someone_unknown_as_kith_met_does(kith, network, barbara):
    result = kith("mentor", "add", "Frances Allen", "--every", "30d")
    assert result.exit_code == 0, result.output
    frances = Person.objects.get(network=network, full_name="Frances Allen")
    assert result.stdout.splitlines() == [
        f"Added Frances Allen (p{frances.pk}).",
        f"Frances Allen mentors you: mentorship mt{Mentorship.objects.get(mentor=frances).pk}, "
        "every 30 days, first session due 2026-03-22.",
    ]
    assert frances.connected_on == TODAY
    result = kith("mentee", "add", "Edsger Dijkstra")
    assert result.exit_code == 0 and result.stdout.startswith("Added Edsger Dijkstra (p")
    assert Mentorship.objects.filter(mentee__full_name="Edsger Dijkstra").exists()


def test_kith_mentor_add_refuses_a_near_match_without_a_terminal(kith, network, barbara):
    before = (Person.objects.count(), Mentorship.objects.count())
    result = kith("mentor", "add", "Barbra Liskow")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 'Barbra Liskow' is close to 1 person you know: pass --new to add Barbra Liskow "
        "anyway, or give the exact name of the one you mean:",
        "  • Barbara Liskov",
    ]
    assert (Person.objects.count(), Mentorship.objects.count()) == before
    result = kith("mentee", "add", "Barbra Liskow", "--new")
    assert result.exit_code == 0 and result.stdout.startswith("Added Barbra Liskow (p")
    assert Mentorship.objects.get().mentee.full_name == "Barbra Liskow"


def test_kith_mentor_add_asks_on_a_terminal(kith, network, barbara, monkeypatch):
    monkeypatch.setattr(person_choice, "interactive", lambda: True)
    result = kith("mentor", "add", "Barbra Liskow", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Do you mean Barbara Liskov?" in result.stdout
    assert Mentorship.objects.get().mentor == barbara
    result = kith("mentee", "add", "Barbra Liskow", input="n\nn\n")
    assert result.exit_code == 1
    assert "Nothing recorded: no mentorship added." in result.stderr
    assert Mentorship.objects.count() == 1


def test_someone_added_for_a_refused_mentorship_is_not_kept(kith, network):
    result = kith("mentor", "add", "Frances Allen", "--of", "Frances Allen")
    assert result.exit_code == 2, result.output
    assert not Person.objects.filter(full_name="Frances Allen").exists()
