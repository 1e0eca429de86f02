"""The demo generator: the sizes asked for, the same data from the same seed, derived
state that agrees with the interactions, an agenda with work on it, and contact points
that survive Kithkin's own normalisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from kithkin import clock, normalize
from kithkin.demo import DemoStats, generate_network
from kithkin.demo.generate_contact_points import _DRAMA_RANGES
from kithkin.errors import Forbidden, InvalidInput
from kithkin.models import (
    ContactPoint,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Organization,
    Person,
    Relationship,
    User,
)
from kithkin.queries.agenda import agenda
from kithkin.services.accounts import create_user
from kithkin.services.checkins import check_in_due_on
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

PEOPLE = 120
INTERACTIONS = 800


def generate(network: Network, actor: User, seed: int = 7) -> DemoStats:
    return generate_network(
        network, actor, people=PEOPLE, interactions=INTERACTIONS, seed=seed, today=TODAY
    )


def another_network(username: str) -> tuple[Network, User]:
    user = create_user(username=username, full_name="Olive Owner", time_zone="Europe/Paris")
    assert user.current_network is not None
    return user.current_network, user


def people_and_emails(network: Network) -> tuple[list[str], list[tuple[str, str]]]:
    names = list(
        Person.objects.filter(network=network, is_self=False)
        .order_by("pk")
        .values_list("full_name", flat=True)
    )
    emails = list(
        ContactPoint.objects.filter(person__network=network, kind=ContactPoint.Kind.EMAIL)
        .order_by("person_id", "pk")
        .values_list("person__full_name", "value")
    )
    return names, emails


def interactions_of(network: Network) -> list[tuple[dt.datetime, str, str]]:
    return list(
        Interaction.objects.filter(network=network)
        .order_by("pk")
        .values_list("occurred_at", "kind", "summary")
    )


def test_generates_the_sizes_asked_for(owner, network):
    stats = generate(network, owner)

    assert stats.people == PEOPLE
    assert Person.objects.filter(network=network, is_self=False).count() == PEOPLE
    assert stats.interactions == INTERACTIONS
    # The practices add their own (event conversations, mentoring sessions), linked to
    # what they belong to; the keep-in-touch history is exactly the size asked for.
    general = Interaction.objects.filter(
        network=network, source="demo", event__isnull=True, mentorship__isnull=True
    )
    assert general.count() == INTERACTIONS
    assert stats.organizations == Organization.objects.filter(network=network).count() >= 8
    assert stats.follow_ups == FollowUp.objects.filter(network=network).count()
    assert FollowUp.objects.filter(network=network, done_at__isnull=True).count() >= PEOPLE // 20
    assert FollowUp.objects.filter(network=network, done_at__isnull=False).exists()
    assert Relationship.objects.filter(network=network).exists()
    assert stats.seconds > 0


def test_the_same_seed_and_day_give_the_same_network(owner, network):
    generate(network, owner, seed=11)
    twin, twin_owner = another_network("twin")
    generate(twin, twin_owner, seed=11)
    other, other_owner = another_network("other")
    generate(other, other_owner, seed=12)

    assert people_and_emails(twin) == people_and_emails(network)
    assert interactions_of(twin) == interactions_of(network)
    assert people_and_emails(other) != people_and_emails(network)
    assert interactions_of(other) != interactions_of(network)


def test_check_in_state_agrees_with_the_interactions(owner, network):
    generate(network, owner)

    latest: dict[int, dt.datetime] = {}
    for person_id, occurred_at in InteractionParticipant.objects.filter(
        person__network=network
    ).values_list("person_id", "interaction__occurred_at"):
        latest[person_id] = max(occurred_at, latest.get(person_id, occurred_at))
    zone = network.time_zone
    for person in Person.objects.filter(network=network).select_related("circle"):
        last_at = latest.get(person.pk)
        assert person.last_interaction_at == last_at, person.full_name
        expected = None
        if not person.is_self:
            expected = check_in_due_on(
                cadence_days=person.effective_cadence_days,
                last_interaction_on=clock.local_date(last_at, zone) if last_at else None,
                added_on=person.connected_on or clock.local_date(person.created_at, zone),
                snoozed_until=person.snoozed_until,
            )
        assert person.check_in_due_on == expected, person.full_name


def test_the_agenda_has_work_for_today(owner, network):
    generate(network, owner)

    result = agenda(network, TODAY)

    assert result.check_ins
    assert result.follow_ups_upcoming
    assert {item.days_overdue > 0 for item in result.follow_ups_due} == {True, False}
    assert all(len(item.people) == 1 for item in result.follow_ups_due)
    close = Person.objects.filter(network=network, circle__name="close")
    overdue_close = close.filter(check_in_due_on__lte=TODAY).count()
    assert 0 < overdue_close < close.count() / 2  # a handful, not most of them


def test_dates_are_relative_to_today(owner, network):
    generate(network, owner)
    zone = network.time_zone

    days = {clock.local_date(occurred_at, zone) for occurred_at, _, _ in interactions_of(network)}
    assert TODAY - dt.timedelta(days=730) <= min(days) and max(days) < TODAY
    connected = Person.objects.filter(network=network, connected_on__isnull=False)
    assert connected.count() > PEOPLE // 2
    assert all(
        TODAY - dt.timedelta(days=6 * 365) <= day < TODAY
        for day in connected.values_list("connected_on", flat=True)
    )
    open_due = FollowUp.objects.filter(network=network, done_at__isnull=True)
    assert all(abs((day - TODAY).days) <= 20 for day in open_due.values_list("due_on", flat=True))
    assert open_due.filter(recurrence="FREQ=MONTHLY;INTERVAL=1").count() == 2


def test_contact_points_survive_normalisation(owner, network):
    generate(network, owner)

    points = ContactPoint.objects.filter(person__network=network)
    kinds = set(points.values_list("kind", flat=True))
    assert {ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE, ContactPoint.Kind.SOCIAL} <= kinds
    phones = list(points.filter(kind=ContactPoint.Kind.PHONE).values_list("normalized", flat=True))
    assert len(phones) == len(set(phones))  # no two people share a made-up number
    for point in points:
        if point.kind == ContactPoint.Kind.EMAIL:
            assert normalize.email(point.value) == (point.value, point.normalized)
            domain = point.normalized.rsplit("@", 1)[1]
            assert domain.endswith(".example") or domain in {"example.com", "example.org"}
        elif point.kind == ContactPoint.Kind.PHONE:
            assert normalize.phone(point.value) == (point.value, point.normalized)
            assert point.normalized[:-3] in {e164 for _, e164 in _DRAMA_RANGES}  # fiction only
        elif point.kind == ContactPoint.Kind.SOCIAL:
            assert normalize.url(point.value) == (point.value, point.normalized, "linkedin")
        else:
            assert normalize.url(point.value) == (point.value, point.normalized, "website")
            assert point.normalized.endswith(".example")


def test_leaves_me_out_of_it(owner, network):
    me = Person.objects.get(network=network, is_self=True)

    generate(network, owner)

    assert not InteractionParticipant.objects.filter(person=me).exists()
    assert not me.follow_ups.exists()
    assert not Relationship.objects.filter(from_person=me).exists()
    assert not Relationship.objects.filter(to_person=me).exists()
    assert not Person.objects.filter(introduced_by=me).exists()
    me.refresh_from_db()
    assert (me.full_name, me.circle_id, me.check_in_due_on) == ("Olive Owner", None, None)


def test_reports_progress_by_stage_and_defaults_to_today(owner, network):
    reports: list[tuple[str, int, int]] = []

    generate_network(
        network,
        owner,
        people=30,
        interactions=50,
        progress=lambda stage, done, total: reports.append((stage, done, total)),
    )

    finished = {stage: (done, total) for stage, done, total in reports}  # each stage's last
    assert list(finished) == ["people", "interactions", "follow-ups", "indexing"]
    assert finished["people"] == (30, 30)
    assert finished["interactions"] == (50, 50)
    assert all(done == total for done, total in finished.values())
    last_day = max(clock.local_date(at, network.time_zone) for at, _, _ in interactions_of(network))
    assert last_day < TODAY  # the frozen clock's today


def test_runs_again_on_a_network_that_has_data(owner, network):
    generate(network, owner)
    again = generate(network, owner)

    assert again.people == PEOPLE
    assert Person.objects.filter(network=network, is_self=False).count() == 2 * PEOPLE


def test_a_viewer_may_not_fill_the_network(network, viewer):
    with pytest.raises(Forbidden):
        generate(network, viewer)
    assert not Person.objects.filter(network=network, is_self=False).exists()


def test_sizes_must_make_sense(owner, network):
    with pytest.raises(InvalidInput, match="interactions"):
        generate_network(network, owner, people=0, interactions=10, today=TODAY)
    with pytest.raises(InvalidInput, match="people"):
        generate_network(network, owner, people=-1, interactions=0, today=TODAY)

    empty = generate_network(network, owner, people=0, interactions=0, today=TODAY)

    assert (empty.people, empty.organizations, empty.interactions, empty.follow_ups) == (0, 0, 0, 0)
    assert Person.objects.filter(network=network).count() == 1  # only me


def test_every_generated_interaction_is_in_the_search_index(owner, network):
    """The interactions are indexed for search in one statement after their inserts."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's search vector is a generated column: nothing to index")
    generate(network, owner)
    with connection.cursor() as cursor:
        # FTS5 compares its index with the interactions' rows; raises if one is missing
        cursor.execute(
            "INSERT INTO kithkin_interaction_fts(kithkin_interaction_fts, rank) "
            "VALUES ('integrity-check', 1)"
        )
        cursor.execute(
            "SELECT count(*) FROM kithkin_interaction_fts WHERE kithkin_interaction_fts "
            "MATCH 'coffee OR call OR lunch OR intro OR chat'"
        )
        assert cursor.fetchone()[0] > 0
