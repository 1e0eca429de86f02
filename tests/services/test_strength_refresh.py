"""The two ways strength is computed agree: everyone at once (the daily refresh: the
factors summed by SQL over the whole network) and a few people at a time (the change
seam), with the factors counted again here by hand from the rows, and the formula."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kithkin import clock, strength
from kithkin.models import (
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    Strength,
    User,
    ValueExchange,
)
from kithkin.models.interactions import MEETING_KINDS
from kithkin.services import ledger
from kithkin.services import strength as service
from kithkin.services.interactions import delete_interaction, log_interaction
from tests.conftest import TODAY
from tests.factories import linkedin_message, log, make_person
from tests.factories_ledger import gave, received
from tests.factories_mentorships import make_mentorship, make_session

pytestmark = pytest.mark.django_db

FIELDS = ("person_id", "score", "before", "trend", "words", "factors")


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def build(network: Network, owner: User) -> list[Person]:
    """Twelve people with 15 months and more of everything that counts and doesn't."""
    chance = random.Random(17)
    people = [make_person(network, f"Person {i:02}") for i in range(12)]
    kinds = ("call", "email", "meeting", "video", "note", "message", "event", "social")
    directions = ("outbound", "inbound", "mutual")
    for i, person in enumerate(people[:9]):
        for _ in range(3 + 3 * i):
            log(
                network,
                [person, *chance.sample(people, chance.randrange(0, 2))],
                on=days_ago(chance.randrange(0, 480)),
                kind=chance.choice(kinds),
                direction=chance.choice(directions),
            )
    # Both sides of month boundaries: the first instant of a month, and the one before.
    window = service.window_of(network)
    for month in (0, 2, 3, 11, 12, 14):
        start = window.month(month)[0]
        for at in (start, start - dt.timedelta(seconds=1)):
            log_interaction(network, owner, kind="call", people=[people[9]], occurred_at=at)
    mentorship = make_mentorship(network, mentee=people[10])
    make_session(network, mentorship, on=days_ago(20))
    linkedin_message(network, people[10], on=days_ago(3), direction="inbound", invitation=True)
    linkedin_message(network, people[10], on=days_ago(4), direction="inbound")
    for n in (2, 95, 200, 370, 440):
        gave(network, people[11], on=days_ago(n), weight=1 + n % 5)
        received(network, people[2], on=days_ago(n), weight=1 + n % 3)
    ledger.introduce(network, owner, people[3], people[4], on=days_ago(100), today=TODAY)
    Person.objects.filter(pk=people[5].pk).update(archived_at=clock.now())
    return people


def by_hand(network: Network, person: Person, day: str) -> strength.Factors:
    """``person``'s factors on ``day``, counted from the rows one by one."""
    window = service.window_of(network)
    first = 0 if day == "now" else service.TREND_MONTHS
    last = first + strength.MONTHS - 1
    start, end = window.months(first, last)
    me = Person.objects.get(network=network, is_self=True)
    counted = [
        p.interaction
        for p in InteractionParticipant.objects.filter(person=person).select_related("interaction")
        if start <= p.interaction.occurred_at < end
        and p.interaction.kind != Interaction.Kind.NOTE
        and not (
            p.interaction.source == Interaction.Source.LINKEDIN
            and (p.interaction.external_id or "").startswith("invitation/")
        )
    ]
    months = {
        i
        for i in range(first, last + 1)
        for interaction in counted
        if window.month(i)[0] <= interaction.occurred_at < window.month(i)[1]
    }
    latest = max((i.occurred_at for i in counted), default=None)
    oldest, newest = window.day_of(last + 1), window.day_of(first)
    values = ValueExchange.objects.filter(
        network=network, occurred_on__gt=oldest, occurred_on__lte=newest
    )
    given = list(values.filter(giver=me, receiver=person))
    got = list(values.filter(giver=person, receiver=me))
    return strength.Factors(
        days_since_last=None
        if latest is None
        else (newest - clock.local_date(latest, network.time_zone)).days,
        interactions=len(counted),
        deep=sum(1 for i in counted if i.kind in MEETING_KINDS or i.mentorship_id),
        months=len(months),
        they_reached_out=sum(1 for i in counted if i.direction == "inbound"),
        given_weight=sum(v.weight for v in given),
        given_count=len(given),
        introductions=sum(1 for v in given if v.kind == ValueExchange.Kind.INTRODUCTION),
        received_weight=sum(v.weight for v in got),
        received_count=len(got),
    )


