"""Inside ``changes.settled_later()`` (a mail sync's run of batches) each write keeps
check-ins, due dates and search current, while strength, the Dashboard's spans and the
stored matches are settled once at the end -- also when the block raises -- as computing
them from scratch would leave them."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import KeptSpan, Network, Person, Strength
from kithkin.services import changes, insight_totals, opportunity_matches, strength
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.search_index import reindex_people
from tests import factories
from tests.conftest import TODAY
from tests.services.test_changes_recorded import CASES, _derived, _matches, world

pytestmark = pytest.mark.django_db

__all__ = ["world"]  # the fixture, shared with the seam's own tests


def _settled(network: Network) -> tuple[object, ...]:
    """What ``settled_later`` puts off: strength, the Dashboard's spans, stored matches."""
    return (
        sorted(Strength.objects.filter(person__network=network).values_list(*STRENGTH_FIELDS)),
        sorted(Person.objects.filter(network=network).values_list("pk", "strength_score")),
        sorted(KeptSpan.objects.filter(network=network).values_list("person_id", "start", "end")),
        _matches(network),
    )


def _settle_from_scratch(network: Network) -> None:
    strength.refresh(network)
    insight_totals.refresh_kept(network)
    opportunity_matches.refresh(network)


STRENGTH_FIELDS = ("person_id", "score", "before", "trend", "words", "factors")


@pytest.mark.parametrize("name", list(CASES))
def test_settled_later_keeps_check_ins_current_and_settles_the_rest_at_the_end(world, name):
    """Inside the block each write keeps check-ins, due dates and search current; at its
    end strength, spans and matches are what computing them from scratch gives."""
    act, _expected = CASES[name](world)
    with changes.settled_later():
        act()
        current = _derived(world.network)
        refresh_check_ins(world.network)
        reindex_people(world.network)
        assert _derived(world.network) == current
    settled = _settled(world.network)
    _settle_from_scratch(world.network)
    assert _settled(world.network) == settled


def test_settled_later_puts_off_strength_spans_and_matches_until_the_end(world):
    before = _settled(world.network)
    with changes.settled_later():
        for days in (1, 2):  # two transactions, as a sync's batches
            factories.log(world.network, world.ada, on=TODAY - dt.timedelta(days=days))
        assert _settled(world.network) == before  # put off
        assert Person.objects.get(pk=world.ada.pk).last_interaction_at.date() == (
            TODAY - dt.timedelta(days=1)
        )  # current
    assert _settled(world.network) != before
    settled = _settled(world.network)
    _settle_from_scratch(world.network)
    assert _settled(world.network) == settled


def test_settled_later_settles_what_was_committed_when_the_block_raises(world):
    before = _settled(world.network)

    def a_run_that_fails() -> None:
        with changes.settled_later():
            factories.log(world.network, world.ada, on=TODAY - dt.timedelta(days=1))
            raise RuntimeError("the connection was lost")

    with pytest.raises(RuntimeError):
        a_run_that_fails()
    settled = _settled(world.network)
    assert settled != before
    _settle_from_scratch(world.network)
    assert _settled(world.network) == settled
