"""People: search as you type, filter, sort, paginate."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from kithkin import access
from kithkin.errors import NotFound
from kithkin.models import Circle, Tag
from kithkin.queries.people_list import SORTS, STATUSES, PeopleFilter, people_page
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import today_of


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


@network_view()
def people(request: NetworkRequest) -> HttpResponse:
    query = request.GET
    filters = PeopleFilter(
        text=query.get("q", "").strip()[:200],
        circle=query.get("circle", ""),
        tag=query.get("tag", ""),
        organization_id=_int(query.get("organization")),
        status=query.get("status", "") if query.get("status", "") in STATUSES else "",
        sort=query.get("sort") or ("relevance" if query.get("q", "").strip() else "name"),
    )
    if filters.sort not in SORTS:
        filters = PeopleFilter(**{**filters.__dict__, "sort": "name"})
    page = people_page(
        request.network, today_of(request), filters, page=_int(query.get("page"), 1) or 1
    )
    organization = None
    if filters.organization_id:
        try:
            organization = access.organization_for(
                request.user, request.network, filters.organization_id
            )
        except NotFound:
            filters = PeopleFilter(**{**filters.__dict__, "organization_id": None})
    context = {
        "page": page,
        "filters": filters,
        "organization": organization,
        "circles": Circle.objects.filter(network=request.network),
        "tags": Tag.objects.filter(network=request.network).values_list("name", flat=True),
        "statuses": STATUSES,
        "sorts": SORTS,
        "today": today_of(request),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "people-results":
        return render(request, "kithkin/partials/people_results.html", context)
    return render(request, "kithkin/people.html", context)
