"""My memberships: join an organization, record a renewal, leave; and how many days
ahead renewals show on Today."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.services.memberships import (
    join_organization,
    leave_organization,
    renew_membership,
    set_renewal_notice,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import error_text
from kithkin.web.membership_forms import JoinForm, NoticeForm, RenewForm
from kithkin.web.views.common import done_or_redirect, today_of


def _back(request: NetworkRequest, organization_id: int) -> HttpResponse:
    """Back to where the form was: Today (the agenda's renewals) or the organization."""
    url = (
        reverse("today")
        if request.POST.get("from") == "today"
        else reverse("organization", args=[organization_id])
    )
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


@network_view(write=True)
def organization_join(request: NetworkRequest, organization_id: int) -> HttpResponse:
    organization = access.organization_for(request.user, request.network, organization_id)
    form = JoinForm(request.POST, prefix="join")
    if not form.is_valid():
        messages.error(request, "Could not record the membership: " + error_text(form))
        return _back(request, organization.pk)
    data = form.cleaned_data
    try:
        joined = join_organization(
            request.network,
            request.user,
            organization,
            role=data["role"],
            start_on=data["since"],
            renews_on=data["renews_on"],
            today=today_of(request),
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return _back(request, organization.pk)
    verb = "Joined" if joined.new_membership else "Updated my membership of"
    messages.success(request, f"{verb} {organization.name}.")
    return redirect("organization", organization.pk)


@network_view(write=True)
def organization_renew(request: NetworkRequest, organization_id: int) -> HttpResponse:
    organization = access.organization_for(request.user, request.network, organization_id)
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not record the renewal: " + error_text(form))
        return _back(request, organization.pk)
    try:
        membership = renew_membership(
            request.network,
            request.user,
            organization,
            until=form.cleaned_data["until"],
            today=today_of(request),
        )
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return _back(request, organization.pk)
    assert membership.renews_on is not None
    messages.success(
        request, f"Renewed {organization.name} until {membership.renews_on:%-d %B %Y}."
    )
    if request.POST.get("from") == "today":
        return done_or_redirect(request, "today")
    return redirect("organization", organization.pk)


@network_view(write=True)
def organization_leave(request: NetworkRequest, organization_id: int) -> HttpResponse:
    organization = access.organization_for(request.user, request.network, organization_id)
    try:
        leave_organization(request.network, request.user, organization, today=today_of(request))
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Left {organization.name}.")
    return redirect("organization", organization.pk)


@network_view(write=True)
def organization_notice(request: NetworkRequest) -> HttpResponse:
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Could not change the reminders: " + error_text(form))
        return redirect("organizations")
    days = form.cleaned_data["renewal_notice_days"]
    try:
        set_renewal_notice(request.network, request.user, days)
    except InvalidInput as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Renewals now show on Today {days} days ahead.")
    return redirect("organizations")
