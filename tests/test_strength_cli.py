"""`kith strength [NAME] [--json]`: one person's strength in words, or the strongest and
the fading ties."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin.models import Network
from tests.conftest import TODAY
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def ties(network: Network) -> None:
    ada = make_person(network, "Ada Lovelace")
    bob = make_person(network, "Bob Steady")
    for n in range(95, 400, 30):  # close until three months ago, silent since
        log(network, ada, on=days_ago(n), kind="meeting", direction="inbound")
    for n in range(5, 400, 30):
        log(network, bob, on=days_ago(n), kind="meeting")


@pytest.mark.usefixtures("ties")
def test_one_persons_strength_in_words(kith) -> None:
    result = kith("strength", "Ada")
    assert result.exit_code == 0, result.output
    first, words = result.stdout.splitlines()
    assert first.startswith("Ada Lovelace: ") and "↓" in first and "since 90 days ago" in first
    assert words.strip().startswith("last in touch 95 days ago; 9 interactions in the past year")


@pytest.mark.usefixtures("ties")
def test_the_strongest_and_the_fading_ties(kith) -> None:
    result = kith("strength")
    assert result.exit_code == 0, result.output
    strongest, fading = result.stdout.split("Fading ties:")
    assert strongest.index("Bob Steady") < strongest.index("Ada Lovelace")
    assert "Ada Lovelace" in fading and "Bob Steady" not in fading


@pytest.mark.usefixtures("ties")
def test_json_says_the_score_its_trend_words_and_factors(kith) -> None:
    one = json.loads(kith("strength", "Bob", "--json").stdout)
    assert one["name"] == "Bob Steady" and one["factors"]["deep"] == 12
    assert one["explanation"] == "; ".join(one["words"])
    both = json.loads(kith("strength", "--json").stdout)
    assert [row["name"] for row in both["fading"]] == ["Ada Lovelace"]
    assert both["fading"][0]["trend"] < 0


def test_someone_without_contact_has_no_strength_yet(kith, network: Network) -> None:
    make_person(network, "Grace Hopper")
    assert "no strength yet" in kith("strength", "Grace").stdout
    assert json.loads(kith("strength", "Grace", "--json").stdout)["score"] == 0
    assert "Fading ties: none." in kith("strength").stdout
