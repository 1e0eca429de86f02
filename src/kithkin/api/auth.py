"""Who is calling: a personal access token in ``Authorization: Bearer``, and nothing else.

A session cookie opens nothing here, which is why the API is exempt from CSRF. In order,
for every operation: the token (else 401), its rate limit (else 429), then — for any route
under ``/networks/{network_id}/`` — the network through access.py with the actor: outside
their reach 404, and a write method (POST, PUT, PATCH, DELETE) that the token's scope or the
user's role forbids 403. A view then reads ``grant(request)``; it never loads the network
itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from kithkin import access
from kithkin.api.problems import RateLimited
from kithkin.errors import NotFound
from kithkin.services import tokens

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWANCE = "_kith_allowance"  # where the rate headers of the response come from


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> access.Actor | None:
        actor = tokens.authenticate(token)
        if actor is None or actor.token_id is None:
            return None
        allowance = tokens.spend_request(actor.token_id, settings.API_RATE_LIMIT)
        setattr(request, ALLOWANCE, allowance)
        if not allowance.allowed:
            raise RateLimited(allowance.reset_seconds)
        match = request.resolver_match
        network_id = match.kwargs.get("network_id") if match is not None else None
        if network_id is not None:
            if not str(network_id).isdigit():
                raise NotFound("No such network.")
            the_grant = access.grant_for(
                actor, int(network_id), write=request.method not in SAFE_METHODS
            )
            setattr(request, "_kith_grant", the_grant)  # noqa: B010
        return actor


def actor(request: HttpRequest) -> access.Actor:
    found: Any = getattr(request, "auth", None)
    assert isinstance(found, access.Actor), "an API view without TokenAuth"
    return found


def grant(request: HttpRequest) -> access.Grant:
    """The caller's grant in the network of the address (resolved by TokenAuth)."""
    found: Any = getattr(request, "_kith_grant", None)
    assert isinstance(found, access.Grant), "a network route without {network_id}"
    return found
