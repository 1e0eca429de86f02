"""Mentorships: mentor, mentee, goals, cadence and sessions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, PersonRef, Shape
from kithkin.schemas.interactions import InteractionOut

if TYPE_CHECKING:
    from kithkin.queries.mentorships import MentorshipDetail, MentorshipSummary


class MentorshipOut(Shape):
    """``role``: mentor (they mentor me), mentee (I mentor them) or others;
    ``next_session_on`` null when paused, ended or without a cadence; ``days_overdue``
    negative while the next session is ahead."""

    id: int
    role: str
    mentor: PersonRef
    mentee: PersonRef
    status: str
    goals: list[str]
    cadence_days: int | None
    started_on: dt.date
    ended_on: dt.date | None
    session_count: int
    last_session_on: dt.date | None
    next_session_on: dt.date | None
    days_overdue: int | None

    @classmethod
    def of(cls, row: MentorshipSummary, today: dt.date) -> Self:
        m = row.mentorship
        return cls(
            id=m.pk,
            role=row.role,
            mentor=PersonRef.of(m.mentor),
            mentee=PersonRef.of(m.mentee),
            status=m.status,
            goals=row.goals,
            cadence_days=m.cadence_days,
            started_on=m.started_on,
            ended_on=m.ended_on,
            session_count=row.session_count,
            last_session_on=row.last_session_on,
            next_session_on=row.next_session_on,
            days_overdue=row.days_overdue(today),
        )


class MentorshipDetailOut(MentorshipOut):
    """`kith mentor show`: the sessions too, newest first."""

    sessions: list[InteractionOut]

    @classmethod
    def of_detail(cls, detail: MentorshipDetail, today: dt.date, time_zone: str) -> Self:
        return cls(
            **MentorshipOut.of(detail.summary, today).model_dump(),
            sessions=[InteractionOut.of(item, time_zone) for item in detail.sessions],
        )


class MentorshipIn(Input):
    """What adding a mentorship takes (`kith mentor add`, `kith mentee add`): person ids
    (one of them may be me); ``cadence_days`` null: sessions are never due."""

    mentor: int
    mentee: int
    goals: list[str] = []
    cadence_days: int | None = Field(default=None, ge=1)
    started_on: dt.date | None = None


class MentorshipChange(Input):
    """A mentorship's new ``status``: paused (from active), active (resumed from paused)
    or ended (today; for good)."""

    status: str


class GoalIn(Input):
    """One more goal (`kith mentor goal`)."""

    goal: str


class SessionIn(Input):
    """A session (`kith mentor session`): ``on`` defaults to now; ``ask`` what to ask next
    time."""

    on: dt.date | None = None
    note: str = ""
    learned: str = ""
    ask: str = ""
