"""Interactions for a demo network: who, when, how and what was said.

Everyone on a check-in cadence first gets their last touch (within the cadence if still
in touch, on their last day in touch if they drifted). The rest of the interactions go
to people drawn in proportion to their weight (close circles far more often than
acquaintances, and in proportion to how long they have been in touch), on a day within
their span, at a plausible local hour. The whole schedule is drawn first as compact
integers and sorted, so ids grow with time as in a real log; then rows are built and
written batch by batch, never holding more than one batch of model objects.
"""

from __future__ import annotations

import itertools
import random

from kithkin.demo import data
from kithkin.demo.plan import Demo, PersonPlan
from kithkin.fulltext import interactions_indexed_in_bulk
from kithkin.importers.apply import INTERACTION_COLUMNS
from kithkin.models import Interaction, InteractionParticipant
from kithkin.models.rows import insert_rows, reserve_ids

Kind = Interaction.Kind
Direction = Interaction.Direction

_KINDS = (
    Kind.EMAIL,
    Kind.MESSAGE,
    Kind.CALL,
    Kind.VIDEO,
    Kind.MEETING,
    Kind.EVENT,
    Kind.SOCIAL,
    Kind.NOTE,
)
_KIND_WEIGHTS = list(itertools.accumulate((30, 18, 10, 12, 14, 6, 7, 3)))
_DIRECTIONS = (Direction.OUTBOUND, Direction.INBOUND, Direction.MUTUAL)
_DIRECTION_WEIGHTS = {
    Kind.MEETING: list(itertools.accumulate((25, 15, 60))),
    Kind.EVENT: list(itertools.accumulate((20, 20, 60))),
    Kind.NOTE: list(itertools.accumulate((0, 0, 1))),
}
_USUAL_DIRECTION_WEIGHTS = list(itertools.accumulate((45, 40, 15)))
# Local hours (first, last) at which each kind of interaction happens.
_HOURS = {
    Kind.EMAIL: (7, 22),
    Kind.MESSAGE: (8, 23),
    Kind.CALL: (9, 18),
    Kind.VIDEO: (8, 18),
    Kind.MEETING: (8, 19),
    Kind.EVENT: (12, 21),
    Kind.SOCIAL: (7, 23),
    Kind.NOTE: (8, 22),
}
_WORKDAY_KINDS = frozenset({Kind.CALL, Kind.VIDEO, Kind.MEETING})

GROUP_SHARE = 0.06
LEARNED_SHARE = 0.30
NEXT_QUESTIONS_SHARE = 0.15


