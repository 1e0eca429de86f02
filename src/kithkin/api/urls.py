"""The API's URLs, each view guarded the same way: bodies beyond ``MAX_BODY_BYTES`` are
refused before they are read (413), Django's bare answers (405, an unknown address) become
problems, and every answer of an authenticated request carries its rate-limit headers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt

from kithkin import transfer
from kithkin.api.app import api
from kithkin.api.auth import ALLOWANCE
from kithkin.api.problems import is_problem, problem
from kithkin.services.tokens import Allowance

app_name = "api"

MAX_BODY_BYTES = 1024 * 1024  # one record's JSON; an upload endpoint raises its own
# Addresses that take a file, and how large a body each accepts.
UPLOADS = {"networks/<network_id>/imports": transfer.MAX_UPLOAD_BYTES}
POLICY = "per-token"  # the name of the one quota policy (RateLimit header fields)


def rate_headers(response: HttpResponse, allowance: Allowance) -> None:
    """draft-ietf-httpapi-ratelimit-headers: the policy (quota q per window w seconds) and
    where this token stands in it (r remaining, t seconds until the window resets)."""
    response["RateLimit-Policy"] = f'"{POLICY}";q={allowance.limit};w=60'
    response["RateLimit"] = f'"{POLICY}";r={allowance.remaining};t={allowance.reset_seconds}'


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def guarded(view: Callable[..., Any], limit: int = MAX_BODY_BYTES) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _declared_length(request) > limit:
            return problem(413, f"The request body is larger than {limit:,} bytes.")
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except Http404:  # Ninja's root address, which only names the API's base
            return unknown_address(request)
        if isinstance(response, HttpResponseNotAllowed) and not is_problem(response):
            allowed = response["Allow"]
            response = problem(
                405,
                f"{request.method} is not allowed here; use {allowed}.",
                headers={"Allow": allowed},
            )
        allowance = getattr(request, ALLOWANCE, None)
        if isinstance(allowance, Allowance):
            rate_headers(response, allowance)
        return response

    return csrf_exempt(wrapper)


@csrf_exempt
def unknown_address(request: HttpRequest, rest: str = "") -> HttpResponse:
    hint = " (addresses end without a slash)" if rest.endswith("/") else ""
    return problem(404, f"No such address in the API{hint}: see /api/v1/docs.")


def _guard(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if isinstance(pattern, URLPattern):
        limit = UPLOADS.get(str(pattern.pattern), MAX_BODY_BYTES)
        return URLPattern(
            pattern.pattern, guarded(pattern.callback, limit), pattern.default_args, pattern.name
        )
    return pattern


urlpatterns: list[URLPattern | URLResolver] = [
    *(_guard(pattern) for pattern in api.urls[0]),
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
