"""ETags on single records, and ``If-Match`` on their writes (RFC 9110).

A record's validator is strong: either its change stamp (``stamped``: the model name, id
and ``updated_at`` to the microsecond, for models whose every change moves it) or — the
default, right for every shape — a hash of the JSON the API answers (``of_shape``): what
the caller saw is what they must have seen to write. GETs of one record and the answers of
writes carry ``ETag``; PATCH and DELETE honour ``If-Match`` when sent (optional: a caller
without it writes unconditionally) and answer 412 when it names another version::

    @router.patch("/people/{int:person_id}", response=guarded(PersonOut))
    def change(request, response: HttpResponse, ...):
        person = access.person_for(...)
        require(request, lambda: of_shape(card(person)))   # 412 on a stale If-Match
        ...
        return tagged(response, card(person))
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError

from kithkin.schemas.api import Problem
from kithkin.schemas.base import Shape

S = TypeVar("S", bound=Shape)


class PreconditionFailed(HttpError):
    """412: the record changed since the caller read it (problems.py serves HttpError)."""

    def __init__(self) -> None:
        super().__init__(
            412,
            "The record changed since you read it (If-Match does not match its ETag): "
            "GET it again and reapply your change.",
        )


def of_shape(shape: Shape) -> str:
    """A strong validator of the representation: the hash of its canonical JSON."""
    canonical = json.dumps(shape.data(), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def stamped(record: Model) -> str:
    """A strong validator from the record's change stamp (only for models whose every
    change moves ``updated_at``)."""
    stamp = getattr(record, "updated_at", None)
    if stamp is None:
        raise TypeError(f"{type(record).__name__} has no updated_at: use of_shape")
    micros = int(stamp.timestamp() * 1_000_000)
    return f'"{type(record).__name__.lower()}-{record.pk}-{micros}"'


def _listed(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def require(request: HttpRequest, current: Callable[[], str]) -> None:
    """Raise PreconditionFailed unless ``If-Match`` is absent, ``*``, or lists the record's
    current ETag (strong comparison: a weak ``W/`` tag never matches). ``current`` is only
    computed when the header is there."""
    header = request.headers.get("If-Match")
    if header is None:
        return
    tags = _listed(header)
    if "*" in tags:
        return
    if current() not in tags:
        raise PreconditionFailed()


def tagged(response: HttpResponse, shape: S, etag: str | None = None) -> S:
    """``shape``, with its ETag on Ninja's temporal ``response`` (the answer keeps it)."""
    response["ETag"] = etag or of_shape(shape)
    return shape


def guarded(shape: Any, status: int = 200) -> dict[int, Any]:
    """The answers a conditional write documents: ``responses.writing`` and 412."""
    from kithkin.api.responses import writing

    return {**writing(shape, status), 412: Problem}
