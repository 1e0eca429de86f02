"""Mentorships: my mentors, my mentees and mentorships between others; one mentorship with
its goals and sessions; adding one, logging a session, pausing, resuming and ending."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Mentorship, Person
from kithkin.queries.mentorships import (
    MentorshipSummary,
    list_mentorships,
    mentorship_detail,
    mentorship_title,
)
from kithkin.queries.people import resolve_person
from kithkin.services.interactions import occurred_at_on
from kithkin.services.mentorships import add_goal, add_mentorship, log_session, set_status
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import DATE, add_service_error, cadence_days, error_text
from kithkin.web.views.common import done_or_redirect, require_write, today_of

Status = Mentorship.Status


class MentorshipForm(forms.Form):
    role = forms.ChoiceField(
        label="They are",
        choices=[("mentor", "My mentor"), ("mentee", "My mentee")],
        initial="mentor",
    )
    person = forms.CharField(
        label="Who", max_length=200, help_text="A name or an email, as in search."
    )
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    goals = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )
    every = forms.CharField(
        label="Session every",
        required=False,
        help_text="e.g. 2w, 30d, monthly — leave empty for no rhythm.",
    )
    since = forms.DateField(label="Since", required=False, widget=DATE)

    def clean_every(self) -> int | None:
        return cadence_days(self.cleaned_data["every"])


class SessionForm(forms.Form):
    on = forms.DateField(label="When", widget=DATE)
    note = forms.CharField(
        label="What was it about?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    learned = forms.CharField(
        label="What I learned", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    ask = forms.CharField(
        label="Ask next time", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GoalForm(forms.Form):
    goal = forms.CharField(label="Another goal", max_length=300)


_STATUS_CHANGES = {
    Status.PAUSED: "Paused",
    Status.ACTIVE: "Resumed",
    Status.ENDED: "Ended",
}


def _groups(rows: list[MentorshipSummary]) -> list[tuple[str, str, list[MentorshipSummary]]]:
    return [
        (key, heading, [row for row in rows if row.role == key])
        for key, heading in (
            ("mentor", "My mentors"),
            ("mentee", "My mentees"),
            ("others", "Between others"),
        )
    ]


def _new_form(request: NetworkRequest, data: Any = None) -> MentorshipForm:
    """The add form; ``?person=ID&role=mentee`` (from a person page) fills it in."""
    initial: dict[str, Any] = {}
    if data is None and request.GET.get("person", "").isdigit():
        person = access.person_for(request.user, request.network, int(request.GET["person"]))
        initial = {"person": person.full_name, "person_id": person.pk}
    if data is None and request.GET.get("role") in ("mentor", "mentee"):
        initial["role"] = request.GET["role"]
    return MentorshipForm(data, initial=initial, prefix="new")


@network_view()
def mentorships(request: NetworkRequest) -> HttpResponse:
    show_all = request.GET.get("all") == "1"
    rows = list_mentorships(request.network, include_ended=show_all)
    return render(
        request,
        "kithkin/mentorships.html",
        {
            "groups": _groups(rows),
            "total": len(rows),
            "show_all": show_all,
            "today": today_of(request),
            "form": _new_form(request),
        },
    )


def _chosen_person(request: NetworkRequest, form: MentorshipForm) -> Person | None:
    """The person the form names (by id when it came from their page), else None with an
    error on the form."""
    data = form.cleaned_data
    try:
        if data["person_id"]:
            return access.person_for(request.user, request.network, data["person_id"])
        return resolve_person(request.network, data["person"])
    except Ambiguous as exc:
        form.add_error("person", f"{exc} {'; '.join(exc.candidates)}")
    except NotFound as exc:
        hint = f" Did you mean {' or '.join(exc.suggestions)}?" if exc.suggestions else ""
        form.add_error("person", f"{exc}{hint}")
    return None


@network_view(form=True)
def mentorship_new(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    form = _new_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = _chosen_person(request, form)
        if person is not None:
            data = form.cleaned_data
            mine_to_them = data["role"] == "mentee"
            today = today_of(request)
            try:
                mentorship = add_mentorship(
                    request.network,
                    request.user,
                    mentor=None if mine_to_them else person,  # None: me
                    mentee=person if mine_to_them else None,
                    goals=data["goals"],
                    cadence_days=data["every"],
                    started_on=data["since"] or today,
                    today=today,
                )
            except InvalidInput as exc:
                field = {"mentor": "person", "mentee": "person", "goal": "goals"}.get(exc.field)
                if field:
                    form.add_error(field, exc.message)
                else:
                    add_service_error(form, exc)
            else:
                messages.success(request, f"{mentorship_title(mentorship)}.")
                return redirect("mentorship", mentorship.pk)
    return render(request, "kithkin/mentorship_form.html", {"form": form})


@network_view()
def mentorship(request: NetworkRequest, mentorship_id: int) -> HttpResponse:
    found = access.mentorship_for(request.user, request.network, mentorship_id)
    detail = mentorship_detail(request.network, found)
    today = today_of(request)
    return render(
        request,
        "kithkin/mentorship.html",
        {
            "detail": detail,
            "row": detail.summary,
            "m": detail.summary.mentorship,
            "today": today,
            "session_form": SessionForm(initial={"on": today}),
            "goal_form": GoalForm(),
        },
    )


@network_view(write=True)
def mentorship_session(request: NetworkRequest, mentorship_id: int) -> HttpResponse:
    found = access.mentorship_for(request.user, request.network, mentorship_id)
    from_today = request.POST.get("from") == "today"
    data = request.POST.copy()
    if from_today and not data.get("on"):
        data["on"] = today_of(request).isoformat()
    form = SessionForm(data)
    if not form.is_valid():
        messages.error(request, "Could not log the session: " + error_text(form))
        return redirect("mentorship", found.pk)
    try:
        log_session(
            request.network,
            request.user,
            found,
            occurred_at=occurred_at_on(
                form.cleaned_data["on"], today=today_of(request), time_zone=request.user.time_zone
            ),
            note=form.cleaned_data["note"],
            learned=form.cleaned_data["learned"],
            ask=form.cleaned_data["ask"],
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("mentorship", found.pk)
    messages.success(request, f"Logged a session: {mentorship_title(found)}.")
    if from_today:
        return done_or_redirect(request, "today")
    return redirect("mentorship", found.pk)


@network_view(write=True)
def mentorship_status(request: NetworkRequest, mentorship_id: int) -> HttpResponse:
    found = access.mentorship_for(request.user, request.network, mentorship_id)
    status = request.POST.get("status", "")
    try:
        set_status(request.network, request.user, found, status, today=today_of(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{_STATUS_CHANGES[Status(status)]}: {mentorship_title(found)}.")
    return redirect("mentorship", found.pk)


@network_view(write=True)
def mentorship_goal(request: NetworkRequest, mentorship_id: int) -> HttpResponse:
    found = access.mentorship_for(request.user, request.network, mentorship_id)
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not add the goal: " + error_text(form))
        return redirect("mentorship", found.pk)
    try:
        add_goal(request.network, request.user, found, form.cleaned_data["goal"])
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Goal added.")
    return redirect("mentorship", found.pk)
