"""The Dashboard's stored totals (``models.insights``): what the writers keep equals a
rebuild from nothing after any mix of logs, edits, deletes, restores from the trash,
circle and archive changes and imports; and every chart drawn from them equals the
records counted by hand, in several time zones."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import pytest
from django.db import transaction

from kithkin import clock, transfer
from kithkin.errors import InvalidInput
from kithkin.models import (
    Attendance,
    Circle,
    Interaction,
    InteractionDay,
    KeptSpan,
    Network,
    Person,
    TrashedItem,
)
from kithkin.queries import insights
from kithkin.services import insight_totals, people_bulk, trash
from kithkin.services.interactions import delete_interaction, log_interaction, update_found
from kithkin.services.merge import merge_people
from kithkin.services.people import (
    archive_person,
    delete_person,
    set_circle_cadence,
    unarchive_person,
)
from tests.conftest import TODAY
from tests.factories import make_person

pytestmark = pytest.mark.django_db

KINDS = ["meeting", "call", "email", "note"]


def stored(network: Network) -> tuple[list, list]:
    days = InteractionDay.objects.filter(network=network).exclude(count=0)
    spans = KeptSpan.objects.filter(network=network)
    return (
        sorted(days.values_list("day", "kind", "shard", "count")),
        sorted(spans.values_list("person_id", "circle_id", "start", "end")),
    )


def rebuilt(network: Network) -> tuple[list, list]:
    with transaction.atomic():
        insight_totals.rebuild(network)
        found = stored(network)
        transaction.set_rollback(True)
    return found


def an_instant(rng: random.Random) -> dt.datetime:
    """Anywhere in the charts' year and around it, often near a UTC or local midnight."""
    day = dt.date(2024, 12, 1) + dt.timedelta(days=rng.randrange(0, 500))
    minutes = rng.choice([0, 30, 59, 60 * 22 + 30, 60 * 23 + 59, rng.randrange(0, 1440)])
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)


def mbox(path: Path, rng: random.Random, count: int) -> Path:
    messages = []
    for i in range(count):
        at = an_instant(rng)
        who = rng.randrange(3)
        messages.append(
            f"From friend{who}@example.org {at:%a %b %d %H:%M:%S %Y}\n"
            f"From: Friend {who} <friend{who}@example.org>\n"
            "To: Olive Owner <owner@example.org>\n"
            f"Subject: Hello {i}\n"
            f"Date: {at:%a, %d %b %Y %H:%M:%S} +0000\n"
            f"Message-ID: <m{rng.random()}@example.org>\n\nHi.\n"
        )
    path.write_text("\n".join(messages) + "\n")
    return path


@pytest.mark.parametrize("seed", range(4))
def test_the_kept_totals_equal_a_rebuild_after_any_mix_of_writes(network, owner, tmp_path, seed):
    rng = random.Random(seed)
    circles = list(Circle.objects.filter(network=network))
    for i in range(6):
        make_person(network, f"Person {i}", circle=rng.choice(circles).name)
    trashed: list[TrashedItem] = []

    def someone() -> list[Person]:
        alive = list(Person.objects.filter(network=network, is_self=False))
        return rng.sample(alive, min(len(alive), rng.randint(1, 2)))

    def any_interaction() -> Interaction | None:
        return Interaction.objects.filter(network=network).order_by("?").first()

    for step in range(45):
        action = rng.choice(
            ["log"] * 6
            + ["delete", "restore", "move", "circle", "cadence", "archive", "person", "import"]
            + ["merge"]
        )
        found = any_interaction()
        if action == "log" or found is None:
            log_interaction(
                network,
                owner,
                kind=rng.choice(KINDS),
                people=someone(),
                occurred_at=an_instant(rng),
            )
        elif action == "delete":
            trashed.append(delete_interaction(network, owner, found))
        elif action == "restore" and trashed:
            # One of its ids may have been taken since: refused, nothing written.
            with contextlib.suppress(InvalidInput):
                trash.restore(network, owner, trashed.pop(rng.randrange(len(trashed))))
        elif action == "move":
            update_found(
                network,
                owner,
                found,
                kind=rng.choice(KINDS),
                people=[p.pk for p in someone()],
                occurred_at=an_instant(rng),
                summary=found.summary,
                direction=found.direction,
            )
        elif action == "circle":
            people_bulk.set_circle(network, owner, [p.pk for p in someone()], rng.choice(circles))
        elif action == "cadence":
            set_circle_cadence(network, owner, rng.choice(circles), rng.choice([7, 30, 90, None]))
        elif action == "archive":
            person = someone()[0]
            if person.archived_at is None:
                archive_person(network, owner, person)
            else:
                unarchive_person(network, owner, person)
        elif action == "person":
            trashed.append(delete_person(network, owner, someone()[0]))
        elif action == "merge":
            pair = someone()
            if len(pair) == 2:
                merge_people(network, owner, pair[0], pair[1])
        elif action == "import":
            path = mbox(tmp_path / f"mail-{step}.mbox", rng, rng.randint(1, 4))
            transfer.import_file(
                network,
                owner,
                "mbox",
                path,
                create_people=True,
                circle=rng.choice(circles).name,
                my_addresses=["owner@example.org"],
            )

    kept = stored(network)
    assert kept[0], "the mix logged something"
    assert kept == rebuilt(network)


