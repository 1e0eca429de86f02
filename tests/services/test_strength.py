"""Relationship strength as stored derived state: counted from interactions and the ledger,
refreshed through the change seam and by the daily job, weights chosen per network."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kithkin import clock, strength
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Interaction, Network, Person, Strength, User
from kithkin.queries import strength as queries
from kithkin.services import ledger
from kithkin.services import strength as service
from kithkin.services.interactions import delete_interaction
from tests.conftest import FROZEN_NOW, TODAY
from tests.factories import log, make_person, owner_of
from tests.factories_ledger import gave, received
from tests.factories_mentorships import make_mentorship, make_session

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def stored(person: Person) -> Strength | None:
    return Strength.objects.filter(person=person).first()


def test_logging_an_interaction_stores_the_persons_strength_with_its_words(
    network: Network,
) -> None:
    ada = make_person(network, "Ada Lovelace")
    assert stored(ada) is None
    log(network, ada, on=days_ago(12), kind="meeting")
    row = stored(ada)
    assert row is not None and row.score > 0
    assert row.words == [
        "last in touch 12 days ago",
        "1 interaction in the past year",
        "met or spoke once this year",
        "in touch in 1 of the last 12 months",
    ]


def test_the_factors_count_kinds_directions_months_and_the_ledger_both_ways(
    network: Network, owner: User
) -> None:
    ada, grace, linus = (make_person(network, n) for n in ("Ada", "Grace Hopper", "Linus"))
    log(network, ada, on=days_ago(12), kind="meeting", direction="inbound")
    log(network, ada, on=days_ago(40), kind="email", direction="inbound")
    log(network, ada, on=days_ago(100), kind="event")
    log(network, ada, on=days_ago(100), kind="note")  # a note is no contact
    log(network, ada, on=days_ago(400), kind="meeting")  # more than a year ago
    ledger.introduce(network, owner, ada, grace, on=days_ago(5), today=TODAY)
    gave(network, ada, on=days_ago(300), weight=3)
    received(network, ada, on=days_ago(30), weight=4)
    gave(network, linus, on=days_ago(2))  # someone else's
    found = queries.of_person(network, ada)
    assert found is not None
    assert found.factors == strength.Factors(
        days_since_last=5,  # the introduction's message
        interactions=4,
        deep=2,
        months=3,  # 5 and 12 days ago share the first month, 100 is the fourth
        they_reached_out=2,
        given_weight=5,
        given_count=2,
        introductions=1,
        received_weight=4,
        received_count=1,
    )
    assert found.explanation == (
        "last in touch 5 days ago; 4 interactions in the past year; met or spoke twice this "
        "year; in touch in 3 of the last 12 months; they reached out twice; you introduced "
        "them to 1 person and you helped them once; they helped you once"
    )
    assert found.score == strength.score(found.factors, strength.Weights()).value


def test_mentoring_sessions_count_as_deep(network: Network) -> None:
    mentee = make_person(network, "Mia Mentee")
    mentorship = make_mentorship(network, mentee=mentee)
    make_session(network, mentorship, on=days_ago(3))
    found = queries.of_person(network, mentee)
    assert found is not None and found.factors.deep == 1


def test_the_trend_compares_with_the_same_formula_90_days_ago(network: Network) -> None:
    """Close then, silent since: strong 90 days ago, weaker now, and a fading tie."""
    ada = make_person(network, "Ada Lovelace")
    bob = make_person(network, "Bob Steady")
    for n in range(95, 400, 30):
        log(network, ada, on=days_ago(n), kind="meeting", direction="inbound")
    for n in range(5, 400, 30):
        log(network, bob, on=days_ago(n), kind="meeting")
    ada_now, bob_now = queries.of_person(network, ada), queries.of_person(network, bob)
    assert ada_now is not None and bob_now is not None
    assert ada_now.trend < -queries.FADING_FALL and ada_now.arrow == "↓"
    assert ada_now.before >= queries.FADING_FROM
    assert bob_now.arrow == "→"
    assert [f.name for f in queries.fading(network)] == ["Ada Lovelace"]
    assert [s.name for s in queries.strongest(network)] == ["Bob Steady", "Ada Lovelace"]


def test_deleting_the_only_interaction_removes_the_strength(network: Network) -> None:
    ada = make_person(network, "Ada Lovelace")
    interaction = log(network, ada, on=days_ago(1))
    assert stored(ada) is not None
    delete_interaction(network, owner_of(network), interaction)
    assert stored(ada) is None


def test_moving_an_interaction_refreshes_through_the_seam(network: Network) -> None:
    from kithkin.services import changes

    ada = make_person(network, "Ada Lovelace")
    interaction = log(network, ada, on=days_ago(1))
    Interaction.objects.filter(pk=interaction.pk).update(
        occurred_at=clock.local_noon(days_ago(200), network.time_zone)
    )
    changes.record(
        network,
        "interaction.updated",
        record_id=interaction.pk,
        person_ids=[ada.pk],
        data={"fields": ["occurred_at"]},
    )
    found = queries.of_person(network, ada)
    assert found is not None and found.factors.days_since_last == 200


def test_what_the_seam_stored_equals_a_full_refresh(network: Network, owner: User) -> None:
    people = [make_person(network, f"Person {i}") for i in range(6)]
    for i, person in enumerate(people):
        for n in range(i):
            log(network, person, on=days_ago(7 * n + i), kind=("call", "email", "video")[n % 3])
    log(network, people[:3], on=days_ago(2), kind="meeting", direction="inbound")
    gave(network, people[4], on=days_ago(9))
    received(network, people[5], on=days_ago(50))
    ledger.introduce(network, owner, people[1], people[2], today=TODAY)
    fields = ("person_id", "score", "before", "trend", "words", "factors")
    by_seam = sorted(Strength.objects.values_list(*fields))
    assert len(by_seam) == 6
    Strength.objects.all().delete()
    service.refresh(network)
    assert sorted(Strength.objects.values_list(*fields)) == by_seam


def test_me_and_other_networks_have_no_strength(network: Network, outsider: User) -> None:
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=days_ago(1))
    elsewhere = make_person(Network.objects.get(memberships__user=outsider), "Ada Elsewhere")
    log(Network.objects.get(memberships__user=outsider), elsewhere, on=days_ago(1))
    assert set(Strength.objects.filter(network=network).values_list("person_id", flat=True)) == {
        ada.pk
    }


def test_the_daily_job_moves_every_network_on_a_day_once(network: Network) -> None:
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=days_ago(0))
    assert service.refresh_daily(clock.now()) == 1  # never refreshed whole before
    assert service.refresh_daily(clock.now()) == 0  # done today
    with time_machine.travel(FROZEN_NOW + dt.timedelta(days=10), tick=False):
        assert service.refresh_daily(clock.now()) >= 1
        found = queries.of_person(network, ada)
        assert found is not None and found.factors.days_since_last == 10
        assert service.refresh_daily(clock.now()) == 0


def test_scores_answers_the_people_with_a_score_to_members_only(
    network: Network, viewer: User, outsider: User
) -> None:
    ada, grace = make_person(network, "Ada Lovelace"), make_person(network, "Grace Hopper")
    log(network, ada, on=days_ago(3), kind="meeting")
    found = queries.scores(network, viewer, [ada.pk, grace.pk])
    assert found == {ada.pk: stored(ada).score}  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        queries.scores(network, outsider, [ada.pk])


def test_new_weights_score_everyone_again(network: Network, owner: User) -> None:
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=days_ago(3), kind="email")
    balanced = stored(ada).score  # type: ignore[union-attr]
    service.set_weights(network, owner, weights={"recency": 10, "frequency": 0})
    assert queries.weights(network).preset is None
    row = stored(ada)
    assert row is not None and row.score > balanced
    assert not any("interaction" in w for w in row.words)  # frequency no longer counts
    service.set_weights(network, owner, preset="meetings")
    assert queries.weights(network).preset == "meetings"


def test_weights_are_checked_and_a_viewer_cannot_change_them(
    network: Network, owner: User, viewer: User
) -> None:
    with pytest.raises(Forbidden):
        service.set_weights(network, viewer, preset="giving")
    with pytest.raises(InvalidInput, match="one of balanced"):
        service.set_weights(network, owner, preset="loudest")
    with pytest.raises(InvalidInput, match="between 0 and 10"):
        service.set_weights(network, owner, weights={"depth": 11})
    with pytest.raises(InvalidInput, match="at least one"):
        service.set_weights(network, owner, weights=dict.fromkeys(strength.FACTORS, 0))
    assert queries.weights(network).preset == "balanced"


def test_new_weights_in_a_large_network_go_to_the_worker(
    network: Network, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = make_person(network, "Ada Lovelace")
    log(network, ada, on=days_ago(3), kind="email")
    monkeypatch.setattr(service, "INLINE_UP_TO", 0)
    before = stored(ada).score  # type: ignore[union-attr]
    service.set_weights(network, owner, weights={"recency": 10})
    assert stored(ada).score == before  # type: ignore[union-attr]
    service.refresh_strength_task.call(network.pk)
    assert stored(ada).score > before  # type: ignore[union-attr]
