"""Deleting moves to the trash; restoring brings back every row and link, with their ids."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin import clock
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import (
    Affiliation,
    Change,
    ContactPoint,
    FollowUp,
    Interaction,
    InteractionParticipant,
    InteractionTally,
    Person,
    Relationship,
    TrashedItem,
)
from kithkin.queries.agenda import agenda
from kithkin.queries.search import search
from kithkin.services import changes, trash
from kithkin.services.followups import delete_follow_up
from kithkin.services.interactions import delete_interaction
from kithkin.services.people import delete_person
from tests.factories import log, make_follow_up, make_person
from tests.factories_milestones import make_job

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 20)


@pytest.fixture
def ada(network):
    return make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        tags=["mathematics"],
        circle="close",
        notes="Works on the analytical engine",
    )


@pytest.fixture
def grace(network, ada):
    return make_person(network, "Grace Hopper", introduced_by=ada)


def everything_of(network, ada, grace):
    """A person with interactions (one shared), follow-ups, a job and a relationship."""
    alone = log(network, ada, on=TODAY - dt.timedelta(days=40), summary="Talked compilers")
    shared = log(network, [ada, grace], on=TODAY - dt.timedelta(days=45), summary="Lunch")
    owed = make_follow_up(network, ada, "Send the paper", due_on=TODAY - dt.timedelta(days=1))
    both = make_follow_up(network, [ada, grace], "Plan the meetup", due_on=TODAY)
    job = make_job(network, ada, "Analytical Engines", start_on=dt.date(2020, 1, 1))
    related = Relationship.objects.create(
        network=network, from_person=grace, to_person=ada, kind="friend"
    )
    return alone, shared, owed, both, job, related


def test_deleting_a_person_moves_them_and_what_was_theirs_alone_to_the_trash(
    network, owner, ada, grace
):
    alone, shared, owed, both, _job, related = everything_of(network, ada, grace)
    ada_id = ada.pk

    item = delete_person(network, owner, ada)

    assert not Person.objects.filter(pk=ada_id).exists()
    assert not Interaction.objects.filter(pk=alone.pk).exists()
    assert list(shared.participants.all()) == [grace]
    assert not FollowUp.objects.filter(pk=owed.pk).exists()
    assert list(both.people.all()) == [grace]
    assert not Relationship.objects.filter(pk=related.pk).exists()
    grace.refresh_from_db()
    assert grace.introduced_by_id is None
    assert (item.kind, item.record_id, item.name) == ("person", ada_id, "Ada Lovelace")
    assert item.deleted_by == owner
    change = Change.objects.filter(kind="person.deleted").get()
    assert change.data == {"trash_id": item.pk}


def test_restoring_a_person_brings_back_every_row_and_link_with_its_id(network, owner, ada, grace):
    alone, shared, owed, both, job, related = everything_of(network, ada, grace)
    ada_id, owed_id = ada.pk, owed.pk
    points = set(ContactPoint.objects.filter(person=ada).values_list("pk", "value"))
    tally = InteractionTally.objects.get(person=ada)
    ada.refresh_from_db()
    due, last = ada.check_in_due_on, ada.last_interaction_at
    item = delete_person(network, owner, ada)
    assert search(network, "analytical").people == []

    restored = trash.restore(network, owner, item)

    assert restored.sentence() == "Restored Ada Lovelace."
    back = Person.objects.get(pk=ada_id)
    assert back.full_name == "Ada Lovelace"
    assert list(back.tags.values_list("name", flat=True)) == ["mathematics"]
    assert set(ContactPoint.objects.filter(person=back).values_list("pk", "value")) == points
    assert Interaction.objects.get(pk=alone.pk).summary == "Talked compilers"
    assert set(shared.participants.values_list("pk", flat=True)) == {ada_id, grace.pk}
    assert FollowUp.objects.get(pk=owed_id).title == "Send the paper"
    assert set(both.people.values_list("pk", flat=True)) == {ada_id, grace.pk}
    assert Affiliation.objects.get(pk=job.pk).person_id == ada_id
    assert Relationship.objects.get(pk=related.pk).to_person_id == ada_id
    grace.refresh_from_db()
    assert grace.introduced_by_id == ada_id
    # Derived state is current again: due date, last interaction, tally, search, agenda.
    assert (back.check_in_due_on, back.last_interaction_at) == (due, last)
    assert InteractionTally.objects.get(person=back).talks == tally.talks
    assert [hit.person.pk for hit in search(network, "analytical").people] == [ada_id]
    today = agenda(network, TODAY)
    assert "Send the paper" in [entry.title for entry in today.follow_ups_due]
    assert ada_id in [entry.person.pk for entry in today.check_ins]
    assert not TrashedItem.objects.exists()
    change = Change.objects.filter(kind="trash.restored").get()
    assert change.record_id == ada_id and change.actor == owner
    assert set(change.person_ids) == {ada_id, grace.pk}


def test_an_interaction_and_a_follow_up_come_back_from_the_trash(network, owner, ada, grace):
    talk = log(network, [ada, grace], on=TODAY - dt.timedelta(days=3), summary="Coffee")
    owed = make_follow_up(network, ada, "Send the paper", due_on=TODAY)
    talk_id, owed_id = talk.pk, owed.pk
    talk_item = delete_interaction(network, owner, talk)
    owed_item = delete_follow_up(network, owner, owed)
    ada.refresh_from_db()
    assert ada.last_interaction_at is None

    assert trash.restore(network, owner, talk_item).sentence() == (
        "Restored the interaction Coffee."
    )
    trash.restore(network, owner, owed_item)

    assert set(Interaction.objects.get(pk=talk_id).participants.all()) == {ada, grace}
    assert list(FollowUp.objects.get(pk=owed_id).people.all()) == [ada]
    ada.refresh_from_db()
    assert ada.last_interaction_at == Interaction.objects.get(pk=talk_id).occurred_at


def test_restore_refuses_when_an_id_was_taken_since(network, owner, ada):
    ada_id = ada.pk
    item = delete_person(network, owner, ada)
    Person.objects.create(pk=ada_id, network=network, full_name="Someone Else")

    with pytest.raises(InvalidInput, match=r"a person with its id \(#\d+\) exists again"):
        trash.restore(network, owner, item)

    assert TrashedItem.objects.filter(pk=item.pk).exists()
    assert Person.objects.get(pk=ada_id).full_name == "Someone Else"


def test_rows_tied_to_what_was_deleted_for_good_since_are_left_out(network, owner, ada, grace):
    shared = log(network, [ada, grace], on=TODAY - dt.timedelta(days=3), summary="Coffee")
    ada_id = ada.pk
    person_item = delete_person(network, owner, ada)
    delete_interaction(network, owner, shared)
    TrashedItem.objects.exclude(pk=person_item.pk).delete()  # purged

    restored = trash.restore(network, owner, person_item)

    assert restored.left_out == 1
    assert "1 link to records deleted for good since left out" in restored.sentence()
    assert Person.objects.filter(pk=ada_id).exists()
    assert not InteractionParticipant.objects.filter(person_id=ada_id).exists()


def test_a_teammate_restores_a_viewer_cannot_an_outsider_finds_nothing(
    network, owner, teammate, viewer, outsider, ada
):
    from kithkin import access

    ada_id = ada.pk
    item = delete_person(network, teammate, ada)
    assert item.deleted_by == teammate
    with pytest.raises(Forbidden):
        trash.restore(network, viewer, item)
    with pytest.raises(Forbidden):
        delete_person(network, viewer, make_person(network, "Viv Viewed"))
    with pytest.raises(NotFound):
        access.trashed_item_for(outsider, network, item.pk)
    trash.restore(network, teammate, access.trashed_item_for(teammate, network, item.pk))
    assert Person.objects.filter(pk=ada_id).exists()


def test_the_trash_is_purged_after_30_days(network, owner, ada, frozen_time):
    older = delete_person(network, owner, ada)
    frozen_time.shift(dt.timedelta(days=10))
    newer = delete_person(network, owner, make_person(network, "Grace Hopper"))

    assert trash.purge(clock.now() + dt.timedelta(days=19)) == 0
    assert trash.purge(clock.now() + dt.timedelta(days=20, seconds=1)) == 1

    assert list(TrashedItem.objects.values_list("pk", flat=True)) == [newer.pk]
    assert not TrashedItem.objects.filter(pk=older.pk).exists()
    assert Change.objects.get(kind="trash.purged").data == {"count": 1}


def test_deleting_records_every_change_once(network, owner, ada):
    before = Change.objects.count()
    delete_person(network, owner, ada)
    assert Change.objects.count() == before + 1
    assert "trash.restored" in changes.KINDS


def test_the_housekeeping_job_purges_the_trash(network, owner, ada):
    from kithkin import housekeeping

    delete_person(network, owner, ada)

    housekeeping.housekeeping(clock.now() + dt.timedelta(days=30, seconds=1))

    assert not TrashedItem.objects.exists()
