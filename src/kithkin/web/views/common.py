"""Helpers the views share: the user's today, snooze presets, write checks, responses."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from kithkin import clock
from kithkin.services import undo
from kithkin.web.decorators import NetworkRequest

AGENDA_CHANGED = "agenda-changed"  # the htmx event Today listens to
AGENDA_CHANGED_ON_BODY = json.dumps({AGENDA_CHANGED: {"target": "body"}})
UNDO_OFFER = "undo_offer"  # in the session: the action just taken, which Today offers to undo


def today_of(request: NetworkRequest) -> dt.date:
    return clock.today_in(request.user.time_zone)


def snooze_presets(today: dt.date) -> list[tuple[str, dt.date]]:
    return [
        ("Tomorrow", today + dt.timedelta(days=1)),
        ("3 days", today + dt.timedelta(days=3)),
        ("1 week", today + dt.timedelta(days=7)),
        ("1 month", today + dt.timedelta(days=30)),
    ]


def require_write(request: NetworkRequest) -> None:
    """For pages that show a form: viewers may not even open it."""
    if not request.membership.can_write:
        raise PermissionDenied("You may view this network but not change it.")


def done_or_redirect(request: NetworkRequest, to: str, *args: object) -> HttpResponse:
    """An htmx action swaps its row out (empty body) and tells the page the agenda changed
    (Today re-renders its plan and counts, with the message and Undo); a plain form goes
    back to the page."""
    request.session[UNDO_OFFER] = undo.recorded()
    if getattr(request, "htmx", False):
        # Dispatched on the body: the element that acted may be gone by the time it answers.
        return HttpResponse("", headers={"HX-Trigger": AGENDA_CHANGED_ON_BODY})
    return redirect(to, *args)


def reload(request: NetworkRequest, to: str, person_id: int) -> HttpResponse:
    """After a failed action: show the page again with its message (a full load for htmx)."""
    url = reverse(to) if to == "today" else reverse(to, args=[person_id])
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)
