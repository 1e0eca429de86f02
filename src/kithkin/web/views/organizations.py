"""Organizations and their people, my memberships of them; tags."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models import Organization, Tag
from kithkin.queries import memberships as queries
from kithkin.services.organizations import create_organization
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.membership_forms import JoinForm, NoticeForm, OrganizationForm, RenewForm
from kithkin.web.views.common import require_write, today_of

PAGE = 200


@network_view()
def organizations(request: NetworkRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "").strip()
    if kind not in Organization.Kind.values:
        kind = ""
    found = queries.list_organizations(request.network, kind=kind or None, text=text)
    return render(
        request,
        "kithkin/organizations.html",
        {
            "organizations": found[:PAGE],
            "total": found.count(),
            "q": text,
            "kind": kind,
            "kinds": Organization.Kind.choices,
            "limit": PAGE,
            "memberships": queries.my_memberships(request.network),
            "today": today_of(request),
            "notice_form": NoticeForm(
                initial={"renewal_notice_days": request.network.renewal_notice_days}
            ),
        },
    )


@network_view()
def organization_detail(request: NetworkRequest, organization_id: int) -> HttpResponse:
    organization = access.organization_for(request.user, request.network, organization_id)
    day = today_of(request)
    detail = queries.organization_detail(request.network, organization)
    membership = detail.membership
    return render(
        request,
        "kithkin/organization.html",
        {
            "organization": organization,
            "detail": detail,
            "membership": membership,
            "today": day,
            "join_form": JoinForm(
                prefix="join",
                initial=(
                    {
                        "role": membership.title,
                        "since": membership.start_on,
                        "renews_on": membership.renews_on,
                    }
                    if membership
                    else None
                ),
            ),
            "renew_form": RenewForm(),
        },
    )


@network_view(form=True)
def organization_new(request: NetworkRequest) -> HttpResponse:
    require_write(request)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = create_organization(
                request.network,
                request.user,
                name=data["name"],
                kind=data["kind"],
                website=data["website"],
                tags=form.tag_names(),
                notes=data["notes"],
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {organization.name}.")
            return redirect("organization", organization.pk)
    return render(request, "kithkin/organization_form.html", {"form": form})


@network_view()
def tags(request: NetworkRequest) -> HttpResponse:
    found = (
        Tag.objects.filter(network=request.network)
        .annotate(people_count=Count("people", filter=Q(people__archived_at__isnull=True)))
        .order_by("-people_count", "name")
    )
    return render(request, "kithkin/tags.html", {"tags": found})
