"""How demo people know each other: who introduced whom, colleagues at the same
organization, and a few mentors."""

from __future__ import annotations

from kithkin.demo import data
from kithkin.demo.plan import Demo, PersonPlan
from kithkin.models import Person, Relationship

INTRODUCED_SHARE = 0.05
MENTOR_SHARE = 0.01
COLLEAGUE_PAIRS_PER_ORGANIZATION = 3


def introduce_people(demo: Demo, plans: list[PersonPlan]) -> int:
    """About one in twenty was introduced by someone added before them."""
    rng = demo.rng
    introduced = []
    for index in range(1, len(plans)):
        if rng.random() < INTRODUCED_SHARE:
            introducer = plans[rng.randrange(index)]
            introduced.append(
                Person(
                    pk=plans[index].pk,
                    introduced_by_id=introducer.pk,
                    how_we_met=f"Introduced by {introducer.full_name}",
                )
            )
    Person.objects.bulk_update(
        introduced, ["introduced_by", "how_we_met"], batch_size=demo.batch_size
    )
    return len(introduced)


def _colleague_pairs(demo: Demo, plans: list[PersonPlan]) -> list[tuple[int, int]]:
    staff: dict[int, list[int]] = {}
    for plan in plans:
        if plan.organization_index is not None:
            staff.setdefault(plan.organization_index, []).append(plan.pk)
    pairs: dict[tuple[int, int], None] = {}
    for organization in sorted(staff):
        people = staff[organization]
        wanted = min(len(people) // 3, COLLEAGUE_PAIRS_PER_ORGANIZATION)
        for _ in range(wanted):
            first, second = demo.rng.sample(people, 2)
            pairs[(min(first, second), max(first, second))] = None
    return list(pairs)


def _mentor_pairs(demo: Demo, plans: list[PersonPlan]) -> list[tuple[int, int]]:
    if len(plans) < 2:
        return []
    pairs: dict[tuple[int, int], None] = {}
    for _ in range(max(1, round(MENTOR_SHARE * len(plans)))):
        mentor, mentee = demo.rng.sample(plans, 2)
        pairs[(mentor.pk, mentee.pk)] = None
    return list(pairs)


def relate_people(demo: Demo, plans: list[PersonPlan]) -> int:
    """Colleague rows between people at the same organization, and mentor rows
    (``from_person`` mentors ``to_person``)."""
    network = demo.network
    rows = [
        Relationship(
            network=network,
            from_person_id=first,
            to_person_id=second,
            kind=Relationship.Kind.COLLEAGUE,
        )
        for first, second in _colleague_pairs(demo, plans)
    ]
    rows += [
        Relationship(
            network=network,
            from_person_id=mentor,
            to_person_id=mentee,
            kind=Relationship.Kind.MENTOR,
            note=data.MENTORING.format(topic=demo.rng.choice(data.TOPICS)),
        )
        for mentor, mentee in _mentor_pairs(demo, plans)
    ]
    Relationship.objects.bulk_create(rows, batch_size=demo.batch_size)
    return len(rows)
