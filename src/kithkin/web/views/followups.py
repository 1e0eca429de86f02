"""Editing and deleting a follow-up (from Today, the person page or a link)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.dates import every_from_rrule, parse_every
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Person
from kithkin.queries.people import resolve_person
from kithkin.services.followups import delete_follow_up, edit_follow_up
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import FollowUpEditForm, add_service_error
from kithkin.web.views.common import require_write


def _every_text(rrule: str) -> str:
    """A recurrence as typed in the form: "2w", "1m"."""
    if not rrule:
        return ""
    every = every_from_rrule(rrule)
    return f"{every.count}{every.unit}"


def _back(request: NetworkRequest) -> HttpResponse:
    person_id = request.POST.get("person")
    if person_id and person_id.isdigit():
        return redirect("person", int(person_id))
    return redirect("today")


@network_view(form=True)
def follow_up_edit(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    item = access.follow_up_for(request.user, request.network, follow_up_id)
    require_write(request)
    owed_to = list(item.people.order_by("full_name", "pk"))
    if request.method == "POST":
        form = FollowUpEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                people: list[Person] = [
                    resolve_person(request.network, name)
                    for name in data["people"].split(",")
                    if name.strip()
                ]
                edit_follow_up(
                    request.network,
                    request.user,
                    item,
                    title=data["title"],
                    due_on=data["due_on"],
                    every=parse_every(data["every"]) if data["every"] else None,
                    people=people,
                )
            except InvalidInput as exc:
                add_service_error(form, exc)
            except (Ambiguous, NotFound) as exc:
                form.add_error("people", str(exc))
            else:
                messages.success(request, f"Saved the follow-up “{item.title}”.")
                return _back(request)
    else:
        form = FollowUpEditForm(
            initial={
                "title": item.title,
                "people": ", ".join(person.full_name for person in owed_to),
                "due_on": item.due_on,
                "every": _every_text(item.recurrence),
            }
        )
    back = owed_to[0].pk if len(owed_to) == 1 else None
    return render(
        request, "kithkin/follow_up_form.html", {"form": form, "item": item, "person_id": back}
    )


@network_view(write=True)
def follow_up_delete(request: NetworkRequest, follow_up_id: int) -> HttpResponse:
    item = access.follow_up_for(request.user, request.network, follow_up_id)
    title = item.title
    delete_follow_up(request.network, request.user, item)
    messages.success(
        request, f"Moved the follow-up “{title}” to the trash (restorable for 30 days)."
    )
    return _back(request)
