"""Interaction tallies: what triage reads instead of grouping every interaction, kept
current by every write that changes someone's interactions."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection

from kithkin.models import InteractionTally, UndoableAction
from kithkin.services.interactions import delete_interaction
from kithkin.services.merge import merge_people
from kithkin.services.undo import undo
from tests.conftest import TODAY
from tests.factories import linkedin_message, log, make_person

pytestmark = pytest.mark.django_db


def tally_of(person) -> dict[str, object] | None:
    row = InteractionTally.objects.filter(person=person).values(*InteractionTally.FIELDS).first()
    return row


def test_a_tally_counts_talks_meetings_and_who_reached_out(network, owner):
    ines = make_person(network, "Ines Duarte")
    linkedin_message(network, ines, on=dt.date(2024, 1, 15), direction="inbound", invitation=True)
    log(network, ines, on=dt.date(2025, 3, 1), kind="email", direction="inbound")
    log(network, ines, on=dt.date(2025, 6, 1), kind="message", direction="outbound")
    coffee = log(network, ines, on=dt.date(2025, 9, 1), kind="meeting", direction="mutual")
    tally = tally_of(ines)
    assert tally is not None
    assert {k: tally[k] for k in ("talks", "messages", "meetings", "inbound", "outbound")} == {
        "talks": 3,  # the invitation says who reached out first, it is not a talk
        "messages": 2,
        "meetings": 1,
        "inbound": 1,
        "outbound": 1,
    }
    assert (tally["they_invited"], tally["i_invited"]) == (True, False)
    assert tally["last_talk_at"] == tally["last_meeting_at"] == coffee.occurred_at


def test_deleting_interactions_recounts_and_the_last_one_drops_the_tally(network, owner):
    ines = make_person(network, "Ines Duarte")
    email = log(network, ines, on=dt.date(2025, 3, 1), kind="email")
    coffee = log(network, ines, on=dt.date(2025, 9, 1), kind="meeting")
    delete_interaction(network, owner, coffee)
    tally = tally_of(ines)
    assert tally is not None
    assert (tally["talks"], tally["meetings"], tally["last_talk_at"]) == (1, 0, email.occurred_at)
    assert tally["last_meeting_at"] is None
    delete_interaction(network, owner, email)
    assert tally_of(ines) is None


def test_undoing_a_logged_interaction_uncounts_it(network, owner):
    ines = make_person(network, "Ines Duarte")
    log(network, ines, on=dt.date(2025, 9, 1), kind="meeting")
    log(network, ines, on=dt.date(2025, 10, 1), kind="call")
    assert tally_of(ines)["meetings"] == 2  # type: ignore[index]
    undo(network, owner, UndoableAction.objects.filter(kind="log").latest("pk"))
    assert tally_of(ines)["meetings"] == 1  # type: ignore[index]


def test_a_merge_adds_up_both_tallies(network, owner):
    ada = make_person(network, "Ada Lovelace")
    twin = make_person(network, "Ada Lovelace")
    log(network, ada, on=dt.date(2025, 3, 1), kind="call")
    log(network, twin, on=dt.date(2025, 4, 1), kind="email", direction="inbound")
    log(network, [ada, twin], on=dt.date(2025, 5, 1), kind="meeting")  # counted once
    merge_people(network, owner, ada, twin)
    tally = tally_of(ada)
    assert tally is not None
    assert (tally["talks"], tally["meetings"], tally["inbound"]) == (3, 2, 1)


def test_the_migration_counts_what_the_service_counts(network, owner):
    """The migration that introduced tallies counts existing interactions in SQL of its
    own: it must agree with the service on every field."""
    ines, gus = make_person(network, "Ines Duarte"), make_person(network, "Gus Grant")
    linkedin_message(network, ines, on=dt.date(2024, 1, 15), direction="inbound", invitation=True)
    linkedin_message(network, gus, on=dt.date(2024, 2, 15), direction="outbound", invitation=True)
    for day, kind, direction in [
        (1, "email", "inbound"),
        (2, "video", "outbound"),
        (3, "note", "mutual"),
    ]:
        log(network, [ines, gus], on=TODAY - dt.timedelta(days=day), kind=kind, direction=direction)
    by_service = {row.pop("person_id"): row for row in InteractionTally.objects.values()}
    InteractionTally.objects.all().delete()
    migration = importlib.import_module("kithkin.migrations.0011_interaction_tallies")
    with connection.cursor() as cursor:
        cursor.execute(migration.COUNT_TALLIES)
    by_migration = {row.pop("person_id"): row for row in InteractionTally.objects.values()}
    assert by_migration == by_service
    assert set(by_service) == {ines.pk, gus.pk}


def test_what_one_interaction_adds_is_what_the_recount_counts(network, owner):
    """Logging adds each interaction to the stored tally instead of recounting: for every
    kind, direction and LinkedIn invitation or not, both give the same tallies, due dates
    and last interactions."""
    from kithkin.models import Interaction, Person
    from kithkin.services.checkins import refresh_check_ins

    people = []
    day = dt.date(2024, 1, 1)
    for kind in Interaction.Kind.values:
        for direction in Interaction.Direction.values:
            person = make_person(network, f"Person {kind} {direction}")
            people.append(person)
            for invitation in (False, True):
                day += dt.timedelta(days=1)
                if invitation:
                    linkedin_message(network, person, on=day, direction=direction, invitation=True)
                else:
                    log(network, person, on=day, kind=kind, direction=direction)
    # An older one logged after a newer: the latest stays the newer.
    log(network, people, on=dt.date(2023, 6, 1), kind="meeting")
    stored = {
        row["person"]: row
        for row in InteractionTally.objects.values("person", *InteractionTally.FIELDS)
    }
    dates = list(
        Person.objects.filter(network=network)
        .order_by("pk")
        .values_list("pk", "last_interaction_at", "check_in_due_on")
    )
    assert refresh_check_ins(network) == 0  # the recount changes nothing
    assert {
        row["person"]: row
        for row in InteractionTally.objects.values("person", *InteractionTally.FIELDS)
    } == stored
    assert (
        list(
            Person.objects.filter(network=network)
            .order_by("pk")
            .values_list("pk", "last_interaction_at", "check_in_due_on")
        )
        == dates
    )
    assert len(stored) == len(people)
