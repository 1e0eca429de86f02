"""Keep-in-touch due dates (DESIGN.md §3): the rule, and that every write keeps it true."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kithkin.models import Person
from kithkin.services.checkins import check_in_due_on
from kithkin.services.interactions import delete_interaction
from kithkin.services.people import set_cadence, set_circle_cadence, snooze_person
from tests.conftest import TODAY
from tests.factories import log, make_person

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("cadence", "last", "added", "snoozed", "expected"),
    [
        (30, D(2026, 1, 10), D(2025, 1, 1), None, D(2026, 2, 9)),  # last interaction + cadence
        (30, None, D(2026, 1, 1), None, D(2026, 1, 31)),  # never: from when added/connected
        (None, D(2026, 1, 10), D(2025, 1, 1), None, None),  # no cadence: never due
        (30, D(2026, 1, 10), D(2025, 1, 1), D(2026, 3, 1), D(2026, 3, 1)),  # snooze moves it
        (30, D(2026, 1, 10), D(2025, 1, 1), D(2026, 2, 1), D(2026, 2, 9)),  # ...never earlier
    ],
)
def test_due_rule(cadence, last, added, snoozed, expected):
    assert (
        check_in_due_on(
            cadence_days=cadence, last_interaction_on=last, added_on=added, snoozed_until=snoozed
        )
        == expected
    )


def test_new_person_is_due_a_cadence_after_being_added(network):
    ada = make_person(network, circle="close")
    assert ada.check_in_due_on == TODAY + dt.timedelta(days=30)


def test_connected_on_counts_as_the_start_of_the_relationship(network):
    ada = make_person(network, circle="close", connected_on=D(2025, 12, 1))
    assert ada.check_in_due_on == D(2025, 12, 31)


def test_acquaintances_and_people_without_circle_are_never_due(network):
    assert make_person(network, "Ann Acquaintance", circle="acquaintance").check_in_due_on is None
    assert make_person(network, "Nora Nocircle").check_in_due_on is None


def test_any_interaction_resets_the_check_in(network):
    ada = make_person(network, circle="close", connected_on=D(2025, 1, 1))
    log(network, ada, on=D(2026, 1, 10), kind="email")
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 2, 9)
    log(network, ada, on=D(2026, 2, 1), kind="note")
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 3, 3)


def test_an_older_interaction_logged_later_does_not_move_the_date_back(network):
    ada = make_person(network, circle="close")
    log(network, ada, on=D(2026, 2, 1))
    log(network, ada, on=D(2025, 6, 1))
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 3, 3)


def test_deleting_the_latest_interaction_recomputes_from_the_one_before(network, owner):
    ada = make_person(network, circle="close")
    log(network, ada, on=D(2026, 1, 1))
    latest = log(network, ada, on=D(2026, 2, 1))
    delete_interaction(network, owner, latest)
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 1, 31)


def test_an_interaction_with_several_people_resets_each_of_them(network):
    ada, grace = (
        make_person(network, circle="close"),
        make_person(network, "Grace Hopper", circle="regular"),
    )
    log(network, [ada, grace], on=D(2026, 2, 10), kind="meeting")
    ada.refresh_from_db()
    grace.refresh_from_db()
    assert (ada.check_in_due_on, grace.check_in_due_on) == (D(2026, 3, 12), D(2026, 5, 11))


def test_snooze_moves_the_due_date_and_survives_a_later_interaction_only_if_later(network, owner):
    ada = make_person(network, circle="close", connected_on=D(2025, 1, 1))
    snooze_person(network, owner, ada, D(2026, 3, 15), today=TODAY)
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 3, 15)
    log(network, ada, on=D(2026, 2, 19))  # due 2026-03-21: later than the snooze
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 3, 21)


def test_a_personal_cadence_overrides_the_circle(network, owner):
    ada = make_person(network, circle="regular", connected_on=D(2026, 1, 1))
    set_cadence(network, owner, ada, cadence_days=14)
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 1, 15)
    set_cadence(network, owner, ada, clear_cadence=True)
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 4, 1)


def test_changing_a_circles_cadence_moves_everyone_in_it(network, owner):
    people = [
        make_person(network, f"Person {i}", circle="close", connected_on=D(2026, 1, 1))
        for i in range(3)
    ]
    set_circle_cadence(network, owner, network.circles.get(name="close"), 10)
    assert set(
        Person.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "check_in_due_on", flat=True
        )
    ) == {D(2026, 1, 11)}


def test_last_interaction_is_read_on_the_networks_local_calendar(network):
    """23:30 in Paris on 31 January is 22:30 UTC: still 31 January for the due date."""
    ada = make_person(network, circle="close")
    with time_machine.travel(dt.datetime(2026, 1, 31, 22, 30, tzinfo=dt.UTC), tick=False):
        from kithkin import clock
        from kithkin.services.interactions import log_interaction
        from tests.factories import owner_of

        log_interaction(
            network, owner_of(network), kind="call", people=[ada], occurred_at=clock.now()
        )
    ada.refresh_from_db()
    assert ada.check_in_due_on == D(2026, 3, 2)
