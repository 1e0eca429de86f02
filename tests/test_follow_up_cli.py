"""`kith follow-up add|edit|delete`, and follow-up references (6, #6, f6) in one parser."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import FollowUp
from tests.conftest import TODAY
from tests.factories import make_follow_up, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def kith(owner):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


@pytest.fixture
def item(network):
    ada = make_person(network, "Ada Lovelace")
    return make_follow_up(network, ada, "Send the paper", due_on=TODAY)


def test_follow_up_still_adds_without_the_word_add(kith, network, item):
    make_person(network, "Grace Hopper")
    result = kith("follow-up", "Grace", "Book a coffee", "--due", "2026-02-25")
    assert result.exit_code == 0, result.output
    assert FollowUp.objects.filter(title="Book a coffee", due_on="2026-02-25").exists()
    assert kith("follow-up", "add", "Grace", "Call her").exit_code == 0
    assert FollowUp.objects.get(title="Call her").due_on == TODAY + dt.timedelta(days=2)


def test_follow_up_edit_changes_title_due_date_recurrence_and_people(kith, network, item):
    make_person(network, "Grace Hopper")
    result = kith(
        "follow-up",
        "edit",
        f"f{item.pk}",
        "--title",
        "Send the compiler paper",
        "--due",
        "2026-03-01",
        "--every",
        "1m",
        "--person",
        "Grace Hopper",
        "--person",
        "Ada",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Follow-up f{item.pk} for Ada Lovelace, Grace Hopper: Send the compiler paper "
        "(due 2026-03-01) (repeats).\n"
    )
    item.refresh_from_db()
    assert (item.title, str(item.due_on), item.recurrence) == (
        "Send the compiler paper",
        "2026-03-01",
        "FREQ=MONTHLY;INTERVAL=1",
    )
    assert kith("follow-up", "edit", str(item.pk), "--every", "never").exit_code == 0
    item.refresh_from_db()
    assert item.recurrence == "" and item.title == "Send the compiler paper"


def test_follow_up_edit_needs_something_to_change(kith, item):
    result = kith("follow-up", "edit", f"#{item.pk}")
    assert result.exit_code == 2
    assert "--title" in result.output


def test_follow_up_delete(kith, item):
    result = kith("follow-up", "delete", f"f{item.pk}")
    assert result.exit_code == 0
    assert result.stdout == f"Deleted follow-up f{item.pk} Send the paper.\n"
    assert not FollowUp.objects.filter(pk=item.pk).exists()


def test_another_networks_follow_up_is_not_found(kith, outsider):
    theirs = make_follow_up(
        outsider.current_network,
        make_person(outsider.current_network, "Linus Torvalds"),
        "Theirs",
        due_on=TODAY,
    )
    for args in (("edit", str(theirs.pk), "--title", "x"), ("delete", f"f{theirs.pk}")):
        result = kith("follow-up", *args)
        assert result.exit_code != 0
        assert f"No follow-up #{theirs.pk}" in result.output
    assert FollowUp.objects.get(pk=theirs.pk).title == "Theirs"


def test_a_reference_of_another_kind_is_refused(kith, item):
    result = kith("follow-up", "delete", "e6")
    assert result.exit_code == 2
    assert result.output == "Error: follow-up: 'e6' is an event; give a follow-up (f12)\n"
