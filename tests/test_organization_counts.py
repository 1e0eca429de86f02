"""Each organization's stored count of its people (``Organization.people_count``, kept by
``kithkin.organization_counts``' triggers) equals them counted by hand — the distinct
people with a current tie there, not archived, me left out — after each write path that
moves it: jobs added, ended, moved and deleted; people archived, restored, deleted, put
back from the trash, merged; organizations merged and deleted; imports and restores."""

from __future__ import annotations

import contextlib
import datetime as dt
import random

import pytest
from django.db import connection, transaction

from kithkin import organization_counts, transfer
from kithkin.errors import InvalidInput
from kithkin.models import Affiliation, Network, Organization, Person, TrashedItem
from kithkin.services import insight_totals, trash
from kithkin.services.affiliations import add_affiliation, end_affiliation, end_job_at
from kithkin.services.merge import merge_people
from kithkin.services.organizations import (
    delete_organization,
    edit_organization,
    merge_organizations,
)
from kithkin.services.people import archive_person, delete_person, unarchive_person
from tests.factories import make_person
from tests.factories_memberships import make_membership, make_organization

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 31)


def stored(network: Network) -> dict[str, int]:
    return dict(Organization.objects.filter(network=network).values_list("name", "people_count"))


def by_hand(network: Network) -> dict[str, int]:
    found = {name: set() for name in stored(network)}
    ties = Affiliation.objects.filter(
        organization__network=network,
        end_on__isnull=True,
        person__archived_at__isnull=True,
        person__is_self=False,
    )
    for name, person_id in ties.values_list("organization__name", "person_id"):
        found[name].add(person_id)
    return {name: len(people) for name, people in found.items()}


def count_at(network: Network, name: str) -> int:
    return stored(network)[name]


