"""The one door: owner, teammate (editor), viewer and outsider, for every loader and write."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin import access
from kithkin.errors import Forbidden, NotFound
from kithkin.models import Person
from kithkin.services.followups import complete_follow_up
from kithkin.services.people import NewPerson, add_person, snooze_person
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(network):
    ada = make_person(network, organization="Analytical Engines")
    return {
        "person": ada,
        "follow_up": make_follow_up(network, ada, due_on=TODAY),
        "interaction": log(network, ada, on=TODAY),
        "organization": ada.affiliations.get().organization,
    }


LOADERS = {
    "person": access.person_for,
    "follow_up": access.follow_up_for,
    "interaction": access.interaction_for,
    "organization": access.organization_for,
}


@pytest.mark.parametrize("kind", LOADERS)
@pytest.mark.parametrize("who", ["owner", "teammate", "viewer"])
def test_members_load_records_of_their_network(request, network, records, kind, who):
    user = request.getfixturevalue(who)
    assert LOADERS[kind](user, network, records[kind].pk) == records[kind]


@pytest.mark.parametrize("kind", LOADERS)
def test_an_outsider_gets_not_found_through_the_owners_network(network, records, outsider, kind):
    with pytest.raises(NotFound):
        LOADERS[kind](outsider, network, records[kind].pk)


@pytest.mark.parametrize("kind", LOADERS)
def test_an_outsider_gets_not_found_through_their_own_network(network, records, outsider, kind):
    """Asking for the owner's record by id inside one's own network finds nothing."""
    with pytest.raises(NotFound):
        LOADERS[kind](outsider, access.current_network(outsider), records[kind].pk)


def test_a_viewer_may_not_write(network, records, viewer):
    with pytest.raises(Forbidden):
        add_person(network, viewer, NewPerson(full_name="Not Allowed"))
    with pytest.raises(Forbidden):
        complete_follow_up(network, viewer, records["follow_up"], today=TODAY)
    with pytest.raises(Forbidden):
        snooze_person(network, viewer, records["person"], TODAY + dt.timedelta(days=3), today=TODAY)
    assert not Person.objects.filter(full_name="Not Allowed").exists()


def test_a_teammate_may_write(network, teammate):
    assert (
        add_person(network, teammate, NewPerson(full_name="Added By Teammate")).network == network
    )


def test_an_outsider_may_not_write_into_another_network(network, outsider):
    with pytest.raises(NotFound):
        add_person(network, outsider, NewPerson(full_name="Intruder"))
    assert not Person.objects.filter(full_name="Intruder").exists()


def test_current_network_ignores_a_network_the_user_left(network, outsider):
    outsider.current_network = network  # e.g. stale after being removed
    outsider.save()
    assert access.current_network(outsider) != network


def test_services_refuse_records_of_another_network_even_without_the_access_layer(
    network, owner, outsider
):
    """Defence in depth: a caller that skipped access.py still cannot cross networks."""
    from kithkin.services.followups import snooze_follow_up
    from kithkin.services.interactions import delete_interaction
    from kithkin.services.people import set_cadence
    from tests.factories import network_of

    theirs = network_of(outsider)
    stranger = make_person(theirs, "Stranger", circle="close")
    promise = make_follow_up(theirs, stranger, due_on=TODAY)
    talk = log(theirs, stranger, on=TODAY)
    later = TODAY + dt.timedelta(days=3)
    for call in (
        lambda: snooze_person(network, owner, stranger, later, today=TODAY),
        lambda: set_cadence(network, owner, stranger, cadence_days=7),
        lambda: complete_follow_up(network, owner, promise, today=TODAY),
        lambda: snooze_follow_up(network, owner, promise, later, today=TODAY),
        lambda: delete_interaction(network, owner, talk),
    ):
        with pytest.raises(NotFound):
            call()
    stranger.refresh_from_db()
    promise.refresh_from_db()
    assert (stranger.snoozed_until, stranger.cadence_days, promise.done_at) == (None, None, None)
