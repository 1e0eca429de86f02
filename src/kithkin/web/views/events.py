"""Events: the list, one event with the people met there, the event form, and "met
someone here" (which owes them a follow-up within 48 hours, with a draft)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models import Event
from kithkin.queries.events import event_page, list_events
from kithkin.services.events import (
    EventFields,
    NearMatch,
    add_event,
    follow_up_after_meeting,
    meet_at_event,
    update_event,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import DATE, PersonForm, add_service_error, error_text
from kithkin.web.views.common import done_or_redirect, require_write, today_of


class EventForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Event.Kind.choices, initial=Event.Kind.CONFERENCE)
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(
        label="Ends", required=False, widget=DATE, help_text="Leave empty for a one-day event."
    )
    location = forms.CharField(required=False, max_length=200)
    url = forms.CharField(label="Web page", required=False, max_length=500)
    organizer = forms.CharField(
        required=False, max_length=200, help_text="An organization, found or added by name."
    )
    status = forms.ChoiceField(label="I am", choices=Event.Status.choices)
    tags = forms.CharField(required=False, help_text="Separated by commas.")
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown."
    )

    def fields_for_service(self) -> EventFields:
        data = self.cleaned_data
        return EventFields(
            name=data["name"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            location=data["location"],
            url=data["url"],
            organizer=data["organizer"],
            status=data["status"],
            notes=data["notes"],
            tags=PersonForm.split(data["tags"]),
        )


# Service fields named differently in the form.
_FIELD_NAMES = {"end": "ends_on", "start": "starts_on"}


class MetForm(forms.Form):
    full_name = forms.CharField(label="Who did you meet?", max_length=200)
    note = forms.CharField(
        label="What did you talk about?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    email = forms.CharField(label="Their email", required=False, max_length=500)
    organization = forms.CharField(label="Where they work", required=False, max_length=200)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)  # the one chosen
    new = forms.BooleanField(required=False, widget=forms.HiddenInput)  # someone new anyway


def _add_error(form: forms.Form, exc: InvalidInput) -> None:
    name = _FIELD_NAMES.get(exc.field, exc.field)
    if name in form.fields:
        form.add_error(name, exc.message)
    else:
        add_service_error(form, exc)


@network_view()
def events(request: NetworkRequest) -> HttpResponse:
    return render(
        request, "kithkin/events.html", {"result": list_events(request.network, today_of(request))}
    )


@network_view()
def event_detail(request: NetworkRequest, event_id: int) -> HttpResponse:
    event = access.event_for(request.user, request.network, event_id)
    return render(
        request,
        "kithkin/events_detail.html",
        {
            "page": event_page(request.network, event),
            "met_form": MetForm(),
            "today": today_of(request),
        },
    )


def _initial(event: Event) -> dict[str, Any]:
    return {
        "name": event.name,
        "kind": event.kind,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "location": event.location,
        "url": event.url,
        "organizer": event.organizer.name if event.organizer else "",
        "status": event.status,
        "tags": ", ".join(event.tags.values_list("name", flat=True)),
        "notes": event.notes,
    }


@network_view(form=True)
def event_new(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    form = EventForm(request.POST or None, initial={"starts_on": today_of(request)})
    if request.method == "POST" and form.is_valid():
        try:
            event = add_event(request.network, request.user, form.fields_for_service())
        except InvalidInput as exc:
            _add_error(form, exc)
        else:
            messages.success(request, f"Added {event.name}.")
            return redirect("event", event.pk)
    return render(request, "kithkin/events_form.html", {"form": form, "event": None})


@network_view(form=True)
def event_edit(request: NetworkRequest, event_id: int) -> HttpResponse:
    require_write(request)
    event = access.event_for(request.user, request.network, event_id)
    form = EventForm(request.POST or None, initial=_initial(event))
    if request.method == "POST" and form.is_valid():
        try:
            update_event(request.network, request.user, event, form.fields_for_service())
        except InvalidInput as exc:
            _add_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("event", event.pk)
    return render(request, "kithkin/events_form.html", {"form": form, "event": event})


@network_view(write=True)
def event_met(request: NetworkRequest, event_id: int) -> HttpResponse:
    """Met someone here. A name close to people already known shows them to pick from, or
    to confirm someone new."""
    event = access.event_for(request.user, request.network, event_id)
    form = MetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not record it: " + error_text(form))
        return redirect("event", event.pk)
    data = form.cleaned_data
    chosen = (
        access.person_for(request.user, request.network, data["person"]) if data["person"] else None
    )
    try:
        met = meet_at_event(
            request.network,
            request.user,
            event,
            person=chosen,
            name=data["full_name"],
            note=data["note"],
            email=data["email"],
            organization=data["organization"],
            new=data["new"],
        )
    except NearMatch as near:
        return render(
            request,
            "kithkin/events_met.html",
            {"event": event, "near": near, "data": data},
        )
    except InvalidInput as exc:
        messages.error(request, f"Could not record it: {exc}")
        return redirect("event", event.pk)
    follow_up = met.follow_up
    assert follow_up is not None
    owed = (
        f"Follow-up due {follow_up.due_on:%-d %b}, with a draft."
        if met.follow_up_created
        else f"A follow-up from {event.name} is already open (due {follow_up.due_on:%-d %b})."
    )
    added = "Added" if met.created else "Met"
    messages.success(request, f"{added} {met.person.full_name} at {event.name}. {owed}")
    return redirect("event", event.pk)


@network_view(write=True)
def event_follow_up(request: NetworkRequest, event_id: int, person_id: int) -> HttpResponse:
    """Owe someone met at the event a follow-up within 48 hours (the agenda's button)."""
    event = access.event_for(request.user, request.network, event_id)
    person = access.person_for(request.user, request.network, person_id)
    try:
        follow_up, created = follow_up_after_meeting(request.network, request.user, event, person)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        if created:
            messages.success(
                request,
                f"Follow-up for {person.full_name} due {follow_up.due_on:%-d %b}, with a draft.",
            )
    if request.POST.get("from") == "today":
        return done_or_redirect(request, "today")
    return redirect("event", event.pk)
