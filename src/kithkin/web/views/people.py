"""People: search as you type, filter, sort, paginate."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from kithkin import access
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import Circle, Tag
from kithkin.queries.people_list import (
    SORTS,
    STATUSES,
    PeopleFilter,
    matching_people,
    people_page,
)
from kithkin.services import people_bulk
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import today_of


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _filters(query: QueryDict) -> PeopleFilter:
    """The list's filters from a query string (the page's GET, or the bulk form's POST)."""
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
    return filters


@network_view()
def people(request: NetworkRequest) -> HttpResponse:
    query = request.GET
    filters = _filters(query)
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


BULK_ACTIONS = {
    "set_circle": "moved to",
    "add_tag": "tagged",
    "remove_tag": "untagged",
    "archive": "archived",
}


@network_view(write=True)
def people_bulk_action(request: NetworkRequest) -> HttpResponse:
    """The selected rows, or everyone the filters match, changed at once."""
    form = request.POST
    action = form.get("action", "")
    chosen: Any = (
        matching_people(request.network, today_of(request), _filters(form))
        if form.get("all_matching")
        else [int(v) for v in form.getlist("person") if v.isdigit()]
    )
    kept = {
        k: form[k] for k in ("q", "circle", "tag", "organization", "status", "sort") if form.get(k)
    }
    back = redirect(f"{reverse('people')}?{urlencode(kept)}")
    try:
        if action == "set_circle":
            circle = access.circle_for(
                request.user, request.network, _int(form.get("circle_choice")) or 0
            )
            changed = people_bulk.set_circle(request.network, request.user, chosen, circle)
            what = f"moved to {circle.name}"
        elif action in {"add_tag", "remove_tag"}:
            tag = form.get("bulk_tag", "").strip()
            change = people_bulk.add_tag if action == "add_tag" else people_bulk.remove_tag
            changed = change(request.network, request.user, chosen, tag)
            what = f"{BULK_ACTIONS[action]} {tag.lstrip('#')}"
        elif action == "archive":
            changed = people_bulk.archive(request.network, request.user, chosen)
            what = "archived"
        else:
            messages.error(request, "Choose what to do with them.")
            return back
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return back
    messages.success(request, f"{changed} {'person' if changed == 1 else 'people'} {what}.")
    return back
