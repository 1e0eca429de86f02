"""My memberships of organizations (affiliations of *me* of kind membership)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import OrganizationRef, Shape

if TYPE_CHECKING:
    from kithkin.models import Affiliation
    from kithkin.services.memberships import Joined


class MembershipOut(Shape):
    """``until`` is set once the membership ended."""

    id: int
    organization: OrganizationRef
    role: str
    since: dt.date | None
    renews_on: dt.date | None
    until: dt.date | None

    @classmethod
    def of(cls, membership: Affiliation) -> Self:
        return cls(
            id=membership.pk,
            organization=OrganizationRef(
                id=membership.organization_id, name=membership.organization.name
            ),
            role=membership.title,
            since=membership.start_on,
            renews_on=membership.renews_on,
            until=membership.end_on,
        )

    @classmethod
    def maybe(cls, membership: Affiliation | None) -> Self | None:
        return None if membership is None else cls.of(membership)


class JoinOut(MembershipOut):
    """`kith join`: the membership, and whether it and the organization are new."""

    new_membership: bool
    new_organization: bool

    @classmethod
    def of_result(cls, result: Joined) -> Self:
        return cls(
            **MembershipOut.of(result.membership).model_dump(),
            new_membership=result.new_membership,
            new_organization=result.new_organization,
        )
