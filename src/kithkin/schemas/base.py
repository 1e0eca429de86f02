"""What every shape shares: the base class, how instants are written, references to a
person and a person's current role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Generic, Self, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, field_validator

if TYPE_CHECKING:
    from kithkin.models import Person

T = TypeVar("T")

# An instant, written as Python's isoformat ("2026-01-10T11:00:00+00:00"), as Kithkin
# always has (pydantic alone would write "Z").
Instant = Annotated[
    dt.datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="always"),
]


class Shape(BaseModel):
    """A record as JSON. Unknown fields are refused, so a shape and its output cannot drift."""

    model_config = ConfigDict(extra="forbid")

    def data(self) -> dict[str, Any]:
        """The JSON-ready dict: dates as ISO 8601, enums as their stored values. (No field
        has an alias: Ninja dumps without them by default.)"""
        return self.model_dump(mode="json")


def dump(value: Shape | Sequence[Shape]) -> Any:
    """A shape, or a list of shapes, as JSON-ready data."""
    if isinstance(value, Shape):
        return value.data()
    return [item.data() for item in value]


class PersonRef(Shape):
    """A person where another record names them."""

    id: int
    name: str

    @classmethod
    def of(cls, person: Any) -> Self:
        """From a Person, or any of the small references queries return (``id``/``name``
        or ``pk``/``full_name``)."""
        name = getattr(person, "full_name", None)
        if name is None:
            name = person.name
        return cls(id=person.pk if hasattr(person, "pk") else person.id, name=name)

    @classmethod
    def maybe(cls, person: Any | None) -> Self | None:
        return None if person is None else cls.of(person)


class OrganizationRef(Shape):
    """An organization where another record names it."""

    id: int
    name: str

    @classmethod
    def of(cls, organization: Any) -> Self:
        return cls(id=organization.pk, name=organization.name)


class Role(Shape):
    """Where someone is now: their current affiliation's organization and title."""

    organization: str
    title: str

    @classmethod
    def of_person(cls, person: Person) -> Self | None:
        current = person.current_affiliation
        if current is None:
            return None
        return cls(organization=current.organization.name, title=current.title)


class SomeOut(Shape, Generic[T]):
    """The first items of a list, and how many more there are."""

    items: list[T]
    more: int


class Page(Shape, Generic[T]):
    """One page of a list in the API: its rows, and the cursor of the next page (null on
    the last). Pass ``next`` back as ``?cursor=`` for the following page."""

    items: list[T]
    next: str | None


def _without_nul(value: Any) -> Any:
    texts = value if isinstance(value, list) else [value]
    if any(isinstance(text, str) and "\x00" in text for text in texts):
        raise ValueError("must not contain a NUL character")
    return value


class Clean(BaseModel):
    """Values a client sends (a body, a query's filters): no text may hold a NUL
    character, which PostgreSQL cannot store and the web's forms refuse too (a 422 naming
    the field, instead of a fault deep in the database)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _without_nul(value)


class Input(Shape, Clean):
    """What creating or changing a record takes (``...In``, ``...Change``)."""
