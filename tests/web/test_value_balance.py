"""The value balance is defined once (queries.ledger.balance_with) and reads the same on
the person page, the prep brief (web and `kith brief`) and `kith ledger PERSON`."""

from __future__ import annotations

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.queries.brief import prep_brief
from kithkin.queries.ledger import balance_with, person_ledger
from tests.conftest import TODAY
from tests.factories import make_person
from tests.factories_ledger import gave, received

pytestmark = pytest.mark.django_db

SENTENCE = "You gave 3, they gave 1: you have given more."


@pytest.fixture
def ada(network):
    """Two things I gave her (weights 2 and 1), one she gave me (weight 1): the person page
    once said "You gave 2" (times) and the brief "You gave 1" (another count)."""
    ada = make_person(network, "Ada Lovelace")
    gave(network, ada, "advice", "Reviewed her talk", weight=2)
    gave(network, ada, "resource", "Sent the paper", weight=1)
    received(network, ada, "referral", "Introduced me to Grace", weight=1)
    return ada


def test_one_ledger_reads_the_same_everywhere(owner_client, network, ada):
    balance = balance_with(network, ada)
    assert (balance.given, balance.received, balance.balance) == (3, 1, -2)
    assert balance.sentence == SENTENCE
    assert person_ledger(network, ada).balance == balance
    assert prep_brief(network, ada, TODAY).balance == balance

    person_page = owner_client.get(reverse("person", args=[ada.pk])).content.decode()
    assert SENTENCE in person_page
    brief_page = owner_client.get(reverse("person_brief", args=[ada.pk])).content.decode()
    assert SENTENCE in brief_page

    runner = CliRunner()
    ledger = runner.invoke(app, ["ledger", "Ada Lovelace"], catch_exceptions=False)
    assert ledger.exit_code == 0, ledger.output
    assert SENTENCE in ledger.stdout.splitlines()
    brief = runner.invoke(app, ["brief", "Ada Lovelace"], catch_exceptions=False)
    assert brief.exit_code == 0, brief.output
    assert f"Value: {SENTENCE}" in brief.stdout.splitlines()


def test_nothing_exchanged_shows_no_balance(network):
    grace = make_person(network, "Grace Hopper")
    assert not balance_with(network, grace)
    assert not prep_brief(network, grace, TODAY).balance
