"""Demo mentorships: two mentors of mine, three mentees of mine (one of them paused) and one
mentorship between two other people, each with a few past sessions. The first mentor's
next session is due today, so Today shows the practice at once.

A handful of rows whatever the network's size, written with bulk inserts: mentorships,
then their sessions (interactions of kind meeting linked to them) and participants.
"""

from __future__ import annotations

import datetime as dt
import random

from kithkin.demo import data
from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import Interaction, InteractionParticipant, Mentorship, Person

Status = Mentorship.Status

KNOWN_FOR_DAYS = 450  # mentors and mentees are people known for over a year
PAUSED_FOR_DAYS = 75

_MENTOR_GOALS = (
    "Learn to lead a team",
    "Give a first conference talk",
    "Negotiate a promotion",
    "Get better at saying no",
    "Write and publish regularly",
    "Understand how the board thinks",
)
_MENTEE_GOALS = (
    "Find a first senior role",
    "Ship an open-source library",
    "Get comfortable with public speaking",
    "Move into product management",
    "Learn to estimate work",
    "Build a network in a new city",
)
_SESSION_NOTES = (
    "Went through {topic}",
    "Long talk about {topic}",
    "Reviewed progress on the goals; then {topic}",
    "Coffee and a walk: {topic}",
    "Session on {topic}",
)
_LEARNED = (
    "Write the decision down before the meeting",
    "Ask for feedback in the first month, not the sixth",
    "Say what you will stop doing, not only what you will start",
    "A small public win beats a big private one",
    "Most doors open by asking",
)
_ASK = (
    "Ask how the talk proposal went",
    "Ask whether the new role is confirmed",
    "Ask what they read this month",
)

# (role, cadence choices, status, due today)
_SHAPES: tuple[tuple[str, tuple[int, ...], str, bool], ...] = (
    ("mentor", (30,), Status.ACTIVE, True),
    ("mentor", (42, 60), Status.ACTIVE, False),
    ("mentee", (14, 21), Status.ACTIVE, False),
    ("mentee", (21, 28), Status.ACTIVE, False),
    ("mentee", (30,), Status.PAUSED, False),
    ("others", (30, 45), Status.ACTIVE, False),
)


def _candidates(demo: Demo, plans: list[PersonPlan]) -> list[PersonPlan]:
    """People still in touch and known long enough, shuffled; fewer people: anyone."""
    known = [
        plan
        for plan in plans
        if plan.ongoing and plan.first_day <= demo.today_ordinal - KNOWN_FOR_DAYS
    ]
    pool = known if len(known) >= len(_SHAPES) + 1 else list(plans)
    pool = list(pool)
    demo.rng.shuffle(pool)
    return pool


def _session_days(rng: random.Random, today: int, cadence: int, due_today: bool) -> list[int]:
    """Three to five sessions about a cadence apart, the last one a cadence ago (due
    today) or well within the cadence (not due yet)."""
    last = today - cadence if due_today else today - rng.randint(2, max(3, cadence // 2))
    days = [last]
    for _ in range(rng.randint(2, 4)):
        days.append(days[-1] - cadence + rng.randint(-3, 3))
    return sorted(days)


def _session(demo: Demo, mentorship: Mentorship, day: int, first: str) -> Interaction:
    rng = demo.rng
    topic = rng.choice(data.TOPICS)
    occurred_at = demo.instant(day, rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
    interaction = Interaction(
        network_id=demo.network.pk,
        kind=Interaction.Kind.MEETING,
        occurred_at=occurred_at,
        direction=Interaction.Direction.MUTUAL,
        summary=rng.choice(_SESSION_NOTES).format(topic=topic, first=first),
        learned=rng.choice(_LEARNED) if rng.random() < 0.6 else "",
        next_questions=rng.choice(_ASK) if rng.random() < 0.3 else "",
        source=Interaction.Source.DEMO,
        mentorship=mentorship,
        created_by_id=demo.actor.pk,
        created_at=occurred_at,
    )
    return interaction


def create_mentorships(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many rows of the main kind were made."""
    pool = _candidates(demo, plans)
    if len(pool) < 2:
        return 0
    me = Person.objects.only("pk").get(network=demo.network, is_self=True)
    rng, today = demo.rng, demo.today_ordinal
    mentorships: list[Mentorship] = []
    planned: list[tuple[list[int], list[PersonPlan]]] = []
    for role, cadences, status, due_today in _SHAPES:
        needed = 2 if role == "others" else 1
        if len(pool) < needed:
            break
        people = [pool.pop() for _ in range(needed)]
        cadence = rng.choice(cadences)
        days = _session_days(rng, today, cadence, due_today)
        if status == Status.PAUSED:  # paused a while ago, after its last session
            days = [day - PAUSED_FOR_DAYS for day in days]
        started = days[0] - rng.randint(7, 21)
        goals = _MENTOR_GOALS if role == "mentor" else _MENTEE_GOALS
        mentor_id, mentee_id = {
            "mentor": (people[0].pk, me.pk),
            "mentee": (me.pk, people[0].pk),
            "others": (people[0].pk, people[-1].pk),
        }[role]
        mentorships.append(
            Mentorship(
                network_id=demo.network.pk,
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                goals="\n".join(rng.sample(goals, 2)),
                status=status,
                cadence_days=cadence,
                started_on=dt.date.fromordinal(started),
                created_at=demo.instant(started, 12),
            )
        )
        planned.append((days, people))
    Mentorship.objects.bulk_create(mentorships)
    rows: list[Interaction] = []
    participants: list[list[int]] = []  # the people of each session, me left out
    for mentorship, (days, people) in zip(mentorships, planned, strict=True):
        for day in days:
            rows.append(_session(demo, mentorship, day, people[0].first))
            participants.append([plan.pk for plan in people])
    Interaction.objects.bulk_create(rows)
    InteractionParticipant.objects.bulk_create(
        InteractionParticipant(interaction_id=row.pk, person_id=person_id)
        for row, people_ids in zip(rows, participants, strict=True)
        for person_id in people_ids
    )
    return len(mentorships)