def test_a_network_s_totals_are_its_own(network, owner):
    from tests.factories import make_user, network_of

    other = network_of(make_user("other"))
    log_interaction(
        network, owner, kind="call", people=[make_person(network)], occurred_at=clock.now()
    )
    assert not InteractionDay.objects.filter(network=other).exists()
    assert InteractionDay.objects.get(network=network).count == 1


def test_a_day_s_count_is_spread_over_shards_by_interaction_id(network, owner):
    """Concurrent writers of one day update different rows (PostgreSQL holds each row's
    lock until the commit is flushed); each row counts its ids, readers sum them."""
    ada = make_person(network, "Ada")
    logged = [
        log_interaction(network, owner, kind="call", people=[ada], occurred_at=clock.now())
        for _ in range(20)
    ]
    shards = InteractionDay.SHARDS
    expected = {s: sum(1 for i in logged if i.pk % shards == s) for s in range(shards)}

    rows = InteractionDay.objects.filter(network=network, kind="call")
    assert dict(rows.values_list("shard", "count")) == {s: n for s, n in expected.items() if n}
    assert len(expected) > 1 and sum(expected.values()) == 20
    deleted, moved = logged[0].pk, logged[1]
    delete_interaction(network, owner, logged[0])
    update_found(
        network, owner, moved, kind="meeting", people=[ada.pk], occurred_at=moved.occurred_at,
        summary=moved.summary, direction=moved.direction,
    )  # fmt: skip
    expected[deleted % shards] -= 1
    expected[moved.pk % shards] -= 1
    assert dict(rows.exclude(count=0).values_list("shard", "count")) == {
        s: n for s, n in expected.items() if n
    }
    assert InteractionDay.objects.get(network=network, kind="meeting").shard == moved.pk % shards
    assert stored(network) == rebuilt(network)
    chart = insights.interactions_by_month(network, TODAY)
    this_month = {series.name: series.values[-1] for series in chart.series}
    assert (this_month["call"], this_month["meeting"]) == (18, 1)


# --- Every chart equals its records counted one by one --------------------------------


def by_hand_interactions(network: Network) -> dict[tuple[str, str], int]:
    zone = clock.zone(network.time_zone)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for at, kind in Interaction.objects.filter(network=network).values_list("occurred_at", "kind"):
        counts[(f"{at.astimezone(zone):%Y-%m}", kind)] += 1
    return counts


