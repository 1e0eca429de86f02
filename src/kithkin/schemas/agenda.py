"""Today: the plan ("your N for today"), the agenda's follow-ups, check-ins, backlog and
its sections (`kith today --json`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import PersonRef, Shape
from kithkin.schemas.followups import DueFollowUpOut
from kithkin.schemas.people import CheckInFields, CheckInOut, PersonSummaryOut

if TYPE_CHECKING:
    from kithkin.queries.agenda import Agenda, Backlog, CheckInItem
    from kithkin.queries.agenda_items import AgendaItem, Section
    from kithkin.queries.plan import Plan, PlanRow


class PlanItemOut(Shape):
    """``kind`` is follow_up, met, thanks, support, celebrate or check_in; ``action`` the
    one thing to do; ``id`` the record it acts on."""

    kind: str
    key: str
    title: str
    people: list[PersonRef]
    reason: str
    action: str
    id: int | None
    occasion: str | None

    @classmethod
    def of(cls, row: PlanRow) -> Self:
        return cls(
            kind=row.kind,
            key=row.key,
            title=row.title,
            people=[PersonRef.of(ref) for ref in row.people],
            reason=row.reason,
            action=row.action,
            id=row.record_id,
            occasion=row.occasion or None,
        )


class PlanOut(Shape):
    """Today's ranked rows within the budget (queries/plan.py); ``waiting``: due but
    beyond it."""

    budget: int
    waiting: int
    items: list[PlanItemOut]

    @classmethod
    def of(cls, result: Plan) -> Self:
        return cls(
            budget=result.budget,
            waiting=result.waiting,
            items=[PlanItemOut.of(row) for row in result.rows],
        )


class SectionItemOut(Shape):
    """``id`` is the record its actions take; ``draft`` the kind of message that fits."""

    key: str
    title: str
    people: list[PersonRef]
    reason: str
    on: dt.date | None
    id: int | None
    draft: str | None
    detail: str | None

    @classmethod
    def of(cls, item: AgendaItem) -> Self:
        return cls(
            key=item.key,
            title=item.title,
            people=[PersonRef.of(ref) for ref in item.people],
            reason=item.reason,
            on=item.on,
            id=item.record_id,
            draft=item.draft_kind or None,
            detail=item.detail or None,
        )


class SectionOut(Shape):
    """One of the agenda's lists: met, thanks, celebrate, support, mentoring,
    opportunities, renewals."""

    key: str
    title: str
    total: int
    items: list[SectionItemOut]

    @classmethod
    def of(cls, section: Section) -> Self:
        return cls(
            key=section.key,
            title=section.title,
            total=section.total,
            items=[SectionItemOut.of(item) for item in section.items],
        )


class CheckInRowOut(CheckInFields):
    """A check-in due: ``lateness`` is days overdue divided by the cadence."""

    person: PersonSummaryOut
    circle: str | None
    lateness: float

    @classmethod
    def of(cls, item: CheckInItem) -> Self:
        return cls(
            person=PersonSummaryOut.of(item.person),
            circle=item.circle,
            lateness=item.lateness,
            **CheckInOut.of(item.status).model_dump(),
        )


class ScheduleDayOut(Shape):
    date: dt.date
    count: int


class BacklogOut(Shape):
    """How the check-ins beyond today's budget spread over the next days."""

    budget: int
    due_total: int
    later: int
    days_to_clear: int
    schedule: list[ScheduleDayOut]

    @classmethod
    def of(cls, backlog: Backlog) -> Self:
        return cls(
            budget=backlog.budget,
            due_total=backlog.due_total,
            later=backlog.later,
            days_to_clear=backlog.days_to_clear,
            schedule=[ScheduleDayOut(date=day, count=n) for day, n in backlog.schedule],
        )


class AgendaOut(Shape):
    """`kith today --json`."""

    plan: PlanOut
    date: dt.date
    network: str
    follow_ups: list[DueFollowUpOut]
    check_ins: list[CheckInRowOut]
    backlog: BacklogOut
    upcoming_follow_ups: list[DueFollowUpOut]
    sections: list[SectionOut]

    @classmethod
    def of(cls, result: Agenda, plan: Plan, network_name: str) -> Self:
        return cls(
            plan=PlanOut.of(plan),
            date=result.today,
            network=network_name,
            follow_ups=[DueFollowUpOut.of_item(item) for item in result.follow_ups_due],
            check_ins=[CheckInRowOut.of(item) for item in result.check_ins],
            backlog=BacklogOut.of(result.backlog),
            upcoming_follow_ups=[
                DueFollowUpOut.of_item(item) for item in result.follow_ups_upcoming
            ],
            sections=[SectionOut.of(s) for s in result.sections],
        )
