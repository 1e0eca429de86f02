"""Milestones: occasions coming up, recent challenges, adding a milestone, celebrating or
offering help (from Today, the Milestones page and the person page)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access, clock
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Interaction, Person
from kithkin.queries.milestones import milestones_page
from kithkin.queries.occasions import kind_groups, kind_label, milestone_occasion, reason
from kithkin.queries.people import resolve_person
from kithkin.services.milestones import (
    MAX_WINDOW_DAYS,
    add_milestone,
    celebrate_milestone,
    celebrate_occasion,
    celebrate_person,
    parse_on,
    remove_milestone,
    set_celebrate_window,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import error_text
from kithkin.web.views.common import done_or_redirect


class MilestoneForm(forms.Form):
    person = forms.CharField(label="Who", max_length=200, required=False)
    kind = forms.ChoiceField(choices=kind_groups)
    on = forms.CharField(
        label="Date",
        max_length=20,
        help_text="2026-11-20, or 03-14 for a yearly one without a year.",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD or MM-DD"}),
    )
    yearly = forms.BooleanField(label="Every year", required=False)
    title = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "VP Engineering"}),
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


def network_today(request: NetworkRequest) -> dt.date:
    """Occasions fall on the network's calendar."""
    return clock.today_in(request.network.time_zone)


def _back(request: NetworkRequest, person_id: int | None) -> HttpResponse:
    """Where a form goes back to: Today (an htmx row swaps out), the person, the page."""
    origin = request.POST.get("from")
    if origin == "today":
        return done_or_redirect(request, "today")
    if origin == "person" and person_id is not None:
        return redirect("person", person_id)
    return redirect("milestones")


@network_view()
def milestones(request: NetworkRequest) -> HttpResponse:
    today = network_today(request)
    return render(
        request,
        "kithkin/milestones.html",
        {
            "page": milestones_page(request.network, today),
            "today": today,
            "kinds": kind_groups(),
            "max_window": MAX_WINDOW_DAYS,
        },
    )


def _person_of(request: NetworkRequest, form: MilestoneForm) -> Person:
    """The person page sends the person's id; the Milestones page a typed name."""
    person_id = request.POST.get("person_id", "")
    if person_id.isdigit():
        return access.person_for(request.user, request.network, int(person_id))
    name = form.cleaned_data["person"].strip()
    if not name:
        raise InvalidInput("person", "say whose milestone it is")
    return resolve_person(request.network, name)


@network_view(write=True)
def milestone_new(request: NetworkRequest) -> HttpResponse:
    form = MilestoneForm(request.POST)
    person_id = request.POST.get("person_id", "")
    back = int(person_id) if person_id.isdigit() else None
    if not form.is_valid():
        messages.error(request, "Could not add the milestone: " + error_text(form))
        return _back(request, back)
    data = form.cleaned_data
    try:
        person = _person_of(request, form)
        milestone = add_milestone(
            request.network,
            request.user,
            person=person,
            kind=data["kind"],
            on=parse_on(data["on"], network_today(request)),
            recurs_yearly=data["yearly"],
            title=data["title"],
            note=data["note"],
        )
    except Ambiguous as exc:
        messages.error(request, f"{exc} {'; '.join(exc.candidates)}")
        return _back(request, back)
    except (InvalidInput, NotFound) as exc:
        if isinstance(exc, NotFound) and back is not None:
            raise
        messages.error(request, f"Could not add the milestone: {exc}")
        return _back(request, back)
    what = "challenge" if milestone.is_support else "milestone"
    detail = kind_label(milestone.kind) + (f": {milestone.title}" if milestone.title else "")
    messages.success(request, f"Added a {what} for {person.full_name}: {detail}.")
    return _back(request, person.pk)


def _celebrated(
    request: NetworkRequest, interaction: Interaction, person: Person, text: str
) -> None:
    verb = (
        "Offered help to"
        if interaction.milestone and interaction.milestone.is_support
        else ("Celebrated with")
    )
    messages.success(request, f"{verb} {person.full_name}: {text}. Logged a message.")


@network_view(write=True)
def milestone_celebrate(request: NetworkRequest, milestone_id: int) -> HttpResponse:
    milestone = access.milestone_for(request.user, request.network, milestone_id)
    today = network_today(request)
    try:
        interaction = celebrate_milestone(
            request.network,
            request.user,
            milestone,
            today=today,
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return _back(request, milestone.person_id)
    occasion = milestone_occasion(milestone, today, nearest=True)
    _celebrated(request, interaction, milestone.person, reason(occasion, today))
    return _back(request, milestone.person_id)


@network_view(write=True)
def person_celebrate(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    today = network_today(request)
    key = request.POST.get("occasion", "").strip()
    note = request.POST.get("note", "")
    try:
        if key:
            interaction = celebrate_occasion(
                request.network, request.user, person, key, today=today, note=note
            )
            text = interaction.summary
        else:
            interaction, occasion = celebrate_person(
                request.network, request.user, person, today=today, note=note
            )
            text = reason(occasion, today)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return _back(request, person.pk)
    _celebrated(request, interaction, person, text)
    return _back(request, person.pk)


@network_view(write=True)
def milestone_delete(request: NetworkRequest, milestone_id: int) -> HttpResponse:
    milestone = access.milestone_for(request.user, request.network, milestone_id)
    remove_milestone(request.network, request.user, milestone)
    what = kind_label(milestone.kind) + (f": {milestone.title}" if milestone.title else "")
    messages.success(request, f"Removed the {what} of {milestone.person.full_name}.")
    return _back(request, milestone.person_id)


class WindowForm(forms.Form):
    celebrate_within_days = forms.IntegerField(min_value=1, max_value=MAX_WINDOW_DAYS)


@network_view(write=True)
def milestone_window(request: NetworkRequest) -> HttpResponse:
    form = WindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not change the window: " + error_text(form))
        return redirect("milestones")
    try:
        set_celebrate_window(
            request.network, request.user, form.cleaned_data["celebrate_within_days"]
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("milestones")
    days = request.network.celebrate_within_days
    messages.success(request, f"Today now shows occasions {days} days ahead.")
    return redirect("milestones")
