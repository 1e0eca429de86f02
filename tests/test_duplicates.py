"""Finding people recorded twice: every reason, the ranking, and what is never suggested."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import Person
from kithkin.queries import duplicates
from kithkin.queries.duplicates import find_duplicates, is_nickname_pair
from kithkin.services.merge import dismiss_duplicate
from kithkin.services.people import archive_person
from tests.factories import make_person, network_of

pytestmark = pytest.mark.django_db


def pairs(network, **options) -> list[tuple[str, str, float, list[str]]]:
    return [
        (pair.a.full_name, pair.b.full_name, pair.score, pair.reasons)
        for pair in find_duplicates(network, **options)
    ]


def test_the_same_email_is_a_duplicate_whatever_the_names(network):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    make_person(network, "Augusta King", emails=["ADA@example.org"])
    assert pairs(network) == [
        ("Ada Lovelace", "Augusta King", 0.95, ["same email ada@example.org"])
    ]


def test_the_same_phone_and_the_same_linkedin_profile(network):
    make_person(network, "Grace Hopper", phones=["+44 20 7946 0958"])
    make_person(network, "Amazing Grace", phones=["+442079460958"])
    make_person(network, "Alan Turing", urls=["https://uk.linkedin.com/in/alan-turing/"])
    make_person(network, "A. M. Turing", urls=["linkedin.com/in/Alan-Turing"])
    found = {(a, b): reasons for a, b, _, reasons in pairs(network)}
    assert found == {
        ("Grace Hopper", "Amazing Grace"): ["same phone +44 20 7946 0958"],
        ("Alan Turing", "A. M. Turing"): ["same LinkedIn profile"],
    }


def test_names_alone_with_and_without_an_organization(network):
    make_person(network, "Ada Lovelace", organization="Analytical Engines")
    make_person(network, "ada  LOVELACE", organization="analytical engines")
    make_person(network, "Grace Hopper")
    make_person(network, "Grace Hopper", organization="Navy")
    assert pairs(network) == [
        (
            "Ada Lovelace",
            "ada LOVELACE",
            0.9,
            ["same name at the same organization (Analytical Engines)"],
        ),
        ("Grace Hopper", "Grace Hopper", 0.75, ["same name"]),
    ]


def test_nickname_pairs_need_the_same_family_name(network):
    make_person(network, "Robert Smith")
    make_person(network, "Bob Smith")
    make_person(network, "Bob Jones")
    make_person(network, "Liz Taylor", organization="MGM")
    make_person(network, "Elizabeth Taylor", organization="MGM")
    assert pairs(network) == [
        ("Liz Taylor", "Elizabeth Taylor", 0.9, [
            "nickname pair Liz/Elizabeth at the same organization (MGM)"
        ]),
        ("Robert Smith", "Bob Smith", 0.8, ["nickname pair Robert/Bob"]),
    ]  # fmt: skip


def test_nicknames_of_one_name_pair_up_but_two_different_names_do_not():
    assert is_nickname_pair("Bob", "Robert")
    assert is_nickname_pair("bob", "Rob")  # both short for Robert
    assert is_nickname_pair("Katherine", "Catherine")
    assert not is_nickname_pair("Alexander", "Alexandra")
    assert not is_nickname_pair("Alex", "Alex")


def test_similar_names_count_at_the_same_organization_or_when_nearly_identical(network):
    make_person(network, "Jon Smith", organization="Acme")
    make_person(network, "John Smith", organization="Acme")
    make_person(network, "Christopher Montgomery")
    make_person(network, "Christopher Montgomary")
    make_person(network, "Jon Baker")
    make_person(network, "John Baker")  # alike, but without an organization not enough
    make_person(network, "Alexander Wolf", organization="Acme")
    make_person(network, "Alexandra Wolf", organization="Acme")  # a different name
    assert pairs(network) == [
        ("Jon Smith", "John Smith", 0.8, [
            "similar names (Jon Smith / John Smith) at the same organization (Acme)"
        ]),
        ("Christopher Montgomery", "Christopher Montgomary", 0.6, [
            "similar names (Christopher Montgomery / Christopher Montgomary)"
        ]),
    ]  # fmt: skip


def test_two_spellings_many_people_have_are_two_names_unless_at_the_same_organization(network):
    for given in ("Ana", "Beto", "Caio"):
        make_person(network, f"{given} Santos")
        make_person(network, f"{given} Santoso")
    make_person(network, "Dalia Santos")
    make_person(network, "Dalia Santoso")  # Santos and Santoso are both family names here
    assert pairs(network) == []
    make_person(network, "Priya Santos", organization="Acme")
    make_person(network, "Priya Santoso", organization="Acme")
    assert [(a, b, score) for a, b, score, _ in pairs(network)] == [
        ("Priya Santos", "Priya Santoso", 0.8)
    ]


def test_pairs_are_ranked_by_score_and_several_signals_add_up(network):
    make_person(network, "Grace Hopper")
    make_person(network, "Grace Hopper")
    make_person(network, "Ada Lovelace", emails=["ada@example.org"], phones=["+44 20 7946 0958"])
    make_person(network, "Ada Lovelace", emails=["ada@example.org"], phones=["+442079460958"])
    make_person(network, "Robert Smith", organization="Acme")
    make_person(network, "Bob Smith", organization="Acme")
    make_person(network, "Alan Turing", emails=["alan@example.org"])
    make_person(network, "Turing", emails=["alan@example.org"])
    found = pairs(network)
    assert [(a, score) for a, _, score, _ in found] == [
        ("Ada Lovelace", 0.99),
        ("Alan Turing", 0.95),
        ("Robert Smith", 0.9),
        ("Grace Hopper", 0.75),
    ]
    assert found[0][3] == [
        "same email ada@example.org",
        "same phone +44 20 7946 0958",
        "same name",
    ]
    assert len(pairs(network, limit=2)) == 2


def test_dismissed_pairs_archived_people_and_me_are_never_suggested(network, owner):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    augusta = make_person(network, "Augusta King", emails=["ada@example.org"])
    make_person(network, "Grace Hopper")
    archived = make_person(network, "Grace Hopper")
    make_person(network, "Olive Owner")  # *me* is Olive Owner
    assert len(pairs(network)) == 2
    dismiss_duplicate(network, owner, augusta, ada)
    dismiss_duplicate(network, owner, ada, augusta)  # said twice: remembered once
    archive_person(network, owner, archived)
    assert pairs(network) == []


def test_networks_are_never_mixed(network, outsider):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    make_person(network_of(outsider), "Ada Lovelace", emails=["ada@example.org"])
    assert pairs(network) == []
    assert pairs(network_of(outsider)) == []


def test_a_key_shared_by_many_is_a_switchboard_not_a_duplicate(network):
    for number in range(duplicates.MAX_SHARED_KEY + 1):
        make_person(network, f"Person {number}", phones=["+44 20 7946 0000"])
    assert pairs(network) == []


def test_blocking_still_finds_them_among_many_namesakes(network, monkeypatch):
    """Blocks larger than MAX_BLOCK are split by first initial: the pairs are still found."""
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 4)
    for given in ("Ann", "Ben", "Carl", "Dora", "Emil", "Fay", "Gus", "Hal"):
        make_person(network, f"{given} Smith", organization="Acme")
    make_person(network, "Jon Smith", organization="Acme")
    make_person(network, "John Smith", organization="Acme")
    make_person(network, "Bob Smith", organization="Acme")
    make_person(network, "Robert Smith", organization="Acme")
    make_person(network, "Grace Hopper", organization="Acme")
    make_person(network, "Grace Hoppre", organization="Acme")  # a typo in the family name
    found = {(a, b): score for a, b, score, _ in pairs(network)}
    assert found == {
        ("Bob Smith", "Robert Smith"): 0.9,
        ("Jon Smith", "John Smith"): 0.8,
        ("Grace Hopper", "Grace Hoppre"): 0.8,
    }


def test_the_pair_holds_the_people_with_their_roles_loaded(network, django_assert_num_queries):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"], organization="Engines")
    make_person(network, "Ada King", emails=["ada@example.org"])
    [pair] = find_duplicates(network)
    assert isinstance(pair.a, Person) and pair.a.pk < pair.b.pk
    with django_assert_num_queries(0):
        assert [str(a) for a in pair.a.affiliations.all()] == ["Engines"]


@pytest.fixture
def kith(owner):
    """Run `kith ARGS...` as the owner."""
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_kith_dupes_numbers_the_pairs_with_names_roles_and_reasons(kith, network):
    ada = make_person(
        network, "Ada Lovelace", emails=["ada@example.org"], organization="Engines", title="CTO"
    )
    augusta = make_person(network, "Augusta King", emails=["ada@example.org"])
    make_person(network, "Grace Hopper")
    make_person(network, "Grace Hopper")
    result = kith("dupes")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()  # piped: one pair a line, tab-separated, no header
    assert lines[0].split("\t")[:2] == ["1.", "0.95"]
    assert lines[0].split() == [
        "1.", "0.95", f"p{ada.pk}", "Ada", "Lovelace", "(CTO", "at", "Engines)",
        f"p{augusta.pk}", "Augusta", "King", "same", "email", "ada@example.org",
    ]  # fmt: skip
    assert lines[1].startswith("2.\t") and "same name" in lines[1]
    assert "kith merge" in result.stdout
    assert kith("dupes", "--limit", "1").stdout.count("0.") == 1


def test_kith_dupes_json(kith, network):
    ada = make_person(
        network, "Ada Lovelace", emails=["ada@example.org"], organization="Engines", title="CTO"
    )
    augusta = make_person(network, "Augusta King", emails=["ada@example.org"])
    assert json.loads(kith("dupes", "--json").stdout) == [
        {
            "score": 0.95,
            "a": {
                "id": ada.pk,
                "name": "Ada Lovelace",
                "role": {"organization": "Engines", "title": "CTO"},
            },
            "b": {"id": augusta.pk, "name": "Augusta King", "role": None},
            "reasons": ["same email ada@example.org"],
        }
    ]


def test_kith_dupes_with_none(kith, network):
    make_person(network, "Ada Lovelace")
    result = kith("dupes")
    assert (result.exit_code, result.stdout) == (0, "No likely duplicates.\n")
