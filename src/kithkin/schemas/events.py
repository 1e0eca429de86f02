"""Events and the people met there."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import Event
    from kithkin.queries.events import EventPage, EventRow, MetRow
    from kithkin.services.events import EventFields


class EventOut(Shape):
    """An event as lists show it, with how many people I met there."""

    id: int
    name: str
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    location: str | None
    url: str | None
    organizer: str | None
    status: str
    people_met: int

    @classmethod
    def of(cls, event: Event, people_met: int) -> Self:
        return cls(
            id=event.pk,
            name=event.name,
            kind=event.kind,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            location=event.location or None,
            url=event.url or None,
            organizer=event.organizer.name if event.organizer else None,
            status=event.status,
            people_met=people_met,
        )

    @classmethod
    def of_row(cls, row: EventRow) -> Self:
        return cls.of(row.event, row.met_count)


class EventListOut(Shape):
    """`kith event list`: a group not asked for (`--upcoming`, `--past`) is null."""

    upcoming: list[EventOut] | None
    past: list[EventOut] | None


class MetFollowUpOut(Shape):
    """Where the follow-up owed from this event stands: open or done."""

    id: int
    status: str
    due_on: dt.date


class MetOut(Shape):
    person: PersonRef
    note: str
    met_on: dt.date | None
    follow_up: MetFollowUpOut | None

    @classmethod
    def of(cls, row: MetRow) -> Self:
        return cls(
            person=PersonRef.of(row.person),
            note=row.note,
            met_on=row.met_on,
            follow_up=None
            if row.follow_up is None
            else MetFollowUpOut(
                id=row.follow_up.pk, status=row.follow_up_status, due_on=row.follow_up.due_on
            ),
        )


class EventDetailOut(EventOut):
    """`kith event show`: the event, its notes and tags, and whom I met there."""

    notes: str
    tags: list[str]
    met: list[MetOut]

    @classmethod
    def of_page(cls, page: EventPage) -> Self:
        return cls(
            **EventOut.of(page.event, len(page.met)).model_dump(),
            notes=page.event.notes,
            tags=page.tags,
            met=[MetOut.of(row) for row in page.met],
        )


class EventIn(Shape):
    """What adding an event takes (`kith event add`): ``organizer`` an organization's name,
    found or added; ``kind`` and ``status`` as stored."""

    name: str = Field(min_length=1)
    starts_on: dt.date
    ends_on: dt.date | None = None
    kind: str = "meetup"
    location: str = ""
    url: str = ""
    organizer: str = ""
    status: str = "interested"
    notes: str = ""
    tags: list[str] = []

    def fields(self) -> EventFields:
        """What ``services.events.add_event`` takes."""
        from kithkin.services.events import EventFields

        return EventFields(**self.model_dump())
