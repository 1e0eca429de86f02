"""Today: the plan ("your N for today"), then the agenda's sections collapsed, with
actions in place that re-render the counts, say what happened and offer Undo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kithkin import access
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import UndoableAction
from kithkin.queries.agenda import Agenda, agenda, agenda_section
from kithkin.queries.agenda_items import Section
from kithkin.queries.plan import plan
from kithkin.services import undo
from kithkin.services.followups import complete_follow_up, snooze_follow_up
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import InteractionForm, SnoozeForm
from kithkin.web.views.common import UNDO_OFFER, done_or_redirect, snooze_presets, today_of

COLLAPSED_ROWS = 3  # each section shows its count and first rows; "show all" loads the rest
# Sections slow enough on a large network (matching people to opportunities) that Today
# renders without them and loads them right after (htmx, on load).
DEFERRED_SECTIONS = frozenset({"opportunities"})
# The sections Today renders itself, beside the practices' (queries.agenda.SECTIONS).
OWN_SECTIONS = ("follow-ups", "check-ins", "upcoming")
SHOW_ALL_ROWS = 200  # "show all" of a section: a backlog of thousands stays one click from People


def _recent_action(request: NetworkRequest) -> UndoableAction | None:
    """The action just taken in place (done_or_redirect keeps its id), if Undo is still
    offered for it: Today offers it once, beside the message saying what happened."""
    action_id = request.session.pop(UNDO_OFFER, None)
    if action_id is None:
        return None
    try:
        action = access.undoable_action_for(request.user, request.network, action_id)
    except NotFound:
        return None
    return action if undo.still_offered(action) else None


def _agenda(request: NetworkRequest, day: dt.date) -> Agenda:
    """Today's agenda, reading only the follow-ups the page can show (the plan's, up to the
    budget, and the section's first rows) and counting the rest."""
    shown = max(request.network.daily_outreach_budget, COLLAPSED_ROWS)
    return agenda(request.network, day, defer=DEFERRED_SECTIONS, follow_ups_shown=shown)


def _live_context(request: NetworkRequest, day: dt.date, result: Agenda) -> dict[str, Any]:
    return {
        "agenda": result,
        "plan": plan(result),
        "today": day,
        "presets": snooze_presets(day),
        "log_form": InteractionForm(initial={"on": day}),
        "limit": f":{COLLAPSED_ROWS}",
        "collapsed_rows": COLLAPSED_ROWS,
        "undoable": _recent_action(request),
    }


@network_view()
def today(request: NetworkRequest) -> HttpResponse:
    day = today_of(request)
    return render(request, "kithkin/today.html", _live_context(request, day, _agenda(request, day)))


@network_view()
def today_live(request: NetworkRequest) -> HttpResponse:
    """The plan and the sections' counts again, after an action in place (htmx)."""
    day = today_of(request)
    context = _live_context(request, day, _agenda(request, day))
    return render(request, "kithkin/partials/today_live.html", context)


@network_view()
def today_section(request: NetworkRequest, key: str) -> HttpResponse:
    """One section of Today as the HTML that replaces it: a deferred one loaded after the
    page, or a collapsed one shown in full ("show all", ``?all=1``)."""
    from kithkin.queries.agenda import SECTIONS

    if key not in SECTIONS and key not in OWN_SECTIONS:
        raise Http404("No such section.")
    day = today_of(request)
    show_all = request.GET.get("all") == "1"
    context: dict[str, Any] = {
        "today": day,
        "presets": snooze_presets(day),
        "log_form": InteractionForm(initial={"on": day}),
        "limit": f":{SHOW_ALL_ROWS}" if show_all else f":{COLLAPSED_ROWS}",
        "expanded": show_all,
        "collapsed_rows": COLLAPSED_ROWS,
    }
    if key in OWN_SECTIONS:
        context["agenda"] = agenda(
            request.network, day, defer=frozenset(SECTIONS), follow_ups_shown=SHOW_ALL_ROWS
        )
        template = f"kithkin/partials/today_{key.replace('-', '_')}.html"
        return render(request, template, context)
    section: Section = agenda_section(request.network, day, key)
    context["section"] = section
    return render(request, "kithkin/partials/agenda_section.html", context)


@network_view(write=True)
def follow_up_done(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    item = access.follow_up_for(request.user, request.network, follow_up_id)
    try:
        following = complete_follow_up(request.network, request.user, item, today=today_of(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return done_or_redirect(request, "today")
    note = f" Next one due {following.due_on:%-d %b}." if following else ""
    messages.success(request, f"Done: {item.title}.{note}")
    return done_or_redirect(request, "today")


@network_view(write=True)
def follow_up_snooze(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    item = access.follow_up_for(request.user, request.network, follow_up_id)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            snooze_follow_up(
                request.network,
                request.user,
                item,
                form.cleaned_data["until"],
                today=today_of(request),
            )
            messages.success(
                request, f"Snoozed “{item.title}” until {form.cleaned_data['until']:%-d %b}."
            )
        except InvalidInput as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Pick a date to snooze until.")
    return done_or_redirect(request, "today")


@network_view(write=True)
def undo_action(request: NetworkRequest, action_id: int) -> HttpResponse:
    """Revert one of the user's own actions (another user's is not found: 404)."""
    found = access.undoable_action_for(request.user, request.network, action_id)
    try:
        undo.undo(request.network, request.user, found)
        messages.success(request, f"Undone: {found.summary}.")
    except InvalidInput as exc:
        messages.error(request, str(exc))
    return done_or_redirect(request, "today")
