"""People: a reference, a summary row, the people list's row, the person card, and what
adding someone takes."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ObjectDoesNotExist
from pydantic import Field

from kithkin.schemas.base import Input, Role, Shape
from kithkin.schemas.followups import FollowUpOut
from kithkin.schemas.interactions import TimelineEntryOut

if TYPE_CHECKING:
    from kithkin.models import Affiliation, ContactPoint, Person
    from kithkin.queries.checkins import CheckInStatus
    from kithkin.queries.people import PersonCard
    from kithkin.queries.people_list import PersonRow
    from kithkin.services.people import NewPerson, PersonChanges


class CheckInFields(Shape):
    """When a check-in is due and why (``days_overdue`` negative: due in that many days);
    rows that carry a check-in inline inherit these fields."""

    cadence_days: int | None
    due_on: dt.date | None
    days_overdue: int | None
    last_interaction_on: dt.date | None
    reason: str


class CheckInOut(CheckInFields):
    @classmethod
    def of(cls, status: CheckInStatus) -> Self:
        return cls(
            cadence_days=status.cadence_days,
            due_on=status.due_on,
            days_overdue=status.days_overdue,
            last_interaction_on=status.last_interaction_on,
            reason=status.reason,
        )


class PersonSummaryOut(Shape):
    """A person where a list shows them: who, and where they are now."""

    id: int
    name: str
    role: Role | None

    @classmethod
    def of(cls, person: Person) -> Self:
        return cls(id=person.pk, name=person.full_name, role=Role.of_person(person))


def photo_path(person: Person) -> str | None:
    """Where the API serves ``person``'s photo (``GET``; ``?size=small``), None without one."""
    if not person.photo_digest:
        return None
    return f"/api/v1/networks/{person.network_id}/people/{person.pk}/photo"


class PersonRowOut(CheckInFields, PersonSummaryOut):
    """A row of `kith people`: the summary, the circle, the check-in, the relationship
    strength (0-100; null: nothing counts yet, docs/strength.md) and the photo's API path."""

    circle: str | None
    strength: int | None = None
    photo: str | None = None

    @classmethod
    def of_row(cls, row: PersonRow) -> Self:
        person = row.person
        return cls(
            id=person.pk,
            name=person.full_name,
            role=Role.of_person(person),
            circle=person.circle.name if person.circle else None,
            strength=_strength_of(person),
            photo=photo_path(person),
            **CheckInOut.of(row.status).model_dump(),
        )


def _strength_of(person: Any) -> int | None:
    """The stored score of a person loaded with ``select_related("strength")``."""
    try:
        return int(person.strength.score)
    except ObjectDoesNotExist:
        return None


class ContactPointOut(Shape):
    """``verified`` says whether a phone was read as a number (null for other kinds)."""

    kind: str
    service: str | None
    label: str | None
    value: str
    primary: bool
    verified: bool | None

    @classmethod
    def of(cls, point: ContactPoint) -> Self:
        return cls(
            kind=point.kind,
            service=point.service or None,
            label=point.label or None,
            value=point.value,
            primary=point.is_primary,
            verified=not point.is_unverified if point.kind == "phone" else None,
        )


class AffiliationOut(Shape):
    organization: str
    kind: str
    title: str
    start_on: dt.date | None
    end_on: dt.date | None
    current: bool

    @classmethod
    def of(cls, affiliation: Affiliation) -> Self:
        return cls(
            organization=affiliation.organization.name,
            kind=affiliation.kind,
            title=affiliation.title,
            start_on=affiliation.start_on,
            end_on=affiliation.end_on,
            current=affiliation.is_current,
        )


