"""The stored duplicate pairs (services.duplicates): what the page and `kith dupes` read is
what ``find_duplicates`` computes on the same data, after every kind of write."""

from __future__ import annotations

import pytest

from kithkin.models import DuplicateCandidate, DuplicateScan, Person
from kithkin.queries import duplicates as duplicate_queries
from kithkin.queries.duplicates import find_duplicates, stored_duplicates
from kithkin.services import duplicates, people_bulk
from kithkin.services.contact_points import add_contact_point
from kithkin.services.merge import dismiss_duplicate, merge_people
from kithkin.services.people import PersonChanges, archive_person, delete_person, update_person
from tests.factories import make_person, owner_of

pytestmark = pytest.mark.django_db

EVERYONE = 10_000


def shown(pairs) -> list[tuple[int, int, float, list[str]]]:
    return [(pair.a.pk, pair.b.pk, pair.score, pair.reasons) for pair in pairs]


def stored(network) -> list[tuple[int, int, float, list[str]]]:
    return shown(stored_duplicates(network, limit=EVERYONE))


def computed(network) -> list[tuple[int, int, float, list[str]]]:
    return shown(find_duplicates(network, limit=EVERYONE))


def crowd(network) -> dict[str, Person]:
    """Pairs of every kind, namesakes past MAX_NAME_GROUP, a switchboard number, words
    many people share, and people who look like nobody."""
    people = {
        "ada": make_person(network, "Ada Lovelace", emails=["ada@example.org"]),
        "augusta": make_person(network, "Augusta King", emails=["ADA@example.org"]),
        "robert": make_person(network, "Robert Smith", organization="Acme"),
        "bob": make_person(network, "Bob Smith", organization="Acme"),
        "molly": make_person(network, "Molly Martinez", organization="Initech"),
        "typo": make_person(network, "Molly Mratinez", organization="Initech"),
        "grace": make_person(network, "Grace Hopper", phones=["+44 20 7946 0958"]),
        "amazing": make_person(network, "Amazing Grace", phones=["+442079460958"]),
        "santos": make_person(network, "Maria Santos"),
        "santoso": make_person(network, "Maria Santoso"),
        "alan": make_person(network, "Alan Turing", urls=["https://linkedin.com/in/alan-turing"]),
    }
    for i in range(3):
        make_person(network, f"Paulo Santoso{'s' * i}")
    for i in range(4):
        make_person(network, f"Kim Park {i}", phones=["+33 1 40 00 00 00"])
    for _ in range(3):
        make_person(network, "Jon Namesake")
    for i in range(5):
        make_person(network, f"Someone Different{i} Unalike{i * 7}")
    return people


def test_the_stored_pairs_are_the_computed_pairs(network):
    crowd(network)
    status = duplicates.ensure_current(network)
    assert status.current
    assert stored(network) == computed(network)
    assert len(stored(network)) >= 8


def test_every_kind_of_write_leaves_the_stored_pairs_equal_to_a_computation(network):
    people = crowd(network)
    actor = owner_of(network)
    duplicates.ensure_current(network)
    writes = [
        lambda: make_person(network, "Ada Lovelace"),
        lambda: update_person(
            network, actor, people["santoso"], PersonChanges(full_name="Maria Santos")
        ),
        lambda: add_contact_point(
            network, actor, people["alan"], kind="email", value="molly@example.org"
        ),
        lambda: add_contact_point(
            network, actor, people["molly"], kind="email", value="MOLLY@example.org"
        ),
        lambda: archive_person(network, actor, people["amazing"]),
        lambda: people_bulk.archive(network, actor, [people["typo"].pk]),
        lambda: merge_people(network, actor, people["robert"], people["bob"]),
        lambda: delete_person(network, actor, people["augusta"]),
    ]
    for write in writes:
        write()
        assert duplicates.status(network).pending
        duplicates.ensure_current(network)
        assert duplicates.status(network).current
        assert stored(network) == computed(network)


def test_a_dismissed_pair_stays_dismissed_and_an_archived_person_never_shows(network):
    people = crowd(network)
    actor = owner_of(network)
    duplicates.ensure_current(network)
    dismiss_duplicate(network, actor, people["ada"], people["augusta"])
    archive_person(network, actor, people["grace"])
    # Stale, not yet computed again: still neither shows.
    ids = {pk for a, b, _, _ in stored(network) for pk in (a, b)}
    assert people["grace"].pk not in ids
    assert (people["ada"].pk, people["augusta"].pk) not in {(a, b) for a, b, *_ in stored(network)}
    duplicates.ensure_current(network)
    assert (people["ada"].pk, people["augusta"].pk) not in {(a, b) for a, b, *_ in stored(network)}
    assert stored(network) == computed(network)


def test_a_merge_takes_the_pairs_of_the_merged_person_away(network):
    people = crowd(network)
    actor = owner_of(network)
    duplicates.ensure_current(network)
    gone = people["bob"].pk
    merge_people(network, actor, people["robert"], people["bob"])
    assert not DuplicateCandidate.objects.filter(person_a=gone).exists()
    assert not DuplicateCandidate.objects.filter(person_b=gone).exists()
    assert gone not in {pk for a, b, _, _ in stored(network) for pk in (a, b)}


def test_a_write_during_the_computation_leaves_the_pairs_stale(network, monkeypatch):
    crowd(network)
    computing = duplicate_queries.ranked_pairs

    def meanwhile(of):
        make_person(network, "Ada Lovelace")  # committed while the pairs are computed
        return computing(of)

    monkeypatch.setattr(duplicate_queries, "ranked_pairs", meanwhile)
    duplicates.refresh_duplicates(network)
    assert duplicates.status(network).pending
    monkeypatch.setattr(duplicate_queries, "ranked_pairs", computing)
    duplicates.ensure_current(network)
    assert stored(network) == computed(network)


def test_only_one_background_computation_runs_per_network(network):
    assert duplicates._claim(network.pk)
    assert not duplicates._claim(network.pk)
    DuplicateScan.objects.filter(network=network).update(computing_since=None)
    assert duplicates._claim(network.pk)


def test_the_background_computation_stores_the_pairs_and_lets_go(network):
    crowd(network)
    duplicates._claim(network.pk)
    duplicates.compute_duplicates.call(network.pk)
    assert duplicates.status(network).current
    assert DuplicateScan.objects.get(network=network).computing_since is None
    assert stored(network) == computed(network)


def test_kith_dupes_reads_the_stored_pairs_brought_up_to_date(network, kith):
    people = crowd(network)
    duplicates.ensure_current(network)
    make_person(network, "Ada King", emails=["ada@example.org"])
    result = kith("dupes", "--json", "--limit", "100")
    assert result.exit_code == 0
    assert duplicates.status(network).current
    assert people["ada"].full_name in result.stdout
    assert "Ada King" in result.stdout
