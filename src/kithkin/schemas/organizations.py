"""Organizations: the record, a list row with its people count, the detail page, and a
merge of two."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, OrganizationRef, PersonRef, Shape
from kithkin.schemas.memberships import MembershipOut

if TYPE_CHECKING:
    from kithkin.models import Affiliation, Organization
    from kithkin.queries.memberships import OrganizationDetail
    from kithkin.services.organizations import OrganizationMergePreview


class OrganizationOut(Shape):
    """`kith org add`, `kith org edit`."""

    id: int
    name: str
    kind: str
    website: str

    @classmethod
    def of(cls, organization: Organization) -> Self:
        return cls(
            id=organization.pk,
            name=organization.name,
            kind=organization.kind,
            website=organization.website,
        )


class OrganizationRowOut(OrganizationOut):
    """`kith org list`: with how many people (not archived, not me) are there now."""

    people_count: int

    @classmethod
    def of_counted(cls, organization: Organization) -> Self:
        """With its stored count (``Organization.people_count``)."""
        return cls(
            **OrganizationOut.of(organization).model_dump(),
            people_count=organization.people_count,
        )


class PersonTieOut(Shape):
    """Someone's tie to an organization: a job, a membership, a degree..."""

    id: int  # the person's
    name: str
    kind: str
    title: str
    since: dt.date | None
    until: dt.date | None

    @classmethod
    def of(cls, affiliation: Affiliation) -> Self:
        return cls(
            id=affiliation.person_id,
            name=affiliation.person.full_name,
            kind=affiliation.kind,
            title=affiliation.title,
            since=affiliation.start_on,
            until=affiliation.end_on,
        )


class OrganizationDetailOut(OrganizationRowOut):
    """`kith org show`: its people now and before, and my membership (null if none)."""

    tags: list[str]
    notes: str
    people: list[PersonTieOut]
    past_people: list[PersonTieOut]
    membership: MembershipOut | None

    @classmethod
    def of_detail(cls, detail: OrganizationDetail) -> Self:
        return cls(
            **OrganizationOut.of(detail.organization).model_dump(),
            people_count=len({a.person_id for a in detail.current}),
            tags=detail.tags,
            notes=detail.organization.notes,
            people=[PersonTieOut.of(a) for a in detail.current],
            past_people=[PersonTieOut.of(a) for a in detail.past],
            membership=MembershipOut.maybe(detail.membership),
        )


class MovedAffiliationOut(Shape):
    id: int
    person: PersonRef


class MovedEventOut(Shape):
    id: int
    name: str


class MovedOpportunityOut(Shape):
    id: int
    title: str


class OrganizationMergePreviewOut(Shape):
    keep: OrganizationRef
    other: OrganizationRef
    affiliations_moved: list[MovedAffiliationOut]
    affiliations_combined: list[MovedAffiliationOut]
    tags_added: list[str]
    events_moved: list[MovedEventOut]
    opportunities_moved: list[MovedOpportunityOut]
    fields_filled: dict[str, str]

    @classmethod
    def of(cls, preview: OrganizationMergePreview) -> Self:
        def moved(a: Affiliation) -> MovedAffiliationOut:
            return MovedAffiliationOut(
                id=a.pk, person=PersonRef(id=a.person_id, name=a.person.full_name)
            )

        return cls(
            keep=OrganizationRef.of(preview.keep),
            other=OrganizationRef.of(preview.other),
            affiliations_moved=[moved(a) for a in preview.affiliations_moved],
            affiliations_combined=[moved(a) for a, _ in preview.affiliations_combined],
            tags_added=preview.tags_added,
            events_moved=[MovedEventOut(id=e.pk, name=e.name) for e in preview.events_moved],
            opportunities_moved=[
                MovedOpportunityOut(id=o.pk, title=o.title) for o in preview.opportunities_moved
            ],
            fields_filled=preview.fields_filled,
        )


class OrganizationMergeOut(Shape):
    """`kith org merge`: ``organization`` is null when nothing was merged (a preview)."""

    merged: bool
    preview: OrganizationMergePreviewOut
    organization: OrganizationOut | None


class OrganizationIn(Input):
    """What adding an organization takes (`kith org add`); the keyword arguments of
    ``services.organizations.create_organization``."""

    name: str = Field(min_length=1)
    kind: str = "company"
    website: str = ""
    tags: list[str] = []
    notes: str = ""


class OrganizationChange(Input):
    """What editing an organization takes (PATCH): only the fields sent change; ``tags``
    replaces them all. A name another organization has is refused: merge them instead."""

    name: str | None = Field(default=None, min_length=1)
    kind: str | None = None
    website: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
