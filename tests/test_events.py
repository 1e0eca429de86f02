"""Events and meeting people there: the service, the agenda's "met" section, the person
panel, and `kith event ...` / `kith met`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from kithkin import access
from kithkin.cli import person_choice
from kithkin.cli.app import app
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Attendance, Event, FollowUp, Interaction, Person
from kithkin.queries.agenda import agenda
from kithkin.queries.events import met_without_follow_up, person_panel, resolve_event
from kithkin.services.events import NearMatch, follow_up_after_meeting
from kithkin.services.followups import complete_follow_up
from tests.conftest import FROZEN_NOW, TODAY
from tests.factories import log, make_follow_up, make_person, network_of
from tests.factories_events import make_event, meet

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def pycon(network):
    return make_event(network, "PyCon US 2026", starts_on=TODAY - 3 * DAY, location="Long Beach")


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Attendance.objects.count(),
        Interaction.objects.count(),
        FollowUp.objects.count(),
    )


# -- the service -----------------------------------------------------------------------


def test_meeting_someone_new_records_everything_and_owes_a_follow_up_in_48_hours(network, pycon):
    met = meet(
        network,
        pycon,
        "Grace Hopper",
        note="talked about COBOL",
        email="grace@navy.example",
        organization="US Navy",
    )
    grace = met.person
    assert met.created and grace.full_name == "Grace Hopper"
    assert grace.how_we_met == "Met at PyCon US 2026"
    assert grace.contact_points.get().value == "grace@navy.example"
    assert grace.affiliations.get().organization.name == "US Navy"
    attendance = Attendance.objects.get(event=pycon, person=grace)
    assert attendance.note == "talked about COBOL"
    interaction = Interaction.objects.get(participants=grace)
    assert interaction.kind == "event" and interaction.event == pycon
    assert interaction.summary == "talked about COBOL"
    # The event is over: the conversation is dated on its (last) day.
    assert interaction.occurred_at.date() == TODAY - 3 * DAY
    follow_up = FollowUp.objects.get(people=grace)
    assert follow_up == met.follow_up and met.follow_up_created
    assert follow_up.due_on == TODAY + 2 * DAY
    assert follow_up.interaction == interaction
    assert follow_up.title == "Follow up with Grace Hopper after PyCon US 2026"
    subject, body = follow_up.draft.split("\n\n", 1)
    assert subject == "Subject: Great to meet you at PyCon US 2026"
    assert body.startswith("Hi Grace,")
    assert "It was great to meet you at PyCon US 2026." in body
    assert "I enjoyed our conversation about COBOL." in body
    assert body.endswith("Olive")


def test_the_follow_up_is_due_two_days_after_today_in_the_networks_zone(
    network, pycon, frozen_time
):
    # 00:30 on the 21st in Paris (the network's zone) is still the 20th in UTC.
    assert network.time_zone == "Europe/Paris"
    frozen_time.move_to(dt.datetime(2026, 2, 20, 23, 30, tzinfo=dt.UTC))
    follow_up = meet(network, pycon, "Grace Hopper").follow_up
    assert follow_up is not None and follow_up.due_on == dt.date(2026, 2, 23)


def test_a_near_match_is_refused_until_the_user_says_new_or_names_the_person(network, pycon):
    grace = make_person(network, "Grace Hopper", organization="US Navy")
    before = counts()
    with pytest.raises(NearMatch) as near:
        meet(network, pycon, "Grace Hoper")
    assert near.value.candidates == [grace]
    assert counts() == before  # nothing written
    with pytest.raises(NearMatch):
        meet(network, pycon, "Grace")  # a first name only is close to her too
    met = meet(network, pycon, "Grace Hoper", new=True)
    assert met.created and met.person != grace
    chosen = meet(network, pycon, person=grace)
    assert chosen.person == grace and not chosen.created


def test_an_exact_name_or_an_email_finds_someone_already_known(network, pycon):
    grace = make_person(network, "Grace Hopper", emails=["grace@navy.example"])
    assert meet(network, pycon, "grace hopper").person == grace
    assert meet(network, pycon, "G. Hopper", email="Grace@Navy.example").person == grace
    assert Person.objects.filter(full_name__icontains="hopper").count() == 1


def test_namesakes_are_a_near_match_not_a_guess(network, pycon):
    make_person(network, "Grace Hopper", organization="US Navy")
    make_person(network, "Grace Hopper", organization="Harvard")
    with pytest.raises(NearMatch) as near:
        meet(network, pycon, "Grace Hopper")
    assert len(near.value.candidates) == 2


def test_meeting_someone_known_keeps_how_we_met_and_owes_one_follow_up_per_event(network, pycon):
    grace = make_person(network, "Grace Hopper", how_we_met="Introduced by Ada")
    first = meet(network, pycon, "Grace Hopper", note="COBOL")
    assert not first.created and first.follow_up_created
    assert Person.objects.get(pk=grace.pk).how_we_met == "Introduced by Ada"
    again = meet(network, pycon, "Grace Hopper", note="compilers")
    assert not again.follow_up_created and again.follow_up == first.follow_up
    assert FollowUp.objects.filter(people=grace).count() == 1
    assert Interaction.objects.filter(participants=grace, event=pycon).count() == 2
    assert Attendance.objects.get(event=pycon, person=grace).note == "COBOL\ncompilers"
    # Once that follow-up is done, meeting her there again owes a new one.
    assert first.follow_up is not None
    complete_follow_up(network, network.memberships.get().user, first.follow_up, today=TODAY)
    assert meet(network, pycon, "Grace Hopper").follow_up_created
    # Another event is another follow-up.
    jsconf = make_event(network, "JSConf", starts_on=TODAY)
    assert meet(network, jsconf, "Grace Hopper").follow_up_created


def test_meeting_someone_known_without_how_we_met_sets_it(network, pycon):
    grace = make_person(network, "Grace Hopper")
    met = meet(network, pycon, "Grace Hopper")
    assert met.how_we_met_set
    assert Person.objects.get(pk=grace.pk).how_we_met == "Met at PyCon US 2026"


def test_when_we_met_defaults_to_today_during_the_event_and_refuses_the_future(network):
    summit = make_event(network, "Summit", starts_on=TODAY - DAY, ends_on=TODAY + DAY)
    met = meet(network, summit, "Grace Hopper")
    assert met.interaction.occurred_at == FROZEN_NOW
    with pytest.raises(InvalidInput, match="on: 2026-02-21 is in the future"):
        meet(network, summit, "Alan Kay", on=TODAY + DAY)
    met = meet(network, summit, "Alan Kay", on=TODAY - DAY)
    assert met.interaction.occurred_at.date() == TODAY - DAY


def test_the_agenda_button_owes_a_follow_up_once(network, pycon):
    grace = make_person(network, "Grace Hopper")
    Attendance.objects.create(event=pycon, person=grace, note="talked about COBOL")
    log(network, grace, on=TODAY - 3 * DAY, kind="event", event=pycon, summary="COBOL")
    follow_up, created = follow_up_after_meeting(
        network, network.memberships.get().user, pycon, grace
    )
    assert created and follow_up.due_on == TODAY + 2 * DAY
    assert "our conversation about COBOL." in follow_up.draft and "Hi Grace" in follow_up.draft
    again, created = follow_up_after_meeting(network, network.memberships.get().user, pycon, grace)
    assert again == follow_up and not created
    stranger = make_person(network, "Alan Kay")
    with pytest.raises(InvalidInput, match="not someone you met at PyCon"):
        follow_up_after_meeting(network, network.memberships.get().user, pycon, stranger)


def test_event_validation(network, pycon):
    with pytest.raises(InvalidInput, match="end: 2026-02-01 is before the start"):
        make_event(network, "Summit", starts_on=TODAY, ends_on=dt.date(2026, 2, 1))
    with pytest.raises(InvalidInput, match="kind: 'party' is not one of"):
        make_event(network, "Summit", kind="party")
    with pytest.raises(InvalidInput, match="already an event called 'pycon us 2026'"):
        make_event(network, "pycon us 2026", starts_on=TODAY - 3 * DAY)
    with pytest.raises(InvalidInput, match="url"):
        make_event(network, "Summit", url="javascript:alert(1)")
    assert Event.objects.count() == 1


def test_the_organizer_is_found_or_created_by_name(network):
    first = make_event(network, "DjangoCon", organizer="Django Software Foundation")
    second = make_event(network, "DjangoCon EU", organizer="django software foundation")
    assert first.organizer == second.organizer
    assert first.organizer is not None and first.organizer.name == "Django Software Foundation"


def test_a_viewer_may_not_meet_anyone_or_add_events(network, pycon, viewer):
    before = counts()
    with pytest.raises(Forbidden):
        meet(network, pycon, "Grace Hopper", by=viewer)
    with pytest.raises(Forbidden):
        make_event(network, "Summit", by=viewer)
    assert counts() == before and Event.objects.count() == 1


def test_an_outsider_cannot_reach_another_networks_event(network, pycon, outsider):
    with pytest.raises(NotFound):
        access.event_for(outsider, network, pycon.pk)
    with pytest.raises(NotFound):
        meet(network, pycon, "Grace Hopper", by=outsider)
    theirs = network_of(outsider)
    with pytest.raises(InvalidInput, match="event: that event is not in this network"):
        meet(theirs, pycon, "Grace Hopper", by=outsider)
    with pytest.raises(NotFound):
        resolve_event(theirs, "PyCon US 2026")
    assert Attendance.objects.count() == 0


def test_resolving_an_event_by_name_prefix_or_spelling(network, pycon):
    make_event(network, "PyCon US 2027", starts_on=dt.date(2027, 5, 14))
    make_event(network, "DjangoCon Europe", starts_on=dt.date(2026, 6, 1))
    assert resolve_event(network, "pycon us 2026") == pycon
    assert resolve_event(network, "django").name == "DjangoCon Europe"
    assert resolve_event(network, "DjangoCon Erope").name == "DjangoCon Europe"
    with pytest.raises(Exception, match="matches 2 events") as ambiguous:
        resolve_event(network, "pycon")
    assert len(ambiguous.value.candidates) == 2  # type: ignore[attr-defined]
    with pytest.raises(NotFound):
        resolve_event(network, "Strange Loop")


# -- the agenda's "met" section --------------------------------------------------------


def met_there(network, event, person, *, on: dt.date) -> None:
    """Met without a follow-up (as imported or demo data are): attendance + conversation."""
    Attendance.objects.create(event=event, person=person, note="talked about COBOL")
    log(network, person, on=on, kind="event", event=event, summary="talked about COBOL")


def test_people_met_without_a_follow_up_are_on_the_agenda(network, pycon):
    grace = make_person(network, "Grace Hopper")
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    section = met_without_follow_up(network, TODAY)
    assert section.key == "met" and section.total == 1
    item = section.items[0]
    assert item.title == "Follow up with Grace Hopper"
    assert item.reason == "met at PyCon US 2026 3 days ago, no follow-up yet"
    assert item.draft_kind == "follow-up"
    assert item.record_id == pycon.pk and item.people[0].id == grace.pk
    assert item.on == TODAY - 3 * DAY and item.detail == "talked about COBOL"
    assert section in agenda(network, TODAY).sections


def test_the_met_section_empties_once_a_follow_up_exists(network, pycon):
    grace = make_person(network, "Grace Hopper")
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    follow_up_after_meeting(network, network.memberships.get().user, pycon, grace)
    assert met_without_follow_up(network, TODAY).items == []


def test_any_follow_up_since_meeting_counts_even_done_but_not_an_older_one(network, pycon):
    grace = make_person(network, "Grace Hopper")
    make_follow_up(network, grace, "Older promise", due_on=TODAY)  # made today...
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    assert met_without_follow_up(network, TODAY).items == []
    alan = make_person(network, "Alan Kay")
    met_there(network, pycon, alan, on=TODAY)
    done = make_follow_up(network, alan, "Said hello", due_on=TODAY)
    complete_follow_up(network, network.memberships.get().user, done, today=TODAY)
    assert met_without_follow_up(network, TODAY).items == []


def test_a_follow_up_made_before_the_meeting_day_does_not_count(network, pycon, frozen_time):
    grace = make_person(network, "Grace Hopper")
    frozen_time.move_to(FROZEN_NOW - 5 * DAY)
    make_follow_up(network, grace, "Old promise", due_on=TODAY - 4 * DAY)
    frozen_time.move_to(FROZEN_NOW)
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    assert [i.title for i in met_without_follow_up(network, TODAY).items] == [
        "Follow up with Grace Hopper"
    ]


def test_a_later_outbound_message_is_a_follow_up_too(network, pycon):
    grace = make_person(network, "Grace Hopper")
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    log(network, grace, on=TODAY - DAY, kind="email", direction="inbound")
    assert met_without_follow_up(network, TODAY).total == 1
    log(network, grace, on=TODAY - DAY, kind="email", direction="outbound")
    assert met_without_follow_up(network, TODAY).total == 0


def test_the_met_section_forgets_meetings_after_two_weeks(network, pycon, frozen_time):
    grace = make_person(network, "Grace Hopper")
    met_there(network, pycon, grace, on=TODAY - 3 * DAY)
    frozen_time.move_to(FROZEN_NOW + 11 * DAY)
    assert (
        met_without_follow_up(network, TODAY + 11 * DAY)
        .items[0]
        .reason.endswith("14 days ago, no follow-up yet")
    )
    frozen_time.move_to(FROZEN_NOW + 12 * DAY)
    assert met_without_follow_up(network, TODAY + 12 * DAY).items == []


def test_the_met_section_shows_ten_oldest_first_and_counts_them_all(network, pycon):
    for i in range(12):
        person = make_person(network, f"Person {i:02d}")
        met_there(network, pycon, person, on=TODAY - dt.timedelta(days=12 - i))
    section = met_without_follow_up(network, TODAY)
    assert section.total == 12 and len(section.items) == 10
    assert section.items[0].title == "Follow up with Person 00"
    assert section.items[0].reason == "met at PyCon US 2026 12 days ago, no follow-up yet"


def test_the_person_panel_lists_the_events_where_we_met(network, pycon):
    grace = meet(network, pycon, "Grace Hopper", note="COBOL").person
    assert person_panel(network, make_person(network, "Alan Kay"), TODAY) is None
    panel = person_panel(network, grace, TODAY)
    assert panel is not None
    assert [(e.name, e.starts_on, e.note) for e in panel.events] == [
        ("PyCon US 2026", TODAY - 3 * DAY, "COBOL")
    ]


# -- the CLI ---------------------------------------------------------------------------


@pytest.fixture
def kith(owner):
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def test_kith_event_add_list_and_show(kith, network):
    result = kith(
        "event",
        "add",
        "PyCon US 2027",
        "--kind",
        "conference",
        "--start",
        "2027-05-14",
        "--end",
        "2027-05-22",
        "--location",
        "Long Beach",
        "--url",
        "https://us.pycon.org/2027/",
        "--organizer",
        "Python Software Foundation",
        "--status",
        "going",
        "--tag",
        "python",
        "--note",
        "Sprints after the talks",
    )
    assert result.exit_code == 0, result.output
    event = Event.objects.get()
    assert result.stdout == (
        f"Added event e{event.pk} PyCon US 2027 (conference, 2027-05-14 → 2027-05-22, "
        "Long Beach).\n"
    )
    kith("event", "add", "Paris.py", "--start", "2026-02-10", "--status", "attended")
    listed = json.loads(kith("event", "list", "--json").stdout)
    assert [e["name"] for e in listed["upcoming"]] == ["PyCon US 2027"]
    assert [e["name"] for e in listed["past"]] == ["Paris.py"]
    assert listed["upcoming"][0] == {
        "id": event.pk,
        "name": "PyCon US 2027",
        "kind": "conference",
        "starts_on": "2027-05-14",
        "ends_on": "2027-05-22",
        "location": "Long Beach",
        "url": "https://us.pycon.org/2027/",
        "organizer": "Python Software Foundation",
        "status": "going",
        "people_met": 0,
    }
    past_only = json.loads(kith("event", "list", "--past", "--json").stdout)
    assert past_only["upcoming"] is None  # not asked for, as opposed to none
    assert [e["name"] for e in past_only["past"]] == ["Paris.py"]
    text = kith("event", "list", "--upcoming").stdout
    assert "PyCon US 2027" in text and "Paris.py" not in text
    shown = json.loads(kith("event", "show", "pycon", "--json").stdout)
    assert shown["tags"] == ["python"] and shown["notes"] == "Sprints after the talks"
    assert shown["met"] == []
    text = kith("event", "show", f"#{event.pk}").stdout
    assert "PyCon US 2027" in text and "Long Beach" in text and "No one yet" in text


def test_kith_event_errors(kith, network):
    result = kith("event", "add", "Summit", "--start", "2026-03-02", "--end", "2026-03-01")
    assert result.exit_code == 2
    assert result.stderr == "Error: end: 2026-03-01 is before the start (2026-03-02)\n"
    result = kith("event", "add", "Summit", "--start", "soon")
    assert result.exit_code == 2 and result.stderr.startswith("Error: --start: 'soon'")
    assert kith("event", "add", "Summit", "--start", "today", "--kind", "party").exit_code == 2
    assert kith("event", "list", "--upcoming", "--past").exit_code == 2
    make_event(network, "PyCon US 2026")
    make_event(network, "PyCon US 2027", starts_on=dt.date(2027, 5, 14))
    result = kith("event", "show", "pycon")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 'pycon' matches 2 events; say which (a name or e12):"
    assert [line.split(" (e")[0] for line in lines[1:]] == [
        "  • PyCon US 2027",
        "  • PyCon US 2026",
    ]
    result = kith("event", "show", "Strange Loop")
    assert result.exit_code == 1 and "No event called 'Strange Loop'" in result.stderr
    result = kith("event", "show", "#999")
    assert result.exit_code == 1 and "No event #999" in result.stderr


def test_kith_met_someone_new_prints_the_follow_up_and_its_draft(kith, network, pycon):
    result = kith(
        "met",
        "Grace Hopper",
        "--at",
        "PyCon US",
        "--note",
        "talked about COBOL",
        "--email",
        "grace@navy.example",
        "--org",
        "US Navy",
    )
    assert result.exit_code == 0, result.output
    grace = Person.objects.get(full_name="Grace Hopper")
    follow_up = FollowUp.objects.get(people=grace)
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        f"Added Grace Hopper (p{grace.pk}); met at PyCon US 2026 on 2026-02-17.",
        "Logged an event conversation: talked about COBOL.",
        "How we met: Met at PyCon US 2026.",
        f"Follow-up f{follow_up.pk} due 2026-02-22: Follow up with Grace Hopper after "
        "PyCon US 2026.",
        "Draft:",
    ]
    assert "  Subject: Great to meet you at PyCon US 2026" in lines
    assert "  Hi Grace," in lines
    shown = json.loads(kith("event", "show", "PyCon", "--json").stdout)
    assert shown["met"] == [
        {
            "person": {"id": grace.pk, "name": "Grace Hopper"},
            "note": "talked about COBOL",
            "met_on": "2026-02-17",
            "follow_up": {"id": follow_up.pk, "status": "open", "due_on": "2026-02-22"},
        }
    ]
    again = kith("met", "Grace Hopper", "--at", f"#{pycon.pk}", "--on", "2026-02-18")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-1] == (
        f"Follow-up f{follow_up.pk} from PyCon US 2026 is already open (due 2026-02-22)."
    )


def test_kith_met_refuses_a_near_match_without_a_terminal(kith, network, pycon):
    make_person(network, "Grace Hopper", organization="US Navy", title="Rear Admiral")
    before = counts()
    result = kith("met", "Grace Hoper", "--at", "PyCon")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 'Grace Hoper' is close to 1 person you know: pass --new to add Grace Hoper "
        "anyway, or give the exact name of the one you met:",
        "  • Grace Hopper (Rear Admiral at US Navy)",
    ]
    assert counts() == before
    result = kith("met", "Grace Hoper", "--at", "PyCon", "--new")
    assert result.exit_code == 0 and result.stdout.startswith("Added Grace Hoper")


def test_kith_met_asks_on_a_terminal(kith, network, pycon, monkeypatch):
    grace = make_person(network, "Grace Hopper", organization="US Navy")
    monkeypatch.setattr(person_choice, "interactive", lambda: True)
    result = kith("met", "Grace Hoper", "--at", "PyCon", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Did you meet Grace Hopper (US Navy)?" in result.stdout
    assert f"Met Grace Hopper (p{grace.pk}) at PyCon US 2026" in result.stdout
    result = kith("met", "Grace Hoper", "--at", "PyCon", input="n\ny\n")
    assert "Added Grace Hoper" in result.stdout
    before = counts()
    result = kith("met", "Grace Hopp", "--at", "PyCon", input="n\nn\nn\n")
    assert result.exit_code == 1 and "Nothing recorded." in result.stderr
    assert counts() == before


def test_kith_met_errors(kith, network, pycon, settings):
    result = kith("met", "Grace Hopper", "--at", "Strange Loop")
    assert result.exit_code == 1 and "No event called 'Strange Loop'" in result.stderr
    result = kith("met", "Grace Hopper", "--at", "PyCon", "--on", "tomorrow")
    assert result.exit_code == 2
    assert result.stderr == "Error: on: 2026-02-21 is in the future; log what has happened\n"
    result = kith("met", "Grace Hopper", "--at", "PyCon", "--email", "grace@")
    assert result.exit_code == 2 and result.stderr.startswith("Error: email:")
    assert counts()[1:] == (0, 0, 0)


def test_kith_as_a_viewer_or_an_outsider(kith, network, pycon, viewer, outsider, settings):
    settings.CLI_USERNAME = "viewer"
    viewer.current_network = network
    viewer.save()
    result = kith("met", "Grace Hopper", "--at", "PyCon")
    assert result.exit_code == 3
    assert kith("event", "show", "PyCon").exit_code == 0
    settings.CLI_USERNAME = "outsider"
    assert kith("event", "show", f"#{pycon.pk}").exit_code == 1
    assert kith("met", "Grace Hopper", "--at", f"#{pycon.pk}").exit_code == 1
    assert counts()[1:] == (0, 0, 0)


def test_kith_event_edit_and_follow_up(kith, network, pycon):
    result = kith("event", "edit", "PyCon", "--name", "PyCon US 26", "--end", "2026-02-19")
    assert result.exit_code == 0, result.output
    pycon.refresh_from_db()
    assert (pycon.name, pycon.ends_on, pycon.location) == (
        "PyCon US 26",
        dt.date(2026, 2, 19),
        "Long Beach",
    )
    grace = make_person(network, "Grace Hopper")
    met_there(network, pycon, grace, on=TODAY - 2 * DAY)
    result = kith("event", "follow-up", "PyCon", "Grace")
    follow_up = FollowUp.objects.get(people=grace)
    assert result.stdout.splitlines()[0] == (
        f"Follow-up f{follow_up.pk} due 2026-02-22: Follow up with Grace Hopper after PyCon US 26."
    )
    result = kith("event", "follow-up", "PyCon", "Grace")
    assert "already open" in result.stdout


# -- the demo --------------------------------------------------------------------------


def test_the_demo_has_past_recent_and_upcoming_events_and_today_shows_the_met_section(
    owner, network
):
    from kithkin.demo import generate_network

    generate_network(network, owner, people=60, interactions=200, seed=3, today=TODAY)
    events = list(Event.objects.filter(network=network))
    upcoming = [e for e in events if e.starts_on > TODAY]
    past = [e for e in events if e.last_day < TODAY]
    assert len(upcoming) == 3 and {e.status for e in upcoming} <= {"going", "interested"}
    assert len(past) == 6 and {e.status for e in past} == {"attended"}
    for event in past:
        met = Attendance.objects.filter(event=event).count()
        assert 2 <= met <= 8
        assert Interaction.objects.filter(event=event, kind="event").count() == met
    assert FollowUp.objects.filter(interaction__event__in=past, done_at__isnull=False).exists()
    section = met_without_follow_up(network, TODAY)
    assert 2 <= section.total <= 3
    assert all("3 days ago, no follow-up yet" in item.reason for item in section.items)


def test_met_reads_the_conversations_at_events_through_their_own_index(network, pycon):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grace = meet(network, pycon, "Grace Hopper").person
    for day in range(1, 15):  # conversations that were at no event
        log(network, grace, on=TODAY - dt.timedelta(days=day % 14))
    with CaptureQueriesContext(connection) as captured:
        met_without_follow_up(network, TODAY)
    first = captured.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {first}")
            assert "interaction_at_event" in " ".join(str(row) for row in cursor.fetchall())
        else:  # PostgreSQL picks by table sizes; the index must at least be there
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'interaction_at_event'"
            )
            assert "WHERE (event_id IS NOT NULL)" in cursor.fetchone()[0]
