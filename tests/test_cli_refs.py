"""Typed references (kithkin.refs): what `kith today` prints on every row works with the
command printed beside it, and every command taking a kind of record takes its reference."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin import refs
from kithkin.errors import InvalidInput
from kithkin.models import Attendance, Event, FollowUp, Interaction, ValueExchange
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person
from tests.factories_events import make_event
from tests.factories_ledger import received
from tests.factories_memberships import make_membership
from tests.factories_mentorships import make_mentorship
from tests.factories_milestones import born, make_milestone
from tests.factories_opportunities import make_opportunity

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)
SECTIONS = (
    "Follow-ups due",
    "Follow up after meeting",
    "Say thanks",
    "Celebrate",
    "Offer help",
    "Mentoring sessions",
    "Check in",
    "Worth sharing",
    "Renew memberships",
)


@pytest.fixture
def busy_day(network):
    """One row or more in every section of the agenda, with ids that collide across
    kinds (follow-up 1, event 1, milestone 1...)."""
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send the paper", due_on=TODAY)
    make_follow_up(network, ada, "Book the venue", due_on=TODAY + 3 * DAY)
    pycon = make_event(network, "PyCon US 2026")
    grace = make_person(network, "Grace Hopper", tags=["rust"], circle="close")
    Attendance.objects.create(event=pycon, person=grace, note="talked about COBOL")
    log(network, grace, on=TODAY - 3 * DAY, kind="event", event=pycon, summary="COBOL")
    received(network, make_person(network, "Alan Turing"), on=TODAY - 9 * DAY)
    born(network, "Katherine Johnson", 2, 22)
    make_milestone(network, make_person(network, "Hedy Lamarr"), "promotion", on=TODAY)
    make_milestone(network, make_person(network, "Joan Clarke"), "job-loss", on=TODAY - 5 * DAY)
    make_mentorship(network, mentor=make_person(network, "Barbara Liskov"))
    make_person(network, "Margaret Hamilton", circle="close", connected_on=TODAY - 400 * DAY)
    make_opportunity(network, "Staff engineer at Babbage", tags=["rust"])
    make_membership(network, "Guild of Data Engineers", renews_on=TODAY + 12 * DAY)
    return network


def _rows(output: str) -> dict[str, list[list[str]]]:
    """The piped agenda: section title -> its records (tab-separated fields)."""
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for line in output.splitlines():
        if "\t" in line:
            sections[current].append(line.split("\t"))
        elif line.strip():
            current = line.split(" (")[0]
            sections[current] = []
    return sections


def test_every_agenda_row_prints_a_reference_that_its_command_accepts(kith, busy_day):
    result = kith("today")
    assert result.exit_code == 0
    sections = _rows(result.stdout)
    shown = [title for title in SECTIONS if sections.get(title)]
    assert shown == list(SECTIONS), sections.keys()
    commands = []
    for title in SECTIONS:
        rows = sections[title]
        refs_shown = [row[0] for row in rows]
        assert len(set(refs_shown)) == len(refs_shown), (title, refs_shown)
        for row in rows:
            typed = refs.parse(row[0])
            assert typed is not None, row  # a typed reference, never "#6"
            command = row[-1]
            assert command.startswith("kith ") and row[0] in command.split(), row
            commands.append(command)
    # a reference names one record: never two kinds under one number
    every_ref = {row[0] for rows in sections.values() for row in rows}
    assert all(refs.parse(ref) for ref in every_ref)
    for command in commands:
        result = kith(*command.split()[1:])
        assert result.exit_code == 0, (command, result.stderr)
    assert not FollowUp.objects.filter(title="Send the paper", done_at__isnull=True).exists()
    assert FollowUp.objects.filter(title__startswith="Follow up with Grace").exists()
    assert not ValueExchange.objects.filter(thanked_at__isnull=True).exists()
    assert Interaction.objects.filter(summary="", kind="message").exists()
    after = _rows(kith("today").stdout)
    for title in ("Follow-ups due", "Say thanks", "Celebrate", "Offer help"):
        assert not after.get(title), (title, after.get(title))


@pytest.mark.django_db(transaction=True, reset_sequences=True)  # both are number 1
def test_follow_up_and_event_with_the_same_number_print_apart(kith, busy_day):
    follow_up = FollowUp.objects.get(title="Send the paper")
    event = Event.objects.get(network=busy_day)
    assert follow_up.pk == event.pk == 1
    output = kith("today").stdout
    assert "f1\tSend the paper\tAda Lovelace" in output
    assert "kith event follow-up e1 p" in output
    wrong = kith("done", "e1")
    assert wrong.exit_code == 2
    assert wrong.stderr == "Error: follow-up: 'e1' is an event; give a follow-up (f12)\n"
    assert FollowUp.objects.get(pk=follow_up.pk).done_at is None


def test_bare_numbers_keep_working_where_a_command_takes_one_kind(kith, network):
    ada = make_person(network, "Ada Lovelace")
    item = make_follow_up(network, ada, "Send the paper", due_on=TODAY)
    assert kith("done", str(item.pk)).stdout == f"Done: f{item.pk} Send the paper.\n"
    other = make_follow_up(network, ada, "Call back", due_on=TODAY)
    assert kith("snooze", f"#{other.pk}", "--for", "1w").exit_code == 0
    assert kith("snooze", f"p{ada.pk}", "--until", "next friday").stdout == (
        "Snoozed Ada Lovelace until 2026-02-27.\n"
    )


def test_a_value_exchange_reference_thanks_its_giver(kith, network):
    alan = make_person(network, "Alan Turing")
    exchange = received(network, alan, on=TODAY - 9 * DAY)
    result = kith("thank", f"x{exchange.pk}")
    assert result.stdout == "Thanked Alan Turing for 1 thing: referral.\n"


def test_people_are_named_by_reference_in_their_own_network_only(kith, network, outsider):
    ada = make_person(network, "Ada Lovelace")
    theirs = make_person(outsider.current_network, "Eve Outsider")
    assert kith("show", f"p{ada.pk}").exit_code == 0
    result = kith("show", f"P{theirs.pk}")
    assert result.exit_code == 1 and "No person p" in result.stderr


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("f6", refs.FOLLOW_UP, 6),
        ("F6", refs.FOLLOW_UP, 6),
        ("#6", refs.FOLLOW_UP, 6),
        ("6", refs.FOLLOW_UP, 6),
        ("op6", refs.OPPORTUNITY, 6),
        ("o6", refs.ORGANIZATION, 6),
        ("mt6", refs.MENTORSHIP, 6),
        ("m6", refs.MILESTONE, 6),
        ("Ada", refs.PERSON, None),
    ],
)
def test_reading_references(text, kind, expected):
    assert refs.id_of(text, kind, "field") == expected


def test_a_reference_of_another_kind_is_refused_naming_the_field():
    with pytest.raises(InvalidInput, match="opportunity: 'o6' is an organization"):
        refs.require_id("o6", refs.OPPORTUNITY, "opportunity")
    with pytest.raises(InvalidInput, match="'ada' is not a milestone reference"):
        refs.require_id("ada", refs.MILESTONE, "milestone")
    assert [kind(3) for kind in refs.KINDS] == ["f3", "e3", "p3", "o3", "x3", "m3", "op3", "mt3"]


def test_dates_in_words_and_errors_naming_the_option_and_the_value(kith, network):
    make_person(network, "Ada Lovelace")
    made = kith("follow-up", "Ada", "Send the paper", "--due", "in 2 weeks")
    assert made.stdout.endswith("(due 2026-03-06).\n")
    wrong = kith("follow-up", "Ada", "Send the paper", "--due", "soon")
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("Error: --due: 'soon' is not a date: use YYYY-MM-DD")
    assert FollowUp.objects.count() == 1
