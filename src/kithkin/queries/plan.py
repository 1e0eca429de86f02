""" "Your N for today": one ranked list across the agenda, bounded by the daily budget.

The agenda (``queries.agenda``) answers *what is due*, section by section; the plan answers
*what to do today*, in one list a person can finish. It is built from an already computed
:class:`~kithkin.queries.agenda.Agenda`, so it costs no query of its own.

The ranking rule (the only place it is written):

1. **Kinds, in this order** (``KINDS``): overdue follow-ups (promises I made, and the
   longest broken first), people met at an event without a follow-up (the 48 hours run
   out), thanks owed (help gets older), support for a challenge (hard times do not wait),
   celebrations whose day has come (a birthday is one day), then check-ins (most overdue
   relative to their cadence first, as ``queries.agenda.due_check_ins`` ranks them).
   Within a kind, rows keep the order their section gives them (most urgent first).
2. **Bounded by the network's daily outreach budget** (``Network.daily_outreach_budget``):
   the plan holds at most that many rows.
3. **Every kind gets its turn, and none fills the plan alone**: first the most urgent row of
   each kind (in kind order), then further rows in rank order with at most
   ``ceil(budget / 2)`` of one kind, then any row left while slots remain. The plan is
   shown in rank order (kind, then position within the kind).

Each row carries its reason (why today) and one primary action (``PlanRow.action``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kithkin.queries.agenda import Agenda
from kithkin.queries.agenda_items import AgendaItem, PersonRef

# The order of kinds in the plan: the ranking rule's first key (see the module docstring).
KINDS = ("follow_up", "met", "thanks", "support", "celebrate", "check_in")

# What the one button of each kind does, as the interfaces name it.
ACTIONS = {
    "follow_up": "done",
    "met": "follow_up",
    "thanks": "thank",
    "support": "help",
    "celebrate": "celebrate",
    "check_in": "log",
}


@dataclass(frozen=True)
class PlanRow:
    kind: str  # one of KINDS
    key: str  # unique on Today, safe as an HTML id: "plan-follow-up-6"
    title: str  # what to do: "Send the deck to Ada"
    people: list[PersonRef]
    reason: str  # why today
    action: str  # the one primary action, from ACTIONS
    record_id: int | None  # the follow-up, event, giver, milestone... the action acts on
    occasion: str = ""  # a yearly occasion's key ("birthday:2026"), for celebrate

    @property
    def person(self) -> PersonRef | None:
        return self.people[0] if self.people else None


@dataclass(frozen=True)
class Plan:
    budget: int
    rows: list[PlanRow]
    waiting: int  # due today but beyond the budget (check-ins beyond it included)

    @property
    def size(self) -> int:
        return len(self.rows)


def _from_item(kind: str, item: AgendaItem) -> PlanRow:
    return PlanRow(
        kind=kind,
        key=f"plan-{item.key}",
        title=item.title,
        people=item.people,
        reason=item.reason,
        action=ACTIONS[kind],
        record_id=item.record_id,
        occasion=getattr(item, "occasion", ""),
    )


def candidates(agenda: Agenda) -> dict[str, list[PlanRow]]:
    """Every row that could be in today's plan, by kind, each kind in its section's order."""
    sections = {section.key: section for section in agenda.sections}

    def items(key: str) -> list[AgendaItem]:
        section = sections.get(key)
        return list(section.items) if section is not None and not section.deferred else []

    return {
        "follow_up": [
            PlanRow(
                kind="follow_up",
                key=f"plan-follow-up-{item.id}",
                title=item.title,
                people=item.people,
                reason=item.reason,
                action=ACTIONS["follow_up"],
                record_id=item.id,
            )
            for item in agenda.follow_ups_due
        ],
        "met": [_from_item("met", item) for item in items("met")],
        "thanks": [_from_item("thanks", item) for item in items("thanks")],
        "support": [_from_item("support", item) for item in items("support")],
        "celebrate": [
            _from_item("celebrate", item)
            for item in items("celebrate")
            if item.on is None or item.on <= agenda.today
        ],
        "check_in": [
            PlanRow(
                kind="check_in",
                key=f"plan-check-in-{check.person.pk}",
                title=f"Check in with {check.person.full_name}",
                people=[PersonRef(check.person.pk, check.person.full_name)],
                reason=check.status.reason,
                action=ACTIONS["check_in"],
                record_id=check.person.pk,
            )
            for check in agenda.check_ins
        ],
    }


def rank(by_kind: dict[str, list[PlanRow]], budget: int) -> tuple[list[PlanRow], int]:
    """The ranking rule (module docstring): the chosen rows in rank order, and how many
    candidates were left out."""
    budget = max(budget, 1)
    ranked = [
        (position, index)
        for position, kind in enumerate(KINDS)
        for index in range(len(by_kind.get(kind, [])))
    ]
    share = math.ceil(budget / 2)
    passes = (
        lambda position, index: index == 0,  # the most urgent of each kind
        lambda position, index: index < share,  # then no kind beyond its share
        lambda position, index: True,  # then whatever is left
    )
    chosen: set[tuple[int, int]] = set()
    for admits in passes:
        for position, index in ranked:
            if len(chosen) < budget and admits(position, index):
                chosen.add((position, index))
    total = sum(len(rows) for rows in by_kind.values())
    rows = [by_kind[KINDS[position]][index] for position, index in sorted(chosen)]
    return rows, total - len(rows)


def plan(agenda: Agenda) -> Plan:
    """Today's plan from today's agenda, bounded by the network's daily outreach budget."""
    budget = agenda.backlog.budget
    rows, left_out = rank(candidates(agenda), budget)
    unread = agenda.follow_ups_due_total - len(agenda.follow_ups_due)  # a long backlog
    return Plan(budget=budget, rows=rows, waiting=left_out + unread + agenda.backlog.later)
