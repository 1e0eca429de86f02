"""Search results (`kith find`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import OrganizationRef, Role, Shape
from kithkin.schemas.interactions import InteractionOut
from kithkin.schemas.people import PersonSummaryOut

if TYPE_CHECKING:
    from kithkin.queries.search import SearchHit, SearchResults


class SearchPersonOut(PersonSummaryOut):
    """A person found: ``matched`` holds any of name, organization, contact, tag, headline,
    notes, interaction; ``interaction`` is then the best matching one."""

    headline: str
    matched: list[str]
    interaction: InteractionOut | None

    @classmethod
    def of_hit(cls, hit: SearchHit, time_zone: str) -> Self:
        return cls(
            id=hit.person.pk,
            name=hit.person.full_name,
            role=Role.of_person(hit.person),
            headline=hit.person.headline,
            matched=hit.matched,
            interaction=InteractionOut.of(hit.interaction, time_zone) if hit.interaction else None,
        )


class SearchOut(Shape):
    query: str
    people: list[SearchPersonOut]
    organizations: list[OrganizationRef]

    @classmethod
    def of(cls, results: SearchResults, time_zone: str) -> Self:
        return cls(
            query=results.query,
            people=[SearchPersonOut.of_hit(hit, time_zone) for hit in results.people],
            organizations=[OrganizationRef.of(o) for o in results.organizations],
        )
