"""A network's organizations: the list (by name, a cursor page at a time), one with its
people, adding, editing and deleting, as the web and `kith org` do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from kithkin import access
from kithkin.api import etags, paging
from kithkin.api.auth import grant
from kithkin.api.responses import reading, writing
from kithkin.models import Network, Organization
from kithkin.queries.memberships import list_organizations, organization_detail
from kithkin.schemas.base import Page
from kithkin.schemas.organizations import (
    OrganizationChange,
    OrganizationDetailOut,
    OrganizationIn,
    OrganizationRowOut,
)
from kithkin.services.organizations import (
    create_organization,
    delete_organization,
    edit_organization,
)

router = Router(tags=["organizations"])

BY_NAME = paging.Ordering("name", (paging.Key("name"),))


def detail_of(network: Network, organization: Organization) -> OrganizationDetailOut:
    return OrganizationDetailOut.of_detail(organization_detail(network, organization))


@router.get(
    "/organizations",
    response=paging.queried(Page[OrganizationRowOut]),
    summary="List organizations",
)
def list_all(
    request: HttpRequest,
    network_id: Path[int],
    response: HttpResponse,
    q: str = Query("", description="A part of the name."),
    kind: str | None = Query(None, description="company, school, community..."),
    cursor: paging.Cursor = None,
    limit: paging.Limit = paging.DEFAULT_LIMIT,
) -> Page[OrganizationRowOut]:
    """By name, each with how many people are there now (as `kith org list`)."""
    found = grant(request)
    rows = list_organizations(found.network, kind=kind, text=q)
    organizations, following = paging.page_of(rows, BY_NAME, cursor, limit)
    items = [OrganizationRowOut.of_counted(o) for o in organizations]
    return paging.page(request, response, items, following)


@router.get(
    "/organizations/{int:organization_id}",
    response=reading(OrganizationDetailOut),
    summary="An organization",
)
def get_one(
    request: HttpRequest, network_id: Path[int], organization_id: int, response: HttpResponse
) -> OrganizationDetailOut:
    """With its people now and before, and my membership (`kith org show --json`)."""
    found = grant(request)
    organization = access.organization_for(found.actor.user, found.network, organization_id)
    return etags.tagged(response, detail_of(found.network, organization))


@router.post(
    "/organizations", response=writing(OrganizationDetailOut, 201), summary="Add an organization"
)
def add(
    request: HttpRequest, network_id: Path[int], new: OrganizationIn, response: HttpResponse
) -> Status[OrganizationDetailOut]:
    """A name no other organization has (case, accents and spacing aside)."""
    found = grant(request)
    organization = create_organization(found.network, found.actor.user, **new.model_dump())
    return Status(201, etags.tagged(response, detail_of(found.network, organization)))


@router.patch(
    "/organizations/{int:organization_id}",
    response=etags.guarded(OrganizationDetailOut),
    summary="Edit an organization",
)
def edit(
    request: HttpRequest,
    network_id: Path[int],
    organization_id: int,
    change: OrganizationChange,
    response: HttpResponse,
) -> OrganizationDetailOut:
    """Only the fields sent change; a name another organization has is refused (merge them
    in the web or with `kith org merge`). Honours If-Match."""
    found = grant(request)
    organization = access.organization_for(found.actor.user, found.network, organization_id)
    etags.require(request, lambda: etags.of_shape(detail_of(found.network, organization)))
    edit_organization(
        found.network, found.actor.user, organization, **change.model_dump(exclude_unset=True)
    )
    return etags.tagged(response, detail_of(found.network, organization))


@router.delete(
    "/organizations/{int:organization_id}",
    response={**etags.guarded(None, 204)},
    summary="Delete an organization",
)
def delete(request: HttpRequest, network_id: Path[int], organization_id: int) -> Status[None]:
    """As the web's Delete: every tie to it goes; events and opportunities stay, unlinked.
    Honours If-Match."""
    found = grant(request)
    organization = access.organization_for(found.actor.user, found.network, organization_id)
    etags.require(request, lambda: etags.of_shape(detail_of(found.network, organization)))
    delete_organization(found.network, found.actor.user, organization, force=True)
    return Status(204, None)
