"""Follow-ups for a demo network: open ones around today (some overdue, some due today,
some coming up, a couple recurring monthly) and older ones already done."""

from __future__ import annotations

import datetime as dt
import itertools

from kithkin.demo import data
from kithkin.demo.plan import Demo, PersonPlan
from kithkin.models import FollowUp

MONTHLY = "FREQ=MONTHLY;INTERVAL=1"
WINDOW_DAYS = 20  # open follow-ups fall due from 20 days ago to 20 days ahead
DRAFT_SHARE = 0.4
RECURRING = 2
# Closer people are owed more follow-ups.
_CIRCLE_WEIGHTS = {"close": 8.0, "regular": 4.0, "occasional": 2.0}


def _owed_to(demo: Demo, plans: list[PersonPlan], count: int) -> list[PersonPlan]:
    weights = itertools.accumulate(_CIRCLE_WEIGHTS.get(plan.circle, 1.0) for plan in plans)
    return demo.rng.choices(plans, cum_weights=list(weights), k=count)


def _open_due_offsets(demo: Demo, count: int) -> list[int]:
    """Days from today: one overdue, one due today and one due this week at least."""
    rng = demo.rng
    fixed = [-rng.randint(1, WINDOW_DAYS), 0, rng.randint(1, 7)][:count]
    return fixed + [rng.randint(-WINDOW_DAYS, WINDOW_DAYS) for _ in range(count - len(fixed))]


def _follow_up(demo: Demo, plan: PersonPlan, due: int, created: int) -> FollowUp:
    rng = demo.rng
    fill = {"first": plan.first, "topic": rng.choice(data.TOPICS)}
    draft = rng.choice(data.DRAFTS).format(**fill) if rng.random() < DRAFT_SHARE else ""
    return FollowUp(
        network=demo.network,
        title=rng.choice(data.FOLLOW_UPS).format(**fill),
        due_on=dt.date.fromordinal(due),
        draft=draft,
        created_by=demo.actor,
        created_at=demo.instant(created, rng.randint(8, 20), rng.randrange(0, 60, 5)),
    )


def open_follow_ups(demo: Demo, plans: list[PersonPlan]) -> list[tuple[FollowUp, PersonPlan]]:
    rng, today = demo.rng, demo.today_ordinal
    count = max(3, len(plans) // 20)
    offsets = _open_due_offsets(demo, count)
    recurring = set(rng.sample(range(count), min(RECURRING, count)))
    rows = []
    for number, (plan, offset) in enumerate(
        zip(_owed_to(demo, plans, count), offsets, strict=True)
    ):
        due = today + offset
        follow_up = _follow_up(demo, plan, due, min(due, today) - rng.randint(1, 10))
        if number in recurring:
            follow_up.recurrence = MONTHLY
        rows.append((follow_up, plan))
    return rows


def done_follow_ups(demo: Demo, plans: list[PersonPlan]) -> list[tuple[FollowUp, PersonPlan]]:
    rng, today = demo.rng, demo.today_ordinal
    rows = []
    for plan in _owed_to(demo, plans, max(2, len(plans) // 15)):
        due = today - rng.randint(WINDOW_DAYS + 1, 700)
        follow_up = _follow_up(demo, plan, due, due - rng.randint(1, 10))
        done = min(due + rng.randint(-3, 2), today - 1)
        follow_up.done_at = demo.instant(done, rng.randint(8, 21), rng.randrange(0, 60, 5))
        rows.append((follow_up, plan))
    return rows


def create_follow_ups(demo: Demo, plans: list[PersonPlan]) -> int:
    if not plans:
        return 0
    rows = open_follow_ups(demo, plans) + done_follow_ups(demo, plans)
    FollowUp.objects.bulk_create([follow_up for follow_up, _ in rows], batch_size=demo.batch_size)
    FollowUp.people.through.objects.bulk_create(
        [
            FollowUp.people.through(followup_id=follow_up.pk, person_id=plan.pk)
            for follow_up, plan in rows
        ],
        batch_size=demo.batch_size,
    )
    demo.report("follow-ups", len(rows), len(rows))
    return len(rows)
