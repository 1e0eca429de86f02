"""The networks a caller reaches: ``GET /networks`` and ``GET /networks/{network_id}``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kithkin import access
from kithkin.api.auth import actor, grant
from kithkin.api.responses import reading
from kithkin.schemas.api import NetworkGrant

router = Router(tags=["networks"])


def network_grant(found: access.Grant) -> NetworkGrant:
    return NetworkGrant(
        id=found.network.pk,
        name=found.network.name,
        time_zone=found.network.time_zone,
        role=found.role,
        scope=found.actor.scope,
        can_write=found.can_write,
    )


@router.get("/networks", response=reading(list[NetworkGrant]), summary="Networks you reach")
def list_networks(request: HttpRequest) -> list[NetworkGrant]:
    """Every network the token reaches (one, for a token limited to a network), with your
    role in it and what the token may do there."""
    return [network_grant(found) for found in access.grants_of(actor(request))]


@router.get("/networks/{int:network_id}", response=reading(NetworkGrant), summary="One network")
def get_network(request: HttpRequest, network_id: int) -> NetworkGrant:
    return network_grant(grant(request))
