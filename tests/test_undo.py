"""Undo: every action in place (done, snooze, log, thank, celebrate) reverts for real, only
by the user who acted, in the network they acted in; `kith undo` reverts the last one."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from kithkin import access
from kithkin.cli.app import app
from kithkin.dates import Every
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import FollowUp, Interaction, Person, UndoableAction, ValueExchange
from kithkin.queries import ledger as ledger_queries
from kithkin.queries import milestones as milestone_queries
from kithkin.services import ledger, milestones, undo
from kithkin.services.followups import complete_follow_up, snooze_follow_up
from kithkin.services.interactions import log_interaction
from kithkin.services.people import snooze_person
from tests.conftest import FROZEN_NOW, TODAY
from tests.factories import log, make_follow_up, make_person, network_of
from tests.factories_ledger import received
from tests.factories_milestones import make_milestone

pytestmark = pytest.mark.django_db


def undo_last(network, user) -> UndoableAction:
    return undo.undo(network, user, access.last_undoable_action(user, network))


@pytest.fixture
def ada(network):
    person = make_person(network, "Ada Lovelace", circle="close")
    log(network, person, on=dt.date(2025, 10, 1), next_questions="How is the engine?")
    return Person.objects.get(pk=person.pk)


def test_undo_done_reopens_the_follow_up_and_removes_the_next_one(network, owner, ada):
    item = make_follow_up(network, ada, "Monthly call", due_on=TODAY, every=Every(1, "m"))
    following = complete_follow_up(network, owner, item, today=TODAY)
    assert following is not None

    action = undo_last(network, owner)

    assert action.kind == "done" and action.summary == "Done: Monthly call"
    item.refresh_from_db()
    assert item.done_at is None
    assert not FollowUp.objects.filter(pk=following.pk).exists()
    assert list(FollowUp.objects.filter(network=network)) == [item]


def test_undo_snooze_of_a_follow_up_brings_its_due_date_back(network, owner, ada):
    item = make_follow_up(network, ada, due_on=TODAY - dt.timedelta(days=2))
    snooze_follow_up(network, owner, item, TODAY + dt.timedelta(days=7), today=TODAY)
    undo_last(network, owner)
    item.refresh_from_db()
    assert item.due_on == TODAY - dt.timedelta(days=2)


def test_undo_snooze_of_a_person_brings_the_check_in_back(network, owner, ada):
    due = ada.check_in_due_on
    assert due is not None and due <= TODAY
    snooze_person(network, owner, ada, TODAY + dt.timedelta(days=30), today=TODAY)
    action = undo_last(network, owner)
    assert action.summary == "Snoozed Ada Lovelace until 22 Mar"
    ada.refresh_from_db()
    assert ada.snoozed_until is None
    assert ada.check_in_due_on == due


def test_undo_log_removes_the_interaction_and_reopens_the_questions(network, owner, ada):
    before = (ada.last_interaction_at, ada.check_in_due_on)
    interaction = log_interaction(
        network, owner, kind="call", people=[ada], occurred_at=FROZEN_NOW, summary="Caught up"
    )
    assert Interaction.objects.filter(questions_answered_at__isnull=False).count() == 1

    action = undo_last(network, owner)

    assert action.kind == "log" and action.summary == "Logged a call with Ada Lovelace"
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    assert Interaction.objects.filter(questions_answered_at__isnull=False).count() == 0
    ada.refresh_from_db()
    assert (ada.last_interaction_at, ada.check_in_due_on) == before


def test_undo_thank_leaves_the_help_unthanked_and_back_on_the_agenda(network, owner, ada):
    exchange = received(network, ada, on=TODAY - dt.timedelta(days=6))
    assert len(ledger_queries.thanks_due(network, TODAY).items) == 1
    thanks = ledger.thank(network, owner, ada, today=TODAY)

    action = undo_last(network, owner)

    assert action.kind == "thank" and action.summary == "Thanked Ada Lovelace"
    exchange.refresh_from_db()
    assert exchange.thanked_at is None and exchange.thanked_in is None
    assert not Interaction.objects.filter(pk=thanks.interaction.pk).exists()
    assert len(ledger_queries.thanks_due(network, TODAY).items) == 1
    # one action for the thank-you, not a second one for the message it logged
    assert UndoableAction.objects.filter(kind="log", summary__contains="message").count() == 0


def test_undo_celebrate_puts_the_milestone_back_on_the_agenda(network, owner, ada):
    milestone = make_milestone(network, ada, "promotion", on=TODAY - dt.timedelta(days=1))
    interaction = milestones.celebrate_milestone(network, owner, milestone, today=TODAY)
    assert milestone_queries.celebrations(network, TODAY).items == []

    action = undo_last(network, owner)

    assert action.kind == "celebrate"
    assert action.summary == "Celebrated Ada Lovelace: promotion"
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    assert [i.record_id for i in milestone_queries.celebrations(network, TODAY).items] == [
        milestone.pk
    ]


def test_an_action_is_undone_once_and_undo_walks_back_in_order(network, owner, ada):
    item = make_follow_up(network, ada, due_on=TODAY)
    snooze_follow_up(network, owner, item, TODAY + dt.timedelta(days=3), today=TODAY)
    complete_follow_up(network, owner, item, today=TODAY)
    done = access.last_undoable_action(owner, network)
    undo.undo(network, owner, done)
    with pytest.raises(InvalidInput, match="already undone"):
        undo.undo(network, owner, done)
    undo_last(network, owner)  # the snooze
    item.refresh_from_db()
    assert (item.done_at, item.due_on) == (None, TODAY)


def test_only_the_user_who_acted_can_undo_in_that_network(
    network, owner, teammate, viewer, outsider, ada
):
    item = make_follow_up(network, ada, due_on=TODAY)
    complete_follow_up(network, owner, item, today=TODAY)
    action = access.last_undoable_action(owner, network)

    with pytest.raises(NotFound):
        access.undoable_action_for(teammate, network, action.pk)
    with pytest.raises(NotFound):
        access.undoable_action_for(outsider, network, action.pk)
    with pytest.raises(NotFound):
        access.undoable_action_for(outsider, network_of(outsider), action.pk)
    with pytest.raises(NotFound):
        access.last_undoable_action(teammate, network)
    with pytest.raises(Forbidden):
        undo.undo(network, viewer, action)
    with pytest.raises(InvalidInput):
        undo.undo(network, teammate, action)
    item.refresh_from_db()
    assert item.done_at is not None


def test_kith_undo_reverts_the_last_cli_action(network, owner, ada):
    runner = CliRunner()
    item = make_follow_up(network, ada, "Send the paper", due_on=TODAY)

    done = runner.invoke(app, ["done", f"f{item.pk}"], catch_exceptions=False)
    assert done.exit_code == 0
    result = runner.invoke(app, ["undo"], catch_exceptions=False)

    assert result.exit_code == 0
    assert result.stdout == "Undone: Done: Send the paper.\n"
    item.refresh_from_db()
    assert item.done_at is None

    thanked = received(network, ada, on=TODAY - dt.timedelta(days=5))
    runner.invoke(app, ["thank", "Ada"], catch_exceptions=False)
    assert runner.invoke(app, ["undo"]).stdout == "Undone: Thanked Ada Lovelace.\n"
    assert ValueExchange.objects.get(pk=thanked.pk).thanked_at is None


def test_kith_undo_with_nothing_to_undo_says_so(owner):
    result = CliRunner().invoke(app, ["undo"])
    assert result.exit_code != 0
    assert "Nothing to undo" in result.output
