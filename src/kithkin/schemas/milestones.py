"""Milestones, and the occasions (birthdays, work anniversaries, milestones) they fall on."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import Milestone
    from kithkin.queries.occasions import Occasion


class MilestoneOut(Shape):
    """``date`` is YYYY-MM-DD, or --MM-DD for a yearly one without a year."""

    id: int
    person: PersonRef
    kind: str
    label: str
    title: str | None
    date: str
    yearly: bool
    support: bool
    note: str | None

    @classmethod
    def of(cls, milestone: Milestone) -> Self:
        from kithkin.queries.milestones import date_text
        from kithkin.queries.occasions import kind_label

        return cls(
            id=milestone.pk,
            person=PersonRef(id=milestone.person_id, name=milestone.person.full_name),
            kind=milestone.kind,
            label=kind_label(milestone.kind),
            title=milestone.title or None,
            date=date_text(milestone),
            yearly=milestone.recurs_yearly,
            support=milestone.is_support,
            note=milestone.note or None,
        )


class OccasionOut(Shape):
    """``what`` is birthday, anniversary (``affiliation_id``; ``title`` the organization) or
    milestone (``milestone_id``); ``occasion`` the key a celebration of a yearly one
    carries."""

    on: dt.date
    what: str
    kind: str
    label: str
    person: PersonRef
    title: str | None
    years: int | None
    yearly: bool
    support: bool
    milestone_id: int | None
    affiliation_id: int | None
    occasion: str | None
    celebrated: bool
    reason: str

    @classmethod
    def of(cls, occasion: Occasion, today: dt.date) -> Self:
        from kithkin.queries.occasions import reason

        return cls(
            on=occasion.on,
            what=occasion.source,
            kind=occasion.kind,
            label=occasion.label,
            person=PersonRef.of(occasion.person),
            title=occasion.title or None,
            years=occasion.years,
            yearly=occasion.yearly,
            support=occasion.support,
            milestone_id=occasion.milestone_id,
            affiliation_id=occasion.affiliation_id,
            occasion=occasion.key or None,
            celebrated=occasion.celebrated,
            reason=reason(occasion, today),
        )


class CelebrateWindowOut(Shape):
    """`kith milestone window`: how many days ahead occasions show under Celebrate."""

    celebrate_within_days: int


class MilestoneIn(Input):
    """What recording a milestone takes (`kith milestone add`): ``on`` is YYYY-MM-DD, or
    MM-DD without a year for a yearly one (``services.milestones.parse_on`` reads it)."""

    person: int
    kind: str
    on: str = Field(min_length=1)
    yearly: bool = False
    title: str = ""
    note: str = ""


class CelebrationIn(Input):
    """Celebrating a milestone, or offering help with a challenge (`kith celebrate`):
    ``kind`` is how (message, call, email, meeting...); ``note`` what was said or done."""

    note: str = ""
    kind: str = "message"
