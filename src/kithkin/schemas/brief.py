"""The prep brief (`kith brief`): what to remember before meeting someone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import OrganizationRef, PersonRef, Shape, SomeOut
from kithkin.schemas.strength import StrengthOut

if TYPE_CHECKING:
    from kithkin.queries.brief import Brief


class ConversationOut(Shape):
    on: dt.date
    kind: str  # as displayed: "call", "video call"
    summary: str
    learned: str


class QuestionOut(Shape):
    noted_on: dt.date
    text: str


class BriefFollowUpOut(Shape):
    id: int
    title: str
    due_on: dt.date


class UpcomingOut(Shape):
    on: dt.date
    title: str
    days: int


class BriefEventOut(Shape):
    id: int
    name: str
    starts_on: dt.date


class ConnectionOut(PersonRef):
    """Someone we both know, and how."""

    why: str


class BalanceOut(Shape):
    given: int
    received: int
    balance: int
    sentence: str


class BriefOut(Shape):
    """A list shows its first items and how many more there are (``more``)."""

    person: PersonRef
    pronouns: str
    roles: list[str]
    headline: str
    location: str
    circle: str | None
    tags: SomeOut[str]
    what_matters: str
    how_we_met: str
    introduced_by: PersonRef | None
    interaction_count: int
    last_interactions: list[ConversationOut]
    questions: SomeOut[QuestionOut]
    follow_ups: SomeOut[BriefFollowUpOut]
    upcoming: SomeOut[UpcomingOut]
    organizations: SomeOut[OrganizationRef]
    events: SomeOut[BriefEventOut]
    connections: SomeOut[ConnectionOut]
    value: BalanceOut
    strength: StrengthOut | None = None  # none: nothing counts yet (docs/strength.md)

    @classmethod
    def of(cls, brief: Brief) -> Self:
        person = brief.person
        return cls(
            person=PersonRef.of(person),
            pronouns=person.pronouns,
            roles=brief.roles,
            headline=person.headline,
            location=person.location,
            circle=brief.circle,
            tags=SomeOut[str](items=list(brief.tags), more=brief.tags.more),
            what_matters=person.what_matters,
            how_we_met=person.how_we_met,
            introduced_by=PersonRef.maybe(brief.introduced_by),
            interaction_count=brief.interaction_count,
            last_interactions=[
                ConversationOut(on=c.on, kind=c.kind, summary=c.summary, learned=c.learned)
                for c in brief.conversations
            ],
            questions=SomeOut[QuestionOut](
                items=[QuestionOut(noted_on=q.asked_on, text=q.text) for q in brief.questions],
                more=brief.questions.more,
            ),
            follow_ups=SomeOut[BriefFollowUpOut](
                items=[
                    BriefFollowUpOut(id=f.pk, title=f.title, due_on=f.due_on)
                    for f in brief.follow_ups
                ],
                more=brief.follow_ups.more,
            ),
            upcoming=SomeOut[UpcomingOut](
                items=[UpcomingOut(on=u.on, title=u.title, days=u.days) for u in brief.upcoming],
                more=brief.upcoming.more,
            ),
            organizations=SomeOut[OrganizationRef](
                items=[OrganizationRef.of(o) for o in brief.organizations],
                more=brief.organizations.more,
            ),
            events=SomeOut[BriefEventOut](
                items=[
                    BriefEventOut(id=e.pk, name=e.name, starts_on=e.starts_on) for e in brief.events
                ],
                more=brief.events.more,
            ),
            connections=SomeOut[ConnectionOut](
                items=[
                    ConnectionOut(id=c.person.pk, name=c.person.full_name, why=c.why)
                    for c in brief.connections
                ],
                more=brief.connections.more,
            ),
            value=BalanceOut(
                given=brief.balance.given,
                received=brief.balance.received,
                balance=brief.balance.balance,
                sentence=brief.balance.sentence,
            ),
            strength=StrengthOut.of(brief.strength) if brief.strength else None,
        )