class PersonCardOut(Shape):
    """Everything about one person: `kith show`, `kith add`. ``timeline`` days are on
    the time zone given."""

    id: int
    name: str
    headline: str
    role: Role | None
    location: str
    pronouns: str
    circle: str | None
    tags: list[str]
    how_we_met: str
    what_matters: str
    notes: str
    connected_on: dt.date | None
    snoozed_until: dt.date | None
    archived: bool
    check_in: CheckInOut
    contact_points: list[ContactPointOut]
    affiliations: list[AffiliationOut]
    relationships: list[str]
    interaction_count: int
    timeline: list[TimelineEntryOut]
    follow_ups: list[FollowUpOut]
    photo: str | None = None  # the API path of their photo (GET …/photo), null without

    @classmethod
    def of(cls, card: PersonCard, time_zone: str) -> Self:
        person = card.person
        return cls(
            id=person.pk,
            name=person.full_name,
            headline=person.headline,
            role=Role.of_person(person),
            location=person.location,
            pronouns=person.pronouns,
            circle=card.circle,
            tags=card.tags,
            how_we_met=person.how_we_met,
            what_matters=person.what_matters,
            notes=person.notes,
            connected_on=person.connected_on,
            snoozed_until=person.snoozed_until,
            archived=person.archived_at is not None,
            check_in=CheckInOut.of(card.check_in),
            contact_points=[ContactPointOut.of(p) for p in card.contact_points],
            affiliations=[AffiliationOut.of(a) for a in card.affiliations],
            relationships=card.relationships,
            interaction_count=card.interaction_count,
            timeline=[TimelineEntryOut.of_entry(entry, time_zone) for entry in card.timeline],
            follow_ups=[FollowUpOut.of(item) for item in card.open_follow_ups],
            photo=photo_path(person),
        )


class ChangedOut(Shape):
    """How many people a change to everyone matching changed (`kith people --set-circle`)."""

    changed: int


class PersonIn(Input):
    """What adding someone takes (`kith add`, the web's add form): only the name is
    required; ``cadence_days`` overrides the circle's."""

    full_name: str = Field(min_length=1)
    emails: list[str] = []
    phones: list[str] = []
    urls: list[str] = []
    organization: str = ""
    title: str = ""
    circle: str = ""
    cadence_days: int | None = Field(default=None, ge=1)
    tags: list[str] = []
    headline: str = ""
    location: str = ""
    how_we_met: str = ""
    what_matters: str = ""
    notes: str = ""
    connected_on: dt.date | None = None

    def new_person(self) -> NewPerson:
        """What ``services.people.add_person`` takes."""
        from kithkin.services.people import NewPerson

        return NewPerson(**self.model_dump())


class PersonChange(Input):
    """What editing someone takes (the web's edit form, PATCH in the API): only the fields
    sent change. ``cadence_days`` null goes back to the circle's; ``circle`` "" leaves every
    circle; ``tags`` replaces them all; ``birthday`` is ``YYYY-MM-DD`` or ``--MM-DD`` (no
    year), null forgets it."""

    full_name: str | None = Field(default=None, min_length=1)
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    pronouns: str | None = None
    headline: str | None = None
    location: str | None = None
    time_zone: str | None = None
    how_we_met: str | None = None
    what_matters: str | None = None
    notes: str | None = None
    circle: str | None = None
    cadence_days: int | None = Field(default=None, ge=1)
    tags: list[str] | None = None
    birthday: str | None = Field(default=None, pattern=r"^(\d{4}|-)-\d{2}-\d{2}$")

    def changes(self) -> PersonChanges:
        """What ``services.people.update_person`` takes (None there: leave as is)."""
        from kithkin.services.people import PersonChanges

        sent = self.model_fields_set
        values = {
            name: getattr(self, name)
            for name in sent - {"cadence_days", "birthday"}
            if getattr(self, name) is not None
        }
        changes = PersonChanges(**values)
        if "cadence_days" in sent:
            changes.cadence_days = self.cadence_days
            changes.clear_cadence = self.cadence_days is None
        if "birthday" in sent:
            if self.birthday is None:
                changes.clear_birthday = True
            else:
                year, month, day = self.birthday.removeprefix("-").split("-")
                changes.birthday = (int(year) if year else None, int(month), int(day))
        return changes
