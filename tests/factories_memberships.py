"""Factories for organizations and my memberships, with keyword defaults, through the
real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kithkin.models import Affiliation, Network, Organization, User
from kithkin.services.memberships import join_organization
from kithkin.services.organizations import create_organization
from tests.factories import owner_of


def make_organization(
    network: Network,
    name: str = "Society for Product Craft",
    *,
    kind: str = "association",
    website: str = "",
    tags: Sequence[str] = (),
    by: User | None = None,
) -> Organization:
    return create_organization(
        network, by or owner_of(network), name=name, kind=kind, website=website, tags=tags
    )


def make_membership(
    network: Network,
    organization: Organization | str = "Society for Product Craft",
    *,
    role: str = "member",
    renews_on: dt.date | None = None,
    start_on: dt.date | None = dt.date(2024, 3, 1),
    by: User | None = None,
) -> Affiliation:
    return join_organization(
        network,
        by or owner_of(network),
        organization,
        role=role,
        renews_on=renews_on,
        start_on=start_on,
    ).membership
