"""Cursor pagination for every list endpoint: keyset, never OFFSET.

A list is ordered by an ``Ordering`` — its sort fields then the primary key, so the order
is total even when the sort key is not unique — and a page is the first ``limit`` rows
strictly after the cursor's position. The cursor is opaque to callers: URL-safe base64 of
the ordering's name and the last row's key values. Rows added or removed between two pages
never make another row appear twice or go missing (the page boundary is a key, not a
count). A view::

    @router.get("/people", response=reading(Page[PersonRowOut]))
    def list_people(request, network_id: Path[int], response: HttpResponse,
                    cursor: str | None = None, limit: Limit = DEFAULT_LIMIT):
        rows, following = page_of(queryset, BY_NAME, cursor, limit)
        return page(request, response, [PersonRowOut.of(p) for p in rows], following)

The response is ``{"items": [...], "next": cursor|null}`` (``schemas.base.Page``) with a
``Link: <…>; rel="next"`` header when there is more.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query
from ninja.errors import ValidationError
from pydantic import Field

from kithkin.api.responses import reading
from kithkin.schemas.api import Problem
from kithkin.schemas.base import Page

M = TypeVar("M", bound=Model)
T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
Limit = Annotated[
    int, Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page (1 to 200).")
]
Cursor = Annotated[
    str | None,
    Query(None, description="The `next` of the previous page; omit for the first page."),
]
# For pydantic models that take these as fields.
LimitField = Annotated[int, Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)]


@dataclass(frozen=True)
class Key:
    """One sort field: descending or not, and where its nulls go (SQL engines disagree by
    default, so every nullable key says it)."""

    field: str
    descending: bool = False
    nullable: bool = False  # nulls always sort last, in either direction

    def order(self) -> Any:
        from django.db.models import F

        expression = F(self.field)
        if self.descending:
            return expression.desc(nulls_last=True) if self.nullable else expression.desc()
        return expression.asc(nulls_last=True) if self.nullable else expression.asc()


@dataclass(frozen=True)
class Ordering:
    """A named total order: ``keys`` then the primary key (ascending, or descending with
    ``descending_id``). Name it after the sort the web offers (``name``, ``due``)."""

    name: str
    keys: tuple[Key, ...]
    descending_id: bool = False

    def order_by(self) -> list[Any]:
        return [key.order() for key in self.keys] + ["-pk" if self.descending_id else "pk"]

    def values_of(self, row: Model) -> list[Any]:
        return [_jsonable(getattr(row, key.field)) for key in self.keys] + [row.pk]

    def after(self, model: type[Model], values: Sequence[Any]) -> Q:
        """Rows strictly after ``values`` in this order (the keyset condition)."""
        *key_values, last_pk = values
        after_pk = Q(pk__lt=last_pk) if self.descending_id else Q(pk__gt=last_pk)
        condition = after_pk
        # Built from the innermost key outwards: after (k1, k2, pk) = k1 after v1, or
        # k1 equal to v1 and (k2, pk) after (v2, pk).
        for key, raw in reversed(list(zip(self.keys, key_values, strict=True))):
            value = _from_json(model, key.field, raw)
            if value is None:  # nulls last: only more nulls follow a null
                condition = Q(**{f"{key.field}__isnull": True}) & condition
                continue
            beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
            if key.nullable:
                beyond |= Q(**{f"{key.field}__isnull": True})
            condition = beyond | (Q(**{key.field: value}) & condition)
        return condition


def queried(shape: Any) -> dict[int, Any]:
    """The answers of a read that takes query parameters: ``reading`` and 422 (an invalid
    filter, limit or cursor)."""
    return {**reading(shape), 422: Problem}


class BadCursor(ValidationError):
    """A cursor this list did not give out: a 422 naming the query's ``cursor``."""

    def __init__(self, detail: str = "not a cursor this list gave out") -> None:
        super().__init__([{"loc": ("query", "cursor"), "msg": detail}])


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def _from_json(model: type[Model], field: str, raw: Any) -> Any:
    if raw is None:
        return None
    target = model._meta.get_field(field)
    try:
        return target.to_python(raw)  # type: ignore[union-attr]
    except Exception as exc:
        raise BadCursor() from exc


def encode(ordering: Ordering, values: Sequence[Any]) -> str:
    raw = json.dumps([ordering.name, list(values)], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(ordering: Ordering, cursor: str) -> list[Any]:
    """The key values a cursor carries; BadCursor (422 naming ``cursor``) for one that this
    list under this ordering did not give out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise BadCursor() from exc
    if name != ordering.name:
        raise BadCursor("given out for another ordering: start again without it")
    if not isinstance(values, list) or len(values) != len(ordering.keys) + 1:
        raise BadCursor()
    return values


def page_of(
    rows: QuerySet[M], ordering: Ordering, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """This page's rows (one query, ``limit`` + 1 read to know whether more follow) and the
    cursor of the next page, or None on the last."""
    if cursor:
        rows = rows.filter(ordering.after(rows.model, decode(ordering, cursor)))
    found = list(rows.order_by(*ordering.order_by())[: limit + 1])
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, encode(ordering, ordering.values_of(found[-1]))


def next_link(request: HttpRequest, following: str) -> str:
    """The request's own address with ``cursor`` replaced by the next page's."""
    query = request.GET.copy()
    query["cursor"] = following
    return request.build_absolute_uri(request.path + "?" + urlencode(list(query.lists()), True))


def page(
    request: HttpRequest, response: HttpResponse, items: list[T], following: str | None
) -> Page[T]:
    """The page to return, and its ``Link: rel="next"`` header on ``response`` (Ninja's
    temporal response, whose headers the answer keeps)."""
    if following is not None:
        response["Link"] = f'<{next_link(request, following)}>; rel="next"'
    return Page[T](items=items, next=following)
