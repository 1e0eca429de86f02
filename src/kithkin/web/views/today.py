"""Today: the agenda, with one-click actions that update in place."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.queries.agenda import agenda, agenda_section
from kithkin.services.followups import complete_follow_up, snooze_follow_up
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import InteractionForm, SnoozeForm
from kithkin.web.views.common import done_or_redirect, snooze_presets, today_of

FOLLOW_UPS_SHOWN = 20  # the oldest; a longer list is one click away
# Sections slow enough on a large network (matching people to opportunities) that Today
# renders without them and loads them right after (htmx, on load).
DEFERRED_SECTIONS = frozenset({"opportunities"})


@network_view()
def today(request: NetworkRequest) -> HttpResponse:
    day = today_of(request)
    result = agenda(request.network, day, defer=DEFERRED_SECTIONS)
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "kithkin/today.html",
        {
            "agenda": result,
            "follow_ups": result.follow_ups_due
            if show_all
            else result.follow_ups_due[:FOLLOW_UPS_SHOWN],
            "today": day,
            "presets": snooze_presets(day),
            "log_form": InteractionForm(initial={"on": day}),
        },
    )


@network_view()
def today_section(request: NetworkRequest, key: str) -> HttpResponse:
    """One deferred section of Today, as the HTML that replaces its placeholder."""
    if key not in DEFERRED_SECTIONS:
        raise Http404("No such section.")
    day = today_of(request)
    section = agenda_section(request.network, day, key)
    return render(
        request,
        "kithkin/partials/agenda_section.html",
        {"section": section, "today": day, "presets": snooze_presets(day)},
    )


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
