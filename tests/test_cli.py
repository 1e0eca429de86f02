"""The `kith` commands, through the real command tree, against the test database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import FollowUp, Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(kith):
    result = kith(
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.org",
        "--org",
        "Analytical Engines",
        "--title",
        "CTO",
        "--circle",
        "close",
        "--tag",
        "mentor-candidate",
    )
    assert result.exit_code == 0, result.output
    return Person.objects.get(full_name="Ada Lovelace")


def test_the_walkthrough_from_the_issue(kith, ada):
    result = kith(
        "log",
        "call",
        "Ada",
        "--on",
        "2026-01-10",
        "--note",
        "Talked about her compiler project",
        "--learned",
        "She is hiring",
    )
    assert result.stdout == "Logged call with Ada Lovelace on 2026-01-10.\n"
    result = kith("follow-up", "Ada", "Send her the paper on compilers", "--due", "2026-01-12")
    follow_up = FollowUp.objects.get()
    assert (
        result.stdout
        == f"Follow-up f{follow_up.pk} for Ada Lovelace: Send her the paper on compilers (due 2026-01-12).\n"
    )

    today = kith("today", "--on", "2026-02-20")
    assert today.exit_code == 0
    assert "Follow-ups due (1)" in today.stdout
    assert (
        "Send her the paper on compilers" in today.stdout and "overdue by 39 days" in today.stdout
    )
    assert "last talked 41 days ago, cadence 30 days" in today.stdout

    show = kith("show", "Ada")
    assert "CTO at Analytical Engines" in show.stdout
    assert "ada@example.org" in show.stdout
    assert (
        "Talked about her compiler project" in show.stdout
        and "learned: She is hiring" in show.stdout
    )
    assert f"f{follow_up.pk} Send her the paper on compilers" in show.stdout

    assert "Ada Lovelace" in kith("find", "engines").stdout

    assert kith("done", str(follow_up.pk)).exit_code == 0
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None

    result = kith("snooze", "Ada", "--until", "2026-03-01")
    assert result.stdout == "Snoozed Ada Lovelace until 2026-03-01.\n"
    ada.refresh_from_db()
    assert str(ada.snoozed_until) == "2026-03-01"
    assert json.loads(kith("today", "--json").stdout)["check_ins"] == []


def test_today_json_has_the_documented_shape(kith, ada):
    kith("log", "call", "Ada", "--on", "2026-01-10")
    kith("follow-up", "Ada", "Send the paper", "--due", "2026-02-19")
    data = json.loads(kith("today", "--json").stdout)
    assert set(data) == {
        "plan",
        "date",
        "network",
        "follow_ups",
        "check_ins",
        "sections",
        "backlog",
        "upcoming_follow_ups",
    }
    assert data["date"] == "2026-02-20"
    [follow_up] = data["follow_ups"]
    assert follow_up["title"] == "Send the paper" and follow_up["days_overdue"] == 1
    assert follow_up["people"] == [{"id": ada.pk, "name": "Ada Lovelace"}]
    [check_in] = data["check_ins"]
    assert check_in == {
        "person": {
            "id": ada.pk,
            "name": "Ada Lovelace",
            "role": {"organization": "Analytical Engines", "title": "CTO"},
        },
        "circle": "close",
        "lateness": 0.37,
        "cadence_days": 30,
        "due_on": "2026-02-09",
        "days_overdue": 11,
        "last_interaction_on": "2026-01-10",
        "reason": "last talked 41 days ago, cadence 30 days",
    }
    assert data["backlog"] == {
        "budget": 5,
        "due_total": 1,
        "later": 0,
        "days_to_clear": 0,
        "schedule": [],
    }


def test_show_and_find_json(kith, ada):
    card = json.loads(kith("show", "ada@example.org", "--json").stdout)
    assert card["name"] == "Ada Lovelace" and card["circle"] == "close"
    assert card["contact_points"] == [
        {
            "kind": "email",
            "service": None,
            "label": None,
            "value": "ada@example.org",
            "primary": True,
            "verified": None,  # said of phones only
        }
    ]
    assert card["check_in"]["due_on"] == "2026-03-22"
    found = json.loads(kith("find", "mentor", "--json").stdout)
    assert [(p["name"], p["matched"]) for p in found["people"]] == [("Ada Lovelace", ["tag"])]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["add", "Bad Email", "--email", "nope"],
            "Error: email: 'nope' is not a valid email address",
        ),
        (["add", "Bad Phone", "--phone", "123"], "Error: phone: '123' is not a phone number"),
        (["add", "Bad Circle", "--circle", "bestie"], "Error: circle: 'bestie' is not a circle"),
        (["add", "Bad Every", "--every", "often"], "Error: --every: 'often' is not an interval"),
        (["log", "call", "Ada", "--on", "2026-13-01"], "Error: --on: '2026-13-01' is not a date"),
        (["log", "dance", "Ada"], "Error: kind: 'dance' is not one of: meeting, call"),
        (["follow-up", "Ada", "x", "--due", "soon"], "Error: --due: 'soon' is not a date"),
        (["today", "--on", "yesterday-ish"], "Error: --on: 'yesterday-ish' is not a date"),
    ],
)
def test_invalid_input_is_one_line_and_exit_code_2(kith, ada, args, message):
    people, interactions = Person.objects.count(), Interaction.objects.count()
    result = kith(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert (Person.objects.count(), Interaction.objects.count()) == (people, interactions)


def test_an_ambiguous_name_lists_candidates_and_exits_non_zero(kith, ada):
    kith("add", "Adam Smith", "--org", "Wealth of Nations")
    result = kith("show", "ad")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: 'ad' matches 2 people; say which:",
        "  • Ada Lovelace (CTO at Analytical Engines)",
        "  • Adam Smith (Wealth of Nations)",
    ]


def test_an_unknown_name_suggests_the_closest(kith, ada):
    result = kith("log", "call", "Ada Lovelase")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "Error: No one called 'Ada Lovelase'. Did you mean Ada Lovelace?"
    )
    assert Interaction.objects.count() == 0


def test_done_with_an_unknown_follow_up(kith, ada):
    result = kith("done", "999")
    assert result.exit_code == 1
    assert "No follow-up #999" in result.stderr


def test_done_of_another_networks_follow_up_is_not_found(kith, outsider):
    from tests.factories import make_follow_up, make_person, network_of

    theirs = network_of(outsider)
    other = make_follow_up(
        theirs, make_person(theirs, "Theirs"), due_on=__import__("datetime").date(2026, 2, 20)
    )
    result = kith("done", str(other.pk))
    assert result.exit_code == 1
    other.refresh_from_db()
    assert other.done_at is None


def test_snooze_a_follow_up_by_number(kith, ada):
    kith("follow-up", "Ada", "Send the paper", "--due", "today")
    item = FollowUp.objects.get()
    assert (
        kith("snooze", str(item.pk), "--for", "1w").stdout
        == f"Snoozed follow-up f{item.pk} Send the paper until 2026-02-27.\n"
    )


def test_recurring_follow_up_comes_back_when_done(kith, ada):
    kith("follow-up", "Ada", "Monthly notes", "--due", "2026-02-20", "--every", "monthly")
    item = FollowUp.objects.get()
    result = kith("done", str(item.pk))
    assert "Next one" in result.stdout and "due 2026-03-20" in result.stdout


def test_people_circles_settings_and_edit(kith, ada):
    kith("add", "Rex Regular", "--circle", "regular", "--connected", "2025-01-01")
    listed = json.loads(kith("people", "--due", "--json").stdout)
    assert [p["name"] for p in listed] == ["Rex Regular"]
    circles = json.loads(kith("circles", "--json").stdout)
    assert [(c["name"], c["cadence_days"], c["people"]) for c in circles][:2] == [
        ("close", 30, 1),
        ("regular", 90, 1),
    ]
    assert "every 10 days" in kith("circles", "close", "--every", "10d").stdout
    assert kith("settings", "--budget", "9", "--json").exit_code == 0
    assert json.loads(kith("settings", "--json").stdout)["daily_outreach_budget"] == 9
    assert "next check-in due 2025-01-15" in kith("edit", "Rex", "--every", "2w").stdout


def test_networks_list_and_switch(kith, owner):
    from kithkin.services.accounts import create_network

    create_network(owner, name="Side Project")
    networks = json.loads(kith("network", "list", "--json").stdout)
    assert [(n["name"], n["current"]) for n in networks] == [
        ("Olive Owner's network", False),
        ("Side Project", True),
    ]
    assert kith("network", "use", "olive owner's network").exit_code == 0
    assert json.loads(kith("network", "list", "--json").stdout)[0]["current"] is True
    assert kith("network", "use", "Nope").exit_code == 1


def test_a_viewer_is_refused_writes(viewer, network, settings):
    settings.CLI_USERNAME = "viewer"
    viewer.current_network = network
    viewer.save()
    result = CliRunner().invoke(app, ["add", "Someone"])
    assert result.exit_code == 3
    assert "may view" in result.stderr
    assert not Person.objects.filter(full_name="Someone").exists()


HOSTILE = "[bold]Mallory[/] [link=https://evil.example]x[/link] [/]"


def test_user_text_prints_as_typed_never_as_markup(kith):
    assert (
        kith(
            "add",
            HOSTILE,
            "--note",
            "[/] closes nothing",
            "--circle",
            "close",
            "--connected",
            "2025-01-01",
        ).exit_code
        == 0
    )
    kith(
        "log",
        "call",
        "Mallory",
        "--on",
        "2026-02-01",
        "--note",
        "[red]not red[/red]",
        "--learned",
        "[/]",
    )
    show = kith("show", "Mallory")
    assert show.exit_code == 0
    assert HOSTILE in show.stdout
    assert "[red]not red[/red]" in show.stdout
    assert "learned: [/]" in show.stdout
    assert "[/] closes nothing" in show.stdout
    assert HOSTILE in kith("find", "mallory").stdout
    assert HOSTILE in kith("today", "--on", "2026-03-15").stdout


def test_a_wall_of_follow_ups_is_cut_to_the_oldest_twenty(kith, ada):
    for day in range(1, 26):
        kith("follow-up", "Ada", f"Promise {day:02d}", "--due", f"2026-01-{day:02d}")
    text = kith("today").stdout
    assert "Follow-ups due (25)" in text
    assert "Promise 20" in text
    assert "Promise 21" not in text
    assert "5 more follow-ups due" in text
    assert "Promise 25" in kith("today", "--all").stdout
    assert len(json.loads(kith("today", "--json").stdout)["follow_ups"]) == 25


def test_commands_skip_the_migration_graph_only_when_the_newest_migrations_are_applied(db):
    from django.db import connection

    from kithkin.cli.context import _newest_migrations_applied

    assert _newest_migrations_applied()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'kithkin' AND name = "
            "(SELECT max(name) FROM django_migrations WHERE app = 'kithkin')"
        )
    assert not _newest_migrations_applied()  # an upgrade waiting: the full check runs
