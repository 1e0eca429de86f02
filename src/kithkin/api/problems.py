"""Every error of the API in one shape: RFC 9457 problem details, served as
``application/problem+json`` (``schemas.api.Problem``). Kithkin's own errors (NotFound,
Forbidden, InvalidInput...) and Ninja's become the status they mean; anything else is a
500 whose body says nothing about the code (the traceback goes to the log)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kithkin import storage
from kithkin.errors import Ambiguous, Forbidden, InvalidInput, NotFound, Throttled
from kithkin.schemas.api import FieldError, Problem

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"


class RateLimited(Exception):
    """The token spent its requests of this minute; ``retry_after`` seconds until more."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests for this token: wait for the next minute.")
        self.retry_after = retry_after


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit:,} bytes.")


def problem(
    status: int,
    detail: str,
    *,
    errors: Iterable[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        errors=list(errors) if errors is not None else None,
    )
    response = HttpResponse(
        json.dumps(body.model_dump(exclude_none=True), ensure_ascii=False),
        status=status,
        content_type=CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(CONTENT_TYPE)


def field_errors(errors: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Ninja's validation errors as field paths: ('body', 'change', 'cadence_days') is the
    body's ``cadence_days`` (the first step after "body" is the parameter's own name)."""
    found = []
    for error in errors:
        location, *path = (str(step) for step in error.get("loc", ()))
        if location == "body" and path:
            path = path[1:]
        found.append(
            FieldError(
                location=location,
                field=".".join(path),
                detail=str(error.get("msg", "invalid")),
                pointer="#/" + "/".join(path) if location == "body" else None,
            )
        )
    return found


def as_problem(request: HttpRequest, exc: Any) -> HttpResponse:
    """The problem an exception means."""
    simple: list[tuple[type[Exception], int, str | None]] = [
        (NotFound, 404, None),
        (Http404, 404, "Not found."),
        (Forbidden, 403, None),
        (PermissionDenied, 403, "You may not do this."),
        (Ambiguous, 409, None),
        (BodyTooLarge, 413, None),
        (RequestDataTooBig, 413, "The request body is too large."),
    ]
    for exc_class, status, detail in simple:
        if isinstance(exc, exc_class):
            return problem(status, detail or str(exc))
    if isinstance(exc, AuthenticationError):
        return problem(
            401,
            "Send a personal access token: Authorization: Bearer kith_…",
            headers={"WWW-Authenticate": 'Bearer realm="kithkin"'},
        )
    if isinstance(exc, ValidationError):
        errors = field_errors(exc.errors)
        return problem(422, "Some values are not valid: see errors.", errors=errors)
    if isinstance(exc, InvalidInput):
        error = FieldError(
            location="body", field=exc.field, detail=exc.message, pointer=f"#/{exc.field}"
        )
        return problem(422, str(exc), errors=[error])
    if isinstance(exc, RateLimited):
        return problem(429, str(exc), headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Throttled):
        return problem(429, str(exc), headers={"Retry-After": "60"})
    if isinstance(exc, HttpError):
        return problem(exc.status_code, exc.message)
    answer = storage.unavailable(exc)
    if answer is not None:  # a large import holds SQLite, or the disk is full
        logger.warning("API request refused: %s %s: %s", request.method, request.path, exc)
        return problem(answer.status, answer.message, headers=answer.headers)
    logger.exception("API request failed: %s %s", request.method, request.path, exc_info=exc)
    return problem(500, "Something went wrong on the server; it is logged.")


def install(api: NinjaAPI) -> None:
    """Make every error ``api`` answers a problem (Ninja looks a handler up by the
    exception's classes, so its own defaults are replaced one by one)."""
    for exc_class in (Exception, Http404, HttpError, ValidationError):
        api.add_exception_handler(exc_class, as_problem)
