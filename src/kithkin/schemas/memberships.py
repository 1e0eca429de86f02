"""My memberships of organizations (affiliations of *me* of kind membership)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Input, OrganizationRef, PersonRef, Shape

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


class MembershipRowOut(MembershipOut):
    """A membership of anyone in the network (``person``: whose; ``mine``: mine)."""

    person: PersonRef
    mine: bool

    @classmethod
    def of_row(cls, membership: Affiliation) -> Self:
        return cls(
            **MembershipOut.of(membership).model_dump(),
            person=PersonRef(id=membership.person_id, name=membership.person.full_name),
            mine=membership.person.is_self,
        )


class JoinIn(Input):
    """Joining an organization (`kith join`): ``organization`` a name (found whatever the
    case, else added as a professional association) or ``organization_id``; my current
    membership of it, if any, is updated with what is given."""

    organization: str = ""
    organization_id: int | None = None
    role: str | None = None
    since: dt.date | None = None
    renews_on: dt.date | None = None


class MembershipChange(Input):
    """What changes on my current membership: what is left out stays as it is."""

    role: str | None = None
    since: dt.date | None = None
    renews_on: dt.date | None = None


class RenewalIn(Input):
    """Renewing (`kith renew ORG --until DATE`): the new renewal date, after today."""

    until: dt.date
