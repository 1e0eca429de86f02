"""Events and the people met there."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, PersonRef, Shape

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


class EventIn(Input):
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


class EventChange(Input):
    """What changes on an event (`kith event edit`): what is left out (or null) stays as
    it is; ``ends_on`` null makes it a one-day event; ``tags`` replaces the tags."""

    name: str | None = Field(default=None, min_length=1)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    kind: str | None = None
    location: str | None = None
    url: str | None = None
    organizer: str | None = None
    status: str | None = None
    notes: str | None = None
    tags: list[str] | None = None

    def fields(self, event: Event, tags: list[str]) -> EventFields:
        """``services.events.update_event``'s fields: the event's own, changed by these."""
        from kithkin.services.events import EventFields

        given = {
            name: value
            for name, value in self.model_dump(exclude_unset=True).items()
            if value is not None or name == "ends_on"  # null: unchanged, but for ends_on
        }
        current = EventFields(
            name=event.name,
            starts_on=event.starts_on,
            ends_on=event.ends_on,
            kind=event.kind,
            location=event.location,
            url=event.url,
            organizer=event.organizer.name if event.organizer else "",
            status=event.status,
            notes=event.notes,
            tags=tags,
        )
        return dataclasses.replace(current, **given)


class MetIn(Input):
    """Meeting someone at an event (`kith met NAME --at EVENT`): ``person`` someone known
    (their id), or ``name`` — found by ``email`` or exact name, else added (with ``email``
    and ``organization``), unless the name is close to people known: then 409 lists them,
    and ``new`` true says it is someone new. ``on`` defaults to today, or the event's last
    day once it is over."""

    person: int | None = None
    name: str = ""
    note: str = ""
    email: str = ""
    organization: str = ""
    on: dt.date | None = None
    new: bool = False
