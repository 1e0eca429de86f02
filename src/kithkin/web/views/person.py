"""One person: who they are, what matters to them, the timeline, and quick actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.dates import parse_every
from kithkin.errors import InvalidInput
from kithkin.models import Circle, Person
from kithkin.models.trash import KEEP_DAYS
from kithkin.queries import (
    events,
    history,
    ledger,
    mentorships,
    milestones,
    opportunities,
    strength,
)
from kithkin.queries.people import person_card
from kithkin.services.affiliations import add_affiliation
from kithkin.services.contact_points import add_contact_point, remove_contact_point
from kithkin.services.followups import add_follow_up
from kithkin.services.interactions import log_interaction, occurred_at_on
from kithkin.services.people import (
    NewPerson,
    PersonChanges,
    add_person,
    archive_person,
    delete_person,
    joining_circle,
    snooze_person,
    unarchive_person,
    update_person,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import (
    AffiliationForm,
    ContactPointForm,
    FollowUpForm,
    InteractionForm,
    PersonForm,
    SnoozeForm,
    add_service_error,
    error_text,
)
from kithkin.web.views.common import (
    done_or_redirect,
    reload,
    require_write,
    snooze_presets,
    today_of,
)


def _birthday(person: Person) -> str:
    """'14 March', or '14 March 1990' when the year is known; '' when unknown."""
    if not (person.birthday_month and person.birthday_day):
        return ""
    day = dt.date(person.birthday_year or 2000, person.birthday_month, person.birthday_day)
    return f"{day:%-d %B}" + (f" {person.birthday_year}" if person.birthday_year else "")


def _circles(request: NetworkRequest) -> list[str]:
    return list(Circle.objects.filter(network=request.network).values_list("name", flat=True))


@network_view()
def person_detail(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    day = today_of(request)
    card = person_card(request.network, person, day)
    current_roles = [a for a in card.affiliations if a.end_on is None]
    return render(
        request,
        "kithkin/person.html",
        {
            "card": card,
            "current_roles": current_roles,
            "show_headline": bool(card.person.headline)
            and card.person.headline not in {str(a) for a in current_roles},
            "birthday": _birthday(card.person),
            "today": day,
            "presets": snooze_presets(day),
            "log_form": InteractionForm(initial={"on": day}),
            "follow_up_form": FollowUpForm(
                prefix="follow_up", initial={"due_on": day + dt.timedelta(days=2)}
            ),
            "contact_form": ContactPointForm(prefix="contact"),
            "affiliation_form": AffiliationForm(prefix="affiliation"),
            # One panel per subject; each is None when there is nothing to show.
            "panels": {
                module.__name__.rsplit(".", 1)[-1]: module.person_panel(
                    request.network, card.person, day
                )
                for module in (
                    strength,
                    ledger,
                    milestones,
                    mentorships,
                    events,
                    opportunities,
                    history,
                )
            },
        },
    )


@network_view(form=True)
def person_new(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    joining = joining_circle(request.network)
    form = PersonForm(
        request.POST or None,
        circles=_circles(request),
        initial={"circle": joining.name if joining else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = add_person(
                request.network,
                request.user,
                NewPerson(
                    full_name=data["full_name"],
                    emails=form.split(data["emails"]),
                    phones=form.split(data["phones"]),
                    urls=form.split(data["urls"]),
                    organization=data["organization"],
                    title=data["title"],
                    circle=data["circle"],
                    cadence_days=data["cadence"],
                    tags=form.split(data["tags"]),
                    headline=data["headline"],
                    location=data["location"],
                    how_we_met=data["how_we_met"],
                    what_matters=data["what_matters"],
                    notes=data["notes"],
                ),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {person.full_name}.")
            if person.check_in_due_on is None:
                messages.warning(
                    request,
                    f"{person.full_name} has no circle, so they will never be due for a "
                    "check-in. Edit them to choose one.",
                )
            return redirect("person", person.pk)
    return render(request, "kithkin/person_form.html", {"form": form, "person": None})


@network_view(form=True)
def person_edit(request: NetworkRequest, person_id: int) -> HttpResponse:
    require_write(request)
    person = access.person_for(request.user, request.network, person_id)
    initial = {
        "full_name": person.full_name,
        "circle": person.circle.name if person.circle else "",
        "cadence": f"{person.cadence_days}d" if person.cadence_days else "",
        "tags": ", ".join(person.tags.values_list("name", flat=True)),
        "headline": person.headline,
        "location": person.location,
        "how_we_met": person.how_we_met,
        "what_matters": person.what_matters,
        "notes": person.notes,
    }
    form = PersonForm(
        request.POST or None, initial=initial, circles=_circles(request), editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_person(
                request.network,
                request.user,
                person,
                PersonChanges(
                    full_name=data["full_name"],
                    circle=data["circle"],
                    cadence_days=data["cadence"],
                    clear_cadence=data["cadence"] is None,
                    tags=form.split(data["tags"]),
                    headline=data["headline"],
                    location=data["location"],
                    how_we_met=data["how_we_met"],
                    what_matters=data["what_matters"],
                    notes=data["notes"],
                ),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("person", person.pk)
    return render(request, "kithkin/person_form.html", {"form": form, "person": person})


@network_view(write=True)
def person_archive(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    if person.archived_at is None:
        archive_person(request.network, request.user, person)
        messages.success(request, f"Archived {person.full_name}: no more check-ins, out of search.")
    else:
        unarchive_person(request.network, request.user, person)
        messages.success(request, f"{person.full_name} is back.")
    return redirect("person", person.pk)


@network_view(form=True)
def person_delete(request: NetworkRequest, person_id: int) -> HttpResponse:
    require_write(request)
    person = access.person_for(request.user, request.network, person_id)
    if request.method == "POST":
        try:
            delete_person(request.network, request.user, person)
        except InvalidInput as exc:
            messages.error(request, str(exc))
            return redirect("person", person.pk)
        messages.success(
            request,
            f"Moved {person.full_name} and what only concerned them to the trash: "
            f"restore them from the Trash within {KEEP_DAYS} days.",
        )
        return redirect("people")
    return render(
        request,
        "kithkin/person_delete.html",
        {"person": person, "interaction_count": person.interactions.count()},
    )


@network_view(write=True)
def person_log(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = InteractionForm(request.POST)
    back = "today" if request.POST.get("from") == "today" else "person"
    if not form.is_valid():
        messages.error(
            request,
            "Could not log it: " + error_text(form),
        )
        return reload(request, back, person.pk)
    data = form.cleaned_data
    try:
        log_interaction(
            request.network,
            request.user,
            kind=data["kind"],
            people=[person],
            occurred_at=occurred_at_on(
                data["on"], today=today_of(request), time_zone=request.user.time_zone
            ),
            summary=data["summary"],
            learned=data["learned"],
            next_questions=data["next_questions"],
            direction=data["direction"],
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return reload(request, back, person.pk)
    messages.success(request, f"Logged a {form.cleaned_data['kind']} with {person.full_name}.")
    if request.POST.get("from") == "today":
        return done_or_redirect(request, "today")
    return redirect("person", person.pk)


@network_view(write=True)
def person_follow_up(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = FollowUpForm(request.POST, prefix="follow_up")
    if form.is_valid():
        data = form.cleaned_data
        every = parse_every(data["every"]) if data["every"] else None
        add_follow_up(
            request.network,
            request.user,
            people=[person],
            title=data["title"],
            due_on=data["due_on"],
            every=every,
        )
        messages.success(request, f"Follow-up added: {data['title']}.")
    else:
        messages.error(
            request,
            "Could not add the follow-up: " + error_text(form),
        )
    return redirect("person", person.pk)


@network_view(write=True)
def person_snooze(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = SnoozeForm(request.POST)
    if form.is_valid():
        try:
            snooze_person(
                request.network,
                request.user,
                person,
                form.cleaned_data["until"],
                today=today_of(request),
            )
            messages.success(
                request, f"Snoozed {person.full_name} until {form.cleaned_data['until']:%-d %b}."
            )
        except InvalidInput as exc:
            messages.error(request, str(exc))
    if request.POST.get("from") == "today":
        return done_or_redirect(request, "today")
    return redirect("person", person.pk)


@network_view(write=True)
def contact_point_add(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = ContactPointForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            add_contact_point(
                request.network,
                request.user,
                person,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                label=form.cleaned_data["label"],
            )
        except InvalidInput as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Give a kind and a value.")
    return redirect("person", person.pk)


@network_view(write=True)
def contact_point_remove(request: NetworkRequest, person_id: int, point_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    point = access.contact_point_for(request.user, request.network, point_id)
    if point.person_id != person.pk:
        raise Http404(f"No contact point #{point_id} for {person.full_name}.")
    remove_contact_point(request.network, request.user, point)
    messages.success(request, f"Removed {point.value}.")
    return redirect("person", person.pk)


@network_view(write=True)
def affiliation_add(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    form = AffiliationForm(request.POST, prefix="affiliation")
    if form.is_valid():
        try:
            add_affiliation(
                request.network,
                request.user,
                person,
                organization=form.cleaned_data["organization"],
                title=form.cleaned_data["title"],
                start_on=form.cleaned_data["start_on"],
            )
        except InvalidInput as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "Name the organization.")
    return redirect("person", person.pk)