def test_a_job_counts_its_person_once_however_many_ties_they_have_there(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    assert count_at(network, "Analytical Engines") == 1
    add_affiliation(network, owner, ada, organization="Analytical Engines", kind="membership")
    assert count_at(network, "Analytical Engines") == 1  # one person, two ties
    make_person(network, "Grace Hopper", organization="analytical  engines")
    assert count_at(network, "Analytical Engines") == 2
    add_affiliation(network, owner, ada, organization="Old Place", end_on=DAY, start_on=None)
    assert count_at(network, "Old Place") == 0  # a past job is no one there now
    assert stored(network) == by_hand(network)


def test_ending_a_job_takes_its_person_away_when_it_was_their_last_tie_there(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    membership = add_affiliation(
        network, owner, ada, organization="Analytical Engines", kind="membership"
    )
    end_job_at(network, owner, ada, "Analytical Engines", end_on=DAY)
    assert count_at(network, "Analytical Engines") == 1  # still a member
    end_affiliation(network, owner, membership, end_on=DAY)
    assert count_at(network, "Analytical Engines") == 0
    Affiliation.objects.filter(pk=membership.pk).update(end_on=None)  # a mistake undone
    assert count_at(network, "Analytical Engines") == 1
    Affiliation.objects.filter(person=ada).delete()  # jobs deleted
    assert count_at(network, "Analytical Engines") == 0


def test_archived_people_and_me_are_not_counted(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    make_person(network, "Grace Hopper", organization="Analytical Engines")
    make_membership(network, "Analytical Engines")  # my own tie
    assert count_at(network, "Analytical Engines") == 2
    archive_person(network, owner, ada)
    assert count_at(network, "Analytical Engines") == 1
    unarchive_person(network, owner, Person.objects.get(pk=ada.pk))
    assert count_at(network, "Analytical Engines") == 2
    assert stored(network) == by_hand(network)


def test_deleting_a_person_and_restoring_them_from_the_trash(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    add_affiliation(network, owner, ada, organization="Analytical Engines", kind="membership")
    make_person(network, "Grace Hopper", organization="Analytical Engines")
    item = delete_person(network, owner, ada)
    assert count_at(network, "Analytical Engines") == 1
    trash.restore(network, owner, item)
    assert count_at(network, "Analytical Engines") == 2
    assert stored(network) == by_hand(network)


def test_merging_two_people_counts_the_one_left_once(network, owner):
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    twin = make_person(network, "Ada L.", organization="Analytical Engines")
    add_affiliation(network, owner, twin, organization="Royal Society", kind="membership")
    merge_people(network, owner, ada, twin)
    assert count_at(network, "Analytical Engines") == 1
    assert count_at(network, "Royal Society") == 1
    assert stored(network) == by_hand(network)


def test_merging_and_deleting_organizations(network, owner):
    keep = make_organization(network, "Analytical Engines", kind="company")
    other = make_organization(network, "Analytical Engines Ltd", kind="company")
    ada = make_person(network, "Ada Lovelace", organization="Analytical Engines")
    add_affiliation(network, owner, ada, organization="Analytical Engines Ltd")
    make_person(network, "Grace Hopper", organization="Analytical Engines Ltd")
    merge_organizations(network, owner, keep, other)
    assert stored(network) == {"Analytical Engines": 2}
    delete_organization(network, owner, Organization.objects.get(pk=keep.pk), force=True)
    assert stored(network) == {}


def test_saving_an_organization_read_earlier_keeps_the_count(network, owner):
    organization = make_organization(network, "Analytical Engines", kind="company")
    make_person(network, "Ada Lovelace", organization="Analytical Engines")
    assert organization.people_count == 0  # read before Ada came
    organization.notes = "Engines."
    organization.save()
    edit_organization(
        network,
        owner,
        organization,
        name="Analytical Engines",
        kind="company",
        website="",
        notes="Difference engines too.",
        tags=[],
    )
    assert count_at(network, "Analytical Engines") == 1


VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    b"EMAIL:ada@example.org\r\nORG:Analytical Engines\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\n"
    b"ORG:Analytical Engines\r\nEND:VCARD\r\n"
)


def test_an_import_and_a_restore_count_the_people_they_bring(network, owner, tmp_path):
    from kithkin.services.accounts import create_network

    path = tmp_path / "cards.vcf"
    path.write_bytes(VCARDS)
    transfer.import_file(network, owner, "vcard", path)
    assert count_at(network, "Analytical Engines") == 2
    transfer.import_file(network, owner, "vcard", path)  # again: nothing changes
    assert count_at(network, "Analytical Engines") == 2

    exported = tmp_path / "export.kithkin.json"
    exported.write_text(transfer.export_network(network, owner, "json").body)
    empty = create_network(owner, name="Restored")
    transfer.restore_file(empty, owner, exported, dry_run=False)
    assert stored(empty) == {"Analytical Engines": 2}


@pytest.mark.parametrize("seed", range(3))
def test_the_kept_counts_equal_them_counted_by_hand_after_any_mix_of_writes(network, owner, seed):
    rng = random.Random(seed)
    places = ["Analytical Engines", "Royal Society", "Navy", "Bletchley"]
    for i in range(6):
        make_person(network, f"Person {i}", organization=rng.choice(places))
    trashed: list[TrashedItem] = []

    def anyone() -> Person:
        alive = list(Person.objects.filter(network=network, is_self=False))
        if len(alive) < 3:  # deleted and merged away: someone new, with a job
            alive.append(make_person(network, f"New {len(trashed)}", organization=places[0]))
        return rng.choice(alive)

    for _ in range(40):
        action = rng.choice(
            ["job", "job", "member", "end", "archive", "delete", "restore", "merge", "org"]
        )
        person = anyone()
        if action in ("job", "member"):
            kind = "employment" if action == "job" else "membership"
            add_affiliation(network, owner, person, organization=rng.choice(places), kind=kind)
        elif action == "end":
            tie = Affiliation.objects.filter(person=person, end_on__isnull=True).first()
            if tie is not None:
                end_affiliation(network, owner, tie, end_on=DAY)
        elif action == "archive":
            if person.archived_at is None:
                archive_person(network, owner, person)
            else:
                unarchive_person(network, owner, person)
        elif action == "delete":
            trashed.append(delete_person(network, owner, person))
        elif action == "restore" and trashed:
            with contextlib.suppress(InvalidInput):
                trash.restore(network, owner, trashed.pop(rng.randrange(len(trashed))))
        elif action == "merge":
            other = anyone()
            if other.pk != person.pk:
                merge_people(network, owner, person, other)
        elif action == "org":
            organizations = list(Organization.objects.filter(network=network))
            if len(organizations) > 1:
                keep, other = rng.sample(organizations, 2)
                merge_organizations(network, owner, keep, other)
                places = [o.name for o in Organization.objects.filter(network=network)]
        assert stored(network) == by_hand(network), action

    assert any(stored(network).values())


def test_a_bulk_insert_of_two_ties_of_one_person_counts_them_once(network):
    # One statement (an import's bulk insert, an update of many): on PostgreSQL one
    # statement trigger compares each person's ties there before and after it.
    ada = make_person(network, "Ada Lovelace")
    place = Organization.objects.create(network=network, name="Analytical Engines")
    Affiliation.objects.bulk_create(
        [
            Affiliation(person=ada, organization=place, kind="employment"),
            Affiliation(person=ada, organization=place, kind="membership"),
        ]
    )
    assert count_at(network, "Analytical Engines") == 1
    Affiliation.objects.filter(person=ada).update(end_on=DAY)
    assert count_at(network, "Analytical Engines") == 0


def test_kith_doctor_finds_counts_that_drifted_and_stats_rebuild_repairs_them(kith, network):
    make_person(network, "Ada Lovelace", organization="Analytical Engines")
    assert all(f.ok for f in organization_counts.counts_match())
    Organization.objects.filter(network=network).update(people_count=7)  # drifted, somehow
    (finding,) = organization_counts.counts_match()
    assert not finding.ok and "kith stats --rebuild" in finding.detail

    result = kith("stats", "--rebuild", "--json")

    assert result.exit_code == 0, result.output
    assert count_at(network, "Analytical Engines") == 1
    assert all(f.ok for f in organization_counts.counts_match())


def test_missing_triggers_are_found_and_made_again_with_every_count(network):
    make_person(network, "Ada Lovelace", organization="Analytical Engines")
    with transaction.atomic():
        organization_counts.drop_triggers(connection)
        make_person(network, "Grace Hopper", organization="Analytical Engines")
        (finding,) = organization_counts.counts_match()
        assert not finding.ok and "missing" in finding.detail
        insight_totals.rebuild(network)
        assert count_at(network, "Analytical Engines") == 2
        assert all(f.ok for f in organization_counts.counts_match())