def stored_rows(network: Network) -> list[tuple[object, ...]]:
    return sorted(Strength.objects.filter(network=network).values_list(*FIELDS))


def test_everyone_at_once_and_one_at_a_time_store_the_same_scores_and_words(
    network: Network, owner: User
) -> None:
    people = build(network, owner)
    by_seam = stored_rows(network)
    assert len(by_seam) >= 10

    Strength.objects.all().delete()
    service.refresh(network)
    assert stored_rows(network) == by_seam

    Strength.objects.all().delete()
    for person in people:
        service.refresh(network, [person.pk])
    assert stored_rows(network) == by_seam

    weights = service.weights_of(network)
    for person in people:
        now = strength.score(by_hand(network, person, "now"), weights)
        then = strength.score(by_hand(network, person, "then"), weights)
        row = Strength.objects.filter(person=person).first()
        if row is None:
            assert now.value == then.value == 0, person.full_name
            continue
        assert strength.Factors.of(row.factors) == by_hand(network, person, "now")
        assert (row.score, row.before, row.words) == (now.value, then.value, list(now.words))


def test_the_score_on_the_persons_row_follows_the_stored_strength(
    network: Network, owner: User
) -> None:
    """People sort by the score on the person's own row (an index serves the sort): it
    is written with the Strength row, both ways and on every path."""
    ada, grace = make_person(network, "Ada Lovelace"), make_person(network, "Grace Hopper")
    interaction = log(network, ada, on=days_ago(3), kind="meeting")
    log(network, grace, on=days_ago(300))

    def scores() -> dict[str, int | None]:
        return dict(
            Person.objects.filter(network=network, is_self=False).values_list(
                "full_name", "strength_score"
            )
        )

    stored = dict(Strength.objects.values_list("person__full_name", "score"))
    assert scores() == stored and stored["Ada Lovelace"] > stored["Grace Hopper"] > 0

    Person.objects.filter(network=network).update(strength_score=None)
    service.refresh(network)
    assert scores() == stored

    delete_interaction(network, owner, interaction)
    assert scores() == {"Ada Lovelace": None, "Grace Hopper": stored["Grace Hopper"]}
    assert not Strength.objects.filter(person=ada).exists()


def test_the_doctor_finds_a_sorting_score_that_drifted_and_the_refresh_mends_it(
    network: Network,
) -> None:
    from kithkin import doctor

    def findings() -> list[doctor.Finding]:
        return [f for f in doctor.run_checks() if f.check == "strength scores"]

    ada, grace = make_person(network, "Ada Lovelace"), make_person(network, "Grace Hopper")
    log(network, ada, on=days_ago(3))
    assert [f.ok for f in findings()] == [True]
    Person.objects.filter(pk=ada.pk).update(strength_score=1)
    Person.objects.filter(pk=grace.pk).update(strength_score=50)
    (found,) = findings()
    assert not found.ok and found.detail.startswith("2 people are sorted by a strength")
    service.refresh(network)
    assert [f.ok for f in findings()] == [True]


def test_a_refresh_of_some_people_reads_from_their_participations_on_sqlite(network, owner):
    """The plan that made a mail sync quadratic: with the window's range on occurred_at
    and the network's people in the IN list, SQLite walked every interaction of the window
    and probed each against each person. A refresh of some people starts from them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip(
            "the join order is fixed for SQLite's planner; PostgreSQL plans by its statistics"
        )
    people = [make_person(network, f"Person {n}") for n in range(30)]
    for day in range(200):
        log(network, [people[day % 30], people[(day * 7 + 1) % 30]], on=days_ago(day))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as migrate, import and the worker keep them
    with CaptureQueriesContext(connection) as captured:
        service.refresh(network, [p.pk for p in people])
    (sql,) = [
        q["sql"] for q in captured.captured_queries if "kithkin_interactionparticipant" in q["sql"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        steps = [row[3] for row in cursor.fetchall() if row[3].startswith(("SCAN", "SEARCH"))]
    assert steps[0].startswith("SEARCH kithkin_interactionparticipant"), steps
    assert "kithkin_interaction " in steps[1] and "PRIMARY KEY" in steps[1], steps