def by_hand_cadence(network: Network, today: dt.date) -> dict[tuple[str, str], int]:
    zone = clock.zone(network.time_zone)
    found: dict[tuple[str, str], int] = {}
    for circle in Circle.objects.filter(network=network, cadence_days__isnull=False):
        members = Person.objects.filter(
            network=network, circle=circle, archived_at__isnull=True, is_self=False
        )
        if not members:
            continue
        days = {
            p.pk: {
                at.astimezone(zone).date()
                for at in Interaction.objects.filter(participants=p).values_list(
                    "occurred_at", flat=True
                )
            }
            for p in members
        }
        for month in insights.months_until(today):
            end = min(today, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
            since = end - dt.timedelta(days=circle.cadence_days or 0)
            kept = sum(1 for p in members if any(since < d <= end for d in days[p.pk]))
            found[(f"{month:%Y-%m}", circle.name)] = round(100 * kept / len(members))
    return found


def by_hand_people(network: Network) -> dict[tuple[str, str], int]:
    zone = clock.zone(network.time_zone)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for person in Person.objects.filter(network=network, is_self=False):
        day = person.connected_on or person.created_at.astimezone(zone).date()
        source = (
            "introduced"
            if person.introduced_by_id
            else "met at an event"
            if Attendance.objects.filter(person=person).exists()
            else "added or imported"
        )
        counts[(f"{day:%Y-%m}", source)] += 1
    return counts


def drawn(chart: insights.Chart) -> dict[tuple[str, str], int]:
    return {
        (label, series.name): series.values[i]
        for series in chart.series
        for i, label in enumerate(chart.labels)
    }


@pytest.mark.parametrize(
    "zone", ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati", "UTC"]
)
def test_every_chart_equals_its_records_counted_by_hand(network, owner, zone, time_machine):
    Network.objects.filter(pk=network.pk).update(time_zone=zone)
    network.refresh_from_db()
    rng = random.Random(zone)
    circles = list(Circle.objects.filter(network=network))
    people = []
    for i in range(12):
        # Added at different instants (and some connected on a date): the people chart.
        time_machine.move_to(an_instant(rng), tick=False)
        connected = rng.choice([None, None, dt.date(2025, 1, 1) + dt.timedelta(rng.randrange(500))])
        people.append(
            make_person(
                network, f"Person {i}", circle=rng.choice(circles).name, connected_on=connected
            )
        )
    Person.objects.filter(pk=people[1].pk).update(introduced_by=people[0])
    time_machine.move_to(clock.local_noon(TODAY, zone), tick=False)
    for _ in range(80):
        log_interaction(
            network,
            owner,
            kind=rng.choice(KINDS),
            people=rng.sample(people, rng.randint(1, 3)),
            occurred_at=an_instant(rng),
        )
    today = clock.today_in(zone)

    interactions = drawn(insights.interactions_by_month(network, today))
    counted = by_hand_interactions(network)
    assert interactions == {key: counted.get(key, 0) for key in interactions}
    assert sum(interactions.values()) == sum(
        v for (month, _), v in counted.items() if month in interactions_labels(today)
    )
    assert drawn(insights.cadence_kept(network, today)) == by_hand_cadence(network, today)
    people_drawn = drawn(insights.new_people(network, today))
    people_counted = by_hand_people(network)
    assert people_drawn == {key: people_counted.get(key, 0) for key in people_drawn}


def interactions_labels(today: dt.date) -> set[str]:
    return {f"{m:%Y-%m}" for m in insights.months_until(today)}


def test_kith_stats_rebuild_repairs_the_totals(kith, network, owner):
    ada = make_person(network, "Ada")
    log_interaction(network, owner, kind="call", people=[ada], occurred_at=clock.now())
    InteractionDay.objects.filter(network=network).update(count=99)  # drifted, somehow

    result = kith("stats", "--rebuild", "--json")

    assert result.exit_code == 0, result.output
    assert InteractionDay.objects.get(network=network).count == 1
    assert stored(network) == rebuilt(network)


def test_a_viewer_may_not_rebuild(network, viewer):
    from kithkin.errors import Forbidden

    with pytest.raises(Forbidden):
        insight_totals.rebuild_totals(network, viewer)


def test_kith_doctor_finds_totals_that_drifted(network, owner):
    from kithkin import interaction_days

    log_interaction(
        network, owner, kind="call", people=[make_person(network)], occurred_at=clock.now()
    )
    assert all(f.ok for f in interaction_days.totals_match())
    InteractionDay.objects.filter(network=network).update(count=5)
    (finding,) = interaction_days.totals_match()
    assert not finding.ok and "kith stats --rebuild" in finding.detail
    insight_totals.rebuild(network)
    assert all(f.ok for f in interaction_days.totals_match())
