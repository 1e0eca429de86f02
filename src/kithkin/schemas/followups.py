"""Follow-ups: something I owe someone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import FollowUp, Person
    from kithkin.queries.agenda import FollowUpItem


class FollowUpOut(Shape):
    id: int
    title: str
    due_on: dt.date
    recurrence: str | None
    done: bool
    people: list[PersonRef]

    @classmethod
    def of(cls, item: FollowUp, people: list[Person] | None = None) -> Self:
        return cls(
            id=item.pk,
            title=item.title,
            due_on=item.due_on,
            recurrence=item.recurrence or None,
            done=item.done_at is not None,
            people=[PersonRef.of(p) for p in (people if people is not None else item.people.all())],
        )


class DueFollowUpOut(FollowUpOut):
    """A follow-up on the agenda: how late it is (negative: due in that many days) and why."""

    days_overdue: int
    reason: str

    @classmethod
    def of_item(cls, item: FollowUpItem) -> Self:
        return cls(
            id=item.id,
            title=item.title,
            due_on=item.due_on,
            recurrence=item.recurrence or None,
            done=False,
            people=[PersonRef.of(ref) for ref in item.people],
            days_overdue=item.days_overdue,
            reason=item.reason,
        )


class FollowUpIn(Input):
    """What adding a follow-up takes (`kith follow-up add`): ``people`` are person ids;
    ``every`` an interval as the CLI reads it (``2w``, ``monthly``)."""

    title: str = Field(min_length=1)
    people: list[int] = Field(min_length=1)
    due_on: dt.date | None = None
    every: str | None = None


class FollowUpChange(Input):
    """What editing a follow-up takes (PATCH): only the fields sent change; ``every`` null
    stops it repeating; ``people`` (person ids) replaces whom it is owed to."""

    title: str | None = Field(default=None, min_length=1)
    due_on: dt.date | None = None
    every: str | None = None
    people: list[int] | None = Field(default=None, min_length=1)


class SnoozeIn(Input):
    """Until when: a date (``2026-12-24``) or words as the CLI reads them (``tomorrow``,
    ``+2w``, ``next monday``)."""

    until: str = Field(min_length=1)


class FollowUpDoneOut(Shape):
    """A follow-up marked done, and the next one when it repeats."""

    done: FollowUpOut
    next: FollowUpOut | None
