"""The opportunity board, one opportunity with its matches and shares (the Dashboard is
``views.insights``)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Opportunity, OpportunityShare
from kithkin.queries.matching import match_people
from kithkin.queries.opportunities import board, opportunity_detail
from kithkin.services.opportunities import (
    FINISHED,
    NewOpportunity,
    add_opportunity,
    set_share_outcome,
    set_status,
    share_opportunity,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import DATE, PersonForm, add_service_error, error_text
from kithkin.web.views.common import require_write

MATCHES_SHOWN = 10


class OpportunityForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="e.g. Staff engineer at Babbage")
    kind = forms.ChoiceField(choices=Opportunity.Kind.choices, initial=Opportunity.Kind.JOB)
    organization = forms.CharField(required=False, max_length=200)
    tags = forms.CharField(
        label="Tags and skills",
        required=False,
        help_text="Separated by commas: rust, compilers. Matching leans on them most.",
    )
    url = forms.CharField(label="Link", required=False, max_length=500)
    deadline = forms.DateField(required=False, widget=DATE)
    source = forms.CharField(
        label="Who brought it", required=False, help_text="A name or an email in your network."
    )
    for_me = forms.BooleanField(label="It is for me (not to share)", required=False)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ShareForm(forms.Form):
    person_id = forms.IntegerField()
    note = forms.CharField(required=False, max_length=2000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Opportunity.Status.choices)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=OpportunityShare.Outcome.choices)


def _flag(text: str) -> bool | None:
    return {"me": True, "share": False}.get(text)


@network_view()
def opportunities(request: NetworkRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    audience = request.GET.get("for", "")
    items = board(
        request.network,
        status=status if status in Opportunity.Status.values else "",
        kind=kind if kind in Opportunity.Kind.values else "",
        for_me=_flag(audience),
        show_all=status == "all",
    )
    return render(
        request,
        "kithkin/opportunities.html",
        {
            "opportunities": items,
            "filters": {"status": status, "kind": kind, "for": audience},
            "statuses": Opportunity.Status.choices,
            "kinds": Opportunity.Kind.choices,
        },
    )


@network_view(form=True)
def opportunity_new(request: NetworkRequest) -> HttpResponse:
    from kithkin.queries.people import resolve_person

    require_write(request)
    form = OpportunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = (
                resolve_person(request.network, data["source"]) if data["source"].strip() else None
            )
            item = add_opportunity(
                request.network,
                request.user,
                NewOpportunity(
                    title=data["title"],
                    kind=data["kind"],
                    organization=data["organization"],
                    tags=PersonForm.split(data["tags"]),
                    url=data["url"],
                    deadline=data["deadline"],
                    source=source,
                    for_me=data["for_me"],
                    description=data["description"],
                ),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        except (NotFound, Ambiguous) as exc:  # a name that matches no one, or several
            form.add_error("source", str(exc))
        else:
            messages.success(request, f"Added {item.title}.")
            return redirect("opportunity", item.pk)
    return render(request, "kithkin/opportunity_form.html", {"form": form})


@network_view()
def opportunity_detail_page(request: NetworkRequest, opportunity_id: int) -> HttpResponse:
    item = access.opportunity_for(request.user, request.network, opportunity_id)
    detail = opportunity_detail(request.network, item)
    matches = [] if item.for_me else match_people(request.network, item, limit=MATCHES_SHOWN)
    return render(
        request,
        "kithkin/opportunity.html",
        {
            "detail": detail,
            "opportunity": item,
            "matches": matches,
            "statuses": Opportunity.Status.choices,
            "outcomes": OpportunityShare.Outcome.choices,
            "finished": item.status in FINISHED,
        },
    )


@network_view(write=True)
def opportunity_share(request: NetworkRequest, opportunity_id: int) -> HttpResponse:
    item = access.opportunity_for(request.user, request.network, opportunity_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick someone to share it with.")
        return redirect("opportunity", item.pk)
    person = access.person_for(request.user, request.network, form.cleaned_data["person_id"])
    try:
        share_opportunity(
            request.network, request.user, item, person, note=form.cleaned_data["note"]
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Shared with {person.full_name}; logged a message.")
    return redirect("opportunity", item.pk)


@network_view(write=True)
def opportunity_status(request: NetworkRequest, opportunity_id: int) -> HttpResponse:
    item = access.opportunity_for(request.user, request.network, opportunity_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        set_status(request.network, request.user, item, form.cleaned_data["status"])
        messages.success(request, f"{item.title} is now {item.status}.")
    else:
        messages.error(request, error_text(form))
    return redirect("opportunity", item.pk)


@network_view(write=True)
def share_outcome(request: NetworkRequest, share_id: int) -> HttpResponse:
    share = access.opportunity_share_for(request.user, request.network, share_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        set_share_outcome(request.network, request.user, share, form.cleaned_data["outcome"])
        messages.success(
            request, f"{share.person.full_name}: {share.get_outcome_display().lower()}."
        )
    else:
        messages.error(request, error_text(form))
    return redirect("opportunity", share.opportunity_id)
