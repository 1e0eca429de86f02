"""A network's circles: the first records under ``/networks/{network_id}/``, and the
pattern every other record follows (the network from ``grant(request)``, records by id
through access.py, writes through the same service as the web and the CLI)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router

from kithkin import access
from kithkin.api.auth import grant
from kithkin.api.responses import reading, writing
from kithkin.queries.circles import circles_with_sizes
from kithkin.schemas.api import CircleChange
from kithkin.schemas.networks import CircleOut
from kithkin.services.people import set_circle_cadence

router = Router(tags=["circles"])


@router.get("/circles", response=reading(list[CircleOut]), summary="The network's circles")
def list_circles(request: HttpRequest, network_id: Path[int]) -> list[CircleOut]:
    """Closest first, each with its check-in cadence and how many people are in it."""
    network = grant(request).network
    return [
        CircleOut.of(circle, size=circle.size, network=network)  # type: ignore[attr-defined]
        for circle in circles_with_sizes(network)
    ]


@router.patch("/circles/{int:circle_id}", response=writing(CircleOut), summary="Change a cadence")
def change_circle(
    request: HttpRequest, network_id: Path[int], circle_id: int, change: CircleChange
) -> CircleOut:
    """Set how often to check in with the circle's people; their due dates move."""
    found = grant(request)
    circle = access.circle_for(found.actor.user, found.network, circle_id)
    set_circle_cadence(found.network, found.actor.user, circle, change.cadence_days)
    sized = circles_with_sizes(found.network).get(pk=circle.pk)
    return CircleOut.of(sized, size=sized.size, network=found.network)  # type: ignore[attr-defined]
