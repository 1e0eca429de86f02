"""Shapes only the API has: its errors (RFC 9457 problem details) and what a caller is
granted in each network."""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldError(BaseModel):
    """One invalid value: where it was (``body``, ``query``, ``path``, ``header``), its
    field path (``cadence_days``, ``people.0.name``) and what is wrong with it."""

    location: str
    field: str
    detail: str
    pointer: str | None = Field(
        default=None, description="JSON Pointer into the request body, for body fields."
    )


class Problem(BaseModel):
    """Every error the API answers (RFC 9457), as ``application/problem+json``."""

    type: str = Field(default="about:blank", description="about:blank: see title and status.")
    title: str = Field(description="The HTTP status phrase, e.g. Not Found.")
    status: int
    detail: str = Field(description="What went wrong, in one sentence a person can act on.")
    errors: list[FieldError] | None = Field(
        default=None, description="422 only: every invalid value."
    )


class NetworkGrant(BaseModel):
    """A network the caller reaches, with their role in it and the token's scope."""

    id: int
    name: str
    time_zone: str
    role: str = Field(description="owner, editor or viewer")
    scope: str = Field(description="read or write: the token's scope")
    can_write: bool = Field(description="Whether this token may change this network.")


class CircleChange(BaseModel):
    """A circle's new cadence (null: never due)."""

    cadence_days: int | None = Field(ge=1, le=3650)
