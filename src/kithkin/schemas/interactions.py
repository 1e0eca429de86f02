"""Interactions: one touchpoint with one or more people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import AwareDatetime, Field

from kithkin.schemas.base import Input, Instant, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import Interaction
    from kithkin.queries.people import TimelineEntry


class InteractionOut(Shape):
    """``on`` is the local date in the time zone given; ``occurred_at`` the instant (UTC)."""

    id: int
    kind: str
    on: dt.date
    occurred_at: Instant
    direction: str
    summary: str
    learned: str
    next_questions: str
    source: str

    @classmethod
    def of(cls, item: Interaction, time_zone: str) -> Self:
        from kithkin import clock

        return cls(
            id=item.pk,
            kind=item.kind,
            on=clock.local_date(item.occurred_at, time_zone),
            occurred_at=item.occurred_at,
            direction=item.direction,
            summary=item.summary,
            learned=item.learned,
            next_questions=item.next_questions,
            source=item.source,
        )


class TimelineEntryOut(InteractionOut):
    """An interaction on a person's timeline, with the names of the others who took part
    (``others``: "with" would be a Python keyword, and an alias is one more thing every
    interface must remember to honour)."""

    others: list[str]

    @classmethod
    def of_entry(cls, entry: TimelineEntry, time_zone: str) -> Self:
        shape = InteractionOut.of(entry.interaction, time_zone)
        return cls(**shape.model_dump(), others=entry.others)


class InteractionIn(Input):
    """What logging an interaction takes (`kith log`): ``people`` are person ids; ``on`` a
    day as `kith log --on` takes it (noon there, now for today), or ``occurred_at`` an
    instant with its offset; neither: now. Never in the future."""

    kind: str
    people: list[int] = Field(min_length=1)
    on: dt.date | None = None
    occurred_at: AwareDatetime | None = None
    summary: str = ""
    learned: str = ""
    next_questions: str = ""
    direction: str = "mutual"


class InteractionDetailOut(InteractionOut):
    """An interaction on its own (the API's interactions): with everyone who took part."""

    people: list[PersonRef]

    @classmethod
    def of_interaction(cls, item: Interaction, time_zone: str) -> Self:
        """``item.participants`` prefetched (ordered by name)."""
        people = sorted(item.participants.all(), key=lambda p: (p.full_name, p.pk))
        shape = InteractionOut.of(item, time_zone)
        return cls(**shape.model_dump(), people=[PersonRef.of(p) for p in people])
