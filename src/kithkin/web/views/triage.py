"""Triage: the people with no circle, a circle suggested for each with its evidence, and
fast ways to decide (accept all, one row at a time from the keyboard, the selected rows,
"the rest")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.models import Circle
from kithkin.queries.sync_accounts import suggested_correspondents
from kithkin.queries.triage import circles_by_rank, standing, suggestions, untriaged
from kithkin.services import people_bulk
from kithkin.services.people import set_new_people_circle
from kithkin.services.sync_accounts import add_correspondent, dismiss_correspondent
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import today_of

ROWS_SHOWN = 500


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _circle(request: NetworkRequest) -> Circle:
    """The circle a form names by id, through access.py (another network's: 404)."""
    return access.circle_for(
        request.user, request.network, (_ids([request.POST.get("circle", "")]) or [0])[0]
    )


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


@network_view()
def triage_page(request: NetworkRequest) -> HttpResponse:
    found = suggestions(request.network, today_of(request))
    circles = circles_by_rank(request.network)
    return render(
        request,
        "kithkin/triage.html",
        {
            "suggestions": found[:ROWS_SHOWN],
            "total": len(found),
            "more": max(0, len(found) - ROWS_SHOWN),
            "circles": circles,
            "last_circle": circles[-1] if circles else None,
            "standing": standing(request.network),
            "correspondents": suggested_correspondents(request.user, request.network),
        },
    )


@network_view(write=True)
def triage_correspondent(request: NetworkRequest) -> HttpResponse:
    """Add someone the user's synced mail suggests (never added without this), or with
    "Not now" stop suggesting them."""
    email = request.POST.get("email", "")
    if request.POST.get("action") == "dismiss":
        dismiss_correspondent(request.user, request.network, email)
        messages.success(request, f"{email} will not be suggested again.")
        return redirect("triage")
    person = add_correspondent(request.user, request.network, email)
    messages.success(request, f"Added {person.full_name}.")
    return redirect("triage")


@network_view(write=True)
def triage_accept(request: NetworkRequest) -> HttpResponse:
    moved = people_bulk.accept_suggestions(request.network, request.user, today_of(request))
    messages.success(request, f"{_people(moved)} placed in their suggested circle.")
    return redirect("triage")


@network_view(write=True)
def triage_person(request: NetworkRequest, person_id: int) -> HttpResponse:
    """One row decided: the person joins the circle chosen (a button, or a digit key)."""
    person = access.person_for(request.user, request.network, person_id)
    circle = _circle(request)
    people_bulk.set_circle(request.network, request.user, [person.pk], circle)
    if getattr(request, "htmx", False):
        return render(
            request, "kithkin/partials/triage_done.html", {"person": person, "circle": circle}
        )
    messages.success(request, f"{person.full_name} joined {circle.name}.")
    return redirect("triage")


@network_view(write=True)
def triage_selected(request: NetworkRequest) -> HttpResponse:
    """The selected rows join one circle; ``rest``: everyone still without one does."""
    circle = _circle(request)
    if request.POST.get("rest"):
        moved = people_bulk.set_circle(
            request.network, request.user, untriaged(request.network), circle
        )
    else:
        moved = people_bulk.set_circle(
            request.network, request.user, _ids(request.POST.getlist("person")), circle
        )
    messages.success(request, f"{_people(moved)} joined {circle.name}.")
    return redirect("triage")


@network_view(write=True)
def new_people_circle(request: NetworkRequest) -> HttpResponse:
    """The settings page's choice of the circle people added without one join."""
    choice = request.POST.get("circle", "")
    name = "" if not choice.isdigit() else _circle(request).name
    chosen = set_new_people_circle(request.network, request.user, name)
    messages.success(
        request,
        f"People added without a circle now join {chosen.name}."
        if chosen
        else "People added without a circle stay without one until triaged.",
    )
    return redirect("settings")