def _without_organization(templates: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(template for template in templates if "{org}" not in template)


# kind -> (templates for people with an organization, templates for people without)
_SUMMARIES = {kind: (texts, _without_organization(texts)) for kind, texts in data.SUMMARIES.items()}
_LEARNED = (data.LEARNED, _without_organization(data.LEARNED))
_NEXT_QUESTIONS = (data.NEXT_QUESTIONS, _without_organization(data.NEXT_QUESTIONS))


def _last_touches(demo: Demo, plans: list[PersonPlan], limit: int) -> list[int]:
    """Everyone on a cadence was talked to at least once: for those still in touch,
    within the cadence; for those who drifted, on their last day in touch. So the
    check-ins due are the people who drifted, not whoever the dice forgot. At most
    ``limit`` of them."""
    rng, size, today = demo.rng, len(plans), demo.today_ordinal
    keys: list[int] = []
    for index, plan in enumerate(plans):
        if len(keys) == limit:
            break
        if plan.cadence and plan.ongoing:
            day = max(plan.first_day, today - rng.randint(1, max(1, plan.cadence - 1)))
            keys.append(day * size + index)
        elif plan.cadence:
            keys.append(plan.last_day * size + index)
    return keys


def _schedule(demo: Demo, plans: list[PersonPlan], count: int) -> list[int]:
    """``count`` (day, person) pairs encoded as ``day * len(plans) + index``, sorted."""
    rng, size = demo.rng, len(plans)
    keys = _last_touches(demo, plans, count)
    cumulative = list(itertools.accumulate(plan.weight for plan in plans))
    for start in range(len(keys), count, demo.batch_size):
        drawn = rng.choices(
            range(size), cum_weights=cumulative, k=min(demo.batch_size, count - start)
        )
        for index in drawn:
            plan = plans[index]
            keys.append(rng.randint(plan.first_day, plan.last_day) * size + index)
    keys.sort()
    return keys


class Companions:
    """Who else joins a group interaction: colleagues first, else anyone still in touch
    who was already known on that day."""

    def __init__(self, plans: list[PersonPlan]) -> None:
        self.plans = plans
        self.in_touch = [index for index, plan in enumerate(plans) if plan.ongoing]
        self.colleagues: dict[int, list[int]] = {}
        for index in self.in_touch:
            organization = plans[index].organization_index
            if organization is not None:
                self.colleagues.setdefault(organization, []).append(index)

    def pick(self, rng: random.Random, index: int, day: int) -> list[int]:
        wanted = rng.randint(1, 2)
        chosen: list[int] = []
        organization = self.plans[index].organization_index
        colleagues = self.colleagues.get(organization, []) if organization is not None else []
        for attempt in range(6):
            pool = colleagues if attempt < 3 and len(colleagues) > 1 else self.in_touch
            if not pool:
                break
            candidate = rng.choice(pool)
            if (
                candidate != index
                and candidate not in chosen
                and self.plans[candidate].first_day <= day
            ):
                chosen.append(candidate)
                if len(chosen) == wanted:
                    break
        return chosen


def _day_and_time(demo: Demo, kind: str, day: int, first_day: int) -> tuple[int, int, int]:
    """(day, hour, minute): calls and meetings move off weekends, mostly."""
    rng = demo.rng
    minute_step = 5
    if kind in _WORKDAY_KINDS:
        minute_step = 15
        weekday = (day - 1) % 7  # ordinal 1 (1 January of year 1) was a Monday
        if weekday >= 5 and rng.random() < 0.85 and day - (weekday - 4) >= first_day:
            day -= weekday - 4
    first_hour, last_hour = _HOURS[Kind(kind)]
    return day, rng.randint(first_hour, last_hour), rng.randrange(0, 60, minute_step)


def _names(firsts: list[str]) -> str:
    return f"{', '.join(firsts[:-1])} and {firsts[-1]}"


def _texts(
    rng: random.Random, kind: str, plan: PersonPlan, others: list[PersonPlan]
) -> tuple[str, str, str]:
    """(summary, what I learned, what to ask next time)."""
    with_organization = 0 if plan.organization else 1
    fill = {"first": plan.first, "org": plan.organization, "topic": rng.choice(data.TOPICS)}
    if others:
        summary = rng.choice(data.GROUP_SUMMARIES).format(
            names=_names([plan.first, *(other.first for other in others)]), **fill
        )
    else:
        summary = rng.choice(_SUMMARIES[kind][with_organization]).format(**fill)
    learned = ""
    if rng.random() < LEARNED_SHARE:
        learned = rng.choice(_LEARNED[with_organization]).format(**fill)
    questions = ""
    if rng.random() < NEXT_QUESTIONS_SHARE:
        questions = rng.choice(_NEXT_QUESTIONS[with_organization]).format(**fill)
    return summary, learned, questions


def _draw_interaction(
    demo: Demo, companions: Companions, index: int, day: int, pk: int
) -> tuple[tuple[object, ...], list[int]]:
    """One interaction as a row in INTERACTION_COLUMNS' order (the importers' own), and
    the indexes of its people."""
    rng, plan = demo.rng, companions.plans[index]
    kind = rng.choices(_KINDS, cum_weights=_KIND_WEIGHTS)[0]
    direction = rng.choices(
        _DIRECTIONS, cum_weights=_DIRECTION_WEIGHTS.get(kind, _USUAL_DIRECTION_WEIGHTS)
    )[0]
    day, hour, minute = _day_and_time(demo, kind, day, plan.first_day)
    others = companions.pick(rng, index, day) if rng.random() < GROUP_SHARE else []
    summary, learned, questions = _texts(
        rng, kind, plan, [companions.plans[other] for other in others]
    )
    occurred_at = demo.instant(day, hour, minute)
    row = (
        pk,
        demo.network.pk,
        str(kind),
        occurred_at,
        str(direction),
        summary,
        learned,
        questions,
        "",
        str(Interaction.Source.DEMO),
        None,  # external_id
        demo.actor.pk,
        occurred_at,
    )
    return row, [index, *others]


def create_interactions(demo: Demo, plans: list[PersonPlan], count: int) -> int:
    if count == 0 or not plans:
        return 0
    schedule = _schedule(demo, plans, count)
    companions = Companions(plans)
    size = len(plans)
    # Rows go in by executemany, not bulk_create: compiling 3,000,000 model instances
    # through the ORM took seven times the database's own work. They are indexed for
    # search in one statement at the end, as an import's are.
    with interactions_indexed_in_bulk():
        for start in range(0, count, demo.batch_size):
            keys = schedule[start : start + demo.batch_size]
            rows: list[tuple[object, ...]] = []
            participants: list[tuple[object, ...]] = []
            for key, pk in zip(keys, reserve_ids(Interaction, len(keys)), strict=True):
                day, index = divmod(key, size)
                row, indexes = _draw_interaction(demo, companions, index, day, pk)
                rows.append(row)
                participants.extend((pk, plans[person].pk) for person in indexes)
            insert_rows(Interaction, INTERACTION_COLUMNS, rows)
            insert_rows(InteractionParticipant, ("interaction", "person"), participants)
            demo.report("interactions", start + len(rows), count)
    return count
