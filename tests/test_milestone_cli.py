"""`kith milestone` and `kith celebrate`, and the demo's milestones on Today."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin.models import Interaction, Milestone
from kithkin.queries.agenda import agenda
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_milestones import born, make_job, make_milestone

pytestmark = pytest.mark.django_db

D = dt.date


# -- the CLI -----------------------------------------------------------------------------------


@pytest.fixture
def ada(network):
    person = born(network, "Ada Lovelace", 2, 21, year=1986)
    make_job(network, person, "Babbage & Co", start_on=D(2023, 3, 2))
    return person


def test_milestone_add_list_and_remove(kith, ada):
    result = kith(
        "milestone", "add", "Ada", "promotion", "--on", "2026-11-20", "--note", "VP Engineering"
    )
    assert result.exit_code == 0, result.output
    milestone = Milestone.objects.get()
    assert (milestone.kind, milestone.note, milestone.recurs_yearly) == (
        "promotion",
        "VP Engineering",
        False,
    )
    assert result.stdout == (
        f"Milestone m{milestone.pk} for Ada Lovelace: promotion (2026-11-20).\n"
    )
    result = kith("milestone", "add", "Ada", "launch", "--on", "03-14", "--yearly", "--title", "Pi")
    assert result.stdout.endswith("launch: Pi (--03-14, every year).\n")
    result = kith("milestone", "add", "Ada", "job loss", "--on", "-2d")
    assert "Challenge m" in result.stdout and "job loss (2026-02-18)" in result.stdout

    listed = json.loads(kith("milestone", "list", "--json").stdout)
    assert [(m["kind"], m["date"], m["yearly"], m["support"]) for m in listed] == [
        ("launch", "--03-14", True, False),
        ("job-loss", "2026-02-18", False, True),
        ("promotion", "2026-11-20", False, False),
    ]
    assert listed[0]["person"] == {"id": ada.pk, "name": "Ada Lovelace"}
    assert "VP Engineering" in kith("milestone", "list").stdout

    result = kith("milestone", "remove", str(milestone.pk))
    assert result.stdout == f"Removed milestone m{milestone.pk} (promotion) of Ada Lovelace.\n"
    assert Milestone.objects.count() == 2


def test_milestone_list_upcoming_has_birthdays_and_anniversaries(kith, ada, network):
    grace = make_person(network, "Grace Hopper")
    make_milestone(network, grace, "award", on=D(2026, 2, 24), title="Medal")
    rows = json.loads(kith("milestone", "list", "--upcoming", "14d", "--json").stdout)
    assert [(r["on"], r["what"], r["person"]["name"], r["reason"]) for r in rows] == [
        ("2026-02-21", "birthday", "Ada Lovelace", "birthday tomorrow (turns 40)"),
        ("2026-02-24", "milestone", "Grace Hopper", "award on 24 February: Medal"),
        ("2026-03-02", "anniversary", "Ada Lovelace", "3 years at Babbage & Co on 2 March"),
    ]
    assert rows[0]["occasion"] == "birthday:2026" and rows[0]["celebrated"] is False
    assert rows[2]["years"] == 3
    only_grace = json.loads(
        kith("milestone", "list", "--upcoming", "2w", "--person", "Grace", "--json").stdout
    )
    assert [r["person"]["name"] for r in only_grace] == ["Grace Hopper"]
    text = kith("milestone", "list", "--upcoming", "14").stdout
    assert "birthday tomorrow (turns 40)" in text and "Sat 21 Feb" in text
    assert kith("milestone", "list", "--upcoming", "1d", "--person", "Grace").stdout == (
        "Nothing in the next 1 days.\n"
    )


def test_kith_celebrate(kith, ada, network):
    result = kith("celebrate", "Ada", "--note", "Sent flowers")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Celebrated with Ada Lovelace: birthday tomorrow (turns 40). Logged a message.\n"
    )
    interaction = Interaction.objects.get()
    assert (interaction.summary, interaction.occasion) == ("Sent flowers", "birthday:2026")
    result = kith("celebrate", "Ada")
    assert "3 years at Babbage & Co on 2 March" in result.stdout
    loss = make_milestone(network, ada, "job-loss", on=D(2026, 2, 10))
    result = kith("celebrate", "--milestone", str(loss.pk), "--kind", "call")
    assert result.stdout == (
        "Offered help to Ada Lovelace: job loss on 10 February. Logged a call.\n"
    )
    assert Interaction.objects.filter(milestone=loss, kind="call").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["milestone", "add", "Ada", "promotion", "--on", "03-14"], 2, "Error: on: "),
        (["milestone", "add", "Ada", "party", "--on", "2026-01-01"], 2, "Error: kind: "),
        (["milestone", "add", "Ada", "promotion", "--on", "soon"], 2, "Error: --on: 'soon'"),
        (["milestone", "add", "Nobody", "promotion", "--on", "2026-01-01"], 1, "Error: No one"),
        (["milestone", "remove", "999"], 1, "Error: No milestone #999"),
        (["milestone", "window", "0"], 2, "Error: window: must be between 1 and 365"),
        (["milestone", "window", "soon"], 2, "Error: window: 'soon' is not a number of days"),
        (["milestone", "list", "--upcoming", "x"], 2, "Error: --upcoming: "),
        (["celebrate"], 2, "Error: person: name a person, or give --milestone"),
        (["celebrate", "Grace"], 2, "Error: person: Grace Hopper has nothing to celebrate now"),
        (["celebrate", "Ada", "--kind", "cake"], 2, "Error: kind: 'cake' is not one of"),
        (["celebrate", "--milestone", "999"], 1, "Error: No milestone #999"),
    ],
)
def test_cli_errors_are_one_line(kith, ada, network, args, code, message):
    make_person(network, "Grace Hopper")
    result = kith(*args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not Milestone.objects.exists() and not Interaction.objects.exists()


def test_kith_milestone_window(kith, network):
    assert kith("milestone", "window").stdout == (
        "The agenda shows birthdays, anniversaries and milestones 14 days ahead.\n"
    )
    assert kith("milestone", "window", "21d").stdout == (
        "The agenda now shows birthdays, anniversaries and milestones 21 days ahead.\n"
    )
    network.refresh_from_db()
    assert network.celebrate_within_days == 21
    kith("milestone", "window", "3w")
    assert json.loads(kith("milestone", "window", "--json").stdout) == {"celebrate_within_days": 21}


# -- the demo ---------------------------------------------------------------------------------


def test_the_demo_shows_celebrations_and_a_challenge_on_today(network, owner):
    from kithkin.demo import generate_network

    generate_network(network, owner, people=60, interactions=100, seed=3, today=TODAY)
    assert Milestone.objects.filter(network=network).count() == 6
    sections = {s.key: s for s in agenda(network, TODAY).sections}
    reasons = [item.reason for item in sections["celebrate"].items]
    assert "promotion on 18 February: VP Engineering" in reasons
    assert any(r.startswith("birthday tomorrow (turns ") for r in reasons)
    assert "birthday on 26 February" in reasons
    assert [item.reason for item in sections["support"].items] == ["job loss on 16 February"]
