"""Memberships of organizations (affiliations of kind membership): anyone's, read; mine,
joined, changed, renewed and left as the web's organization page and `kith join|renew|
leave` do (``services.memberships``). A membership left stays as a past one: nothing is
deleted."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status
from pydantic import Field

from kithkin import access, clock
from kithkin.api.auth import grant
from kithkin.api.etags import guarded, of_shape, require, tagged
from kithkin.api.paging import Cursor, Key, Limit, Ordering, page, page_of, queried
from kithkin.api.responses import reading, writing
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import Affiliation, Network, Organization, User
from kithkin.schemas.base import Clean, Page
from kithkin.schemas.memberships import (
    JoinIn,
    JoinOut,
    MembershipChange,
    MembershipRowOut,
    RenewalIn,
)
from kithkin.services import memberships as service

router = Router(tags=["memberships"])

# The next renewal first, those without a date last.
BY_RENEWAL = Ordering("renewal", (Key("renews_on", nullable=True),))


class MembershipFilter(Clean):
    person: int | None = Field(default=None, description="Only this person's.")
    mine: bool | None = Field(default=None, description="Only mine (true) or only others'.")
    organization: int | None = Field(default=None, description="Only of this organization.")
    current: bool | None = Field(
        default=None, description="Only current ones (true) or only past ones (false)."
    )


def _membership(user: User, network: Network, membership_id: int) -> Affiliation:
    found = access.affiliation_for(user, network, membership_id)
    if found.kind != Affiliation.Kind.MEMBERSHIP:
        raise NotFound(f"No membership #{membership_id} in {network.name}.")
    return Affiliation.objects.select_related("person", "organization").get(pk=found.pk)


def _mine(membership: Affiliation) -> Organization:
    """The organization of my current membership (the only kind that changes here)."""
    if not membership.person.is_self or membership.end_on is not None:
        raise InvalidInput("membership", "only my own current memberships change here")
    return membership.organization


@router.get("/memberships", response=queried(Page[MembershipRowOut]), summary="Memberships")
def list_memberships(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    filters: Query[MembershipFilter],
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[MembershipRowOut]:
    """Memberships of organizations, mine and my contacts', the next renewal first."""
    network = grant(request).network
    rows = Affiliation.objects.filter(
        person__network=network, kind=Affiliation.Kind.MEMBERSHIP
    ).select_related("person", "organization")
    if filters.person is not None:
        rows = rows.filter(person_id=filters.person)
    if filters.mine is not None:
        rows = rows.filter(person__is_self=filters.mine)
    if filters.organization is not None:
        rows = rows.filter(organization_id=filters.organization)
    if filters.current is not None:
        rows = rows.filter(end_on__isnull=filters.current)
    found, following = page_of(rows, BY_RENEWAL, cursor, limit)
    return page(request, response, [MembershipRowOut.of_row(a) for a in found], following)


@router.post(
    "/memberships",
    response={**writing(JoinOut, 201), 200: JoinOut},
    summary="Join an organization",
)
def join(
    request: HttpRequest, network_id: Path[int], response: HttpResponse, new: JoinIn
) -> Status[JoinOut]:
    """Make me a member (201), or update my current membership of it (200)."""
    found = grant(request)
    user = found.actor.user
    if new.organization_id is not None:
        target: Organization | str = access.organization_for(
            user, found.network, new.organization_id
        )
    elif new.organization.strip():
        target = new.organization
    else:
        raise InvalidInput("organization", "name the organization, or give organization_id")
    joined = service.join_organization(
        found.network,
        user,
        target,
        role=new.role,
        renews_on=new.renews_on,
        start_on=new.since,
        today=clock.today_in(user.time_zone),
    )
    return Status(
        201 if joined.new_membership else 200, tagged(response, JoinOut.of_result(joined))
    )


@router.get(
    "/memberships/{int:membership_id}", response=reading(MembershipRowOut), summary="One membership"
)
def get_membership(
    request: HttpRequest, network_id: Path[int], membership_id: int, response: HttpResponse
) -> MembershipRowOut:
    found = grant(request)
    membership = _membership(found.actor.user, found.network, membership_id)
    return tagged(response, MembershipRowOut.of_row(membership))


@router.patch(
    "/memberships/{int:membership_id}",
    response=guarded(MembershipRowOut),
    summary="Change my membership",
)
def change_membership(
    request: HttpRequest,
    network_id: Path[int],
    membership_id: int,
    response: HttpResponse,
    change: MembershipChange,
) -> MembershipRowOut:
    """My role, when I joined, when it renews. Honours ``If-Match``."""
    found = grant(request)
    user = found.actor.user
    membership = _membership(user, found.network, membership_id)
    require(request, lambda: of_shape(MembershipRowOut.of_row(membership)))
    service.join_organization(
        found.network,
        user,
        _mine(membership),
        role=change.role,
        renews_on=change.renews_on,
        start_on=change.since,
        today=clock.today_in(user.time_zone),
    )
    return tagged(
        response, MembershipRowOut.of_row(_membership(user, found.network, membership_id))
    )


@router.post(
    "/memberships/{int:membership_id}/renew",
    response=writing(MembershipRowOut),
    summary="Renew my membership",
)
def renew(
    request: HttpRequest,
    network_id: Path[int],
    membership_id: int,
    response: HttpResponse,
    renewal: RenewalIn,
) -> MembershipRowOut:
    """It now renews on ``until`` (after today)."""
    found = grant(request)
    user = found.actor.user
    membership = _membership(user, found.network, membership_id)
    service.renew_membership(
        found.network,
        user,
        _mine(membership),
        until=renewal.until,
        today=clock.today_in(user.time_zone),
    )
    return tagged(
        response, MembershipRowOut.of_row(_membership(user, found.network, membership_id))
    )


@router.post(
    "/memberships/{int:membership_id}/leave",
    response=writing(MembershipRowOut),
    summary="Leave an organization",
)
def leave(
    request: HttpRequest, network_id: Path[int], membership_id: int, response: HttpResponse
) -> MembershipRowOut:
    """End my membership today; it stays as a past membership (``until`` set)."""
    found = grant(request)
    user = found.actor.user
    membership = _membership(user, found.network, membership_id)
    service.leave_organization(
        found.network, user, _mine(membership), today=clock.today_in(user.time_zone)
    )
    return tagged(
        response, MembershipRowOut.of_row(_membership(user, found.network, membership_id))
    )
