"""Organizations and their people, my memberships of them; adding, editing, merging and
deleting organizations; tags."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Organization, Tag
from kithkin.queries import memberships as queries
from kithkin.services.organizations import (
    create_organization,
    delete_organization,
    deletion_preview,
    edit_organization,
    merge_organizations,
    preview_organization_merge,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.membership_forms import JoinForm, NoticeForm, OrganizationForm, RenewForm
from kithkin.web.views.common import require_write, today_of

PAGE = 200
MERGE_CHOICES = 2000  # names offered by the merge picker; any other can be typed


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
            "total": queries.count_organizations(request.network, kind=kind or None, text=text),
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


@network_view(form=True)
def organization_edit(request: NetworkRequest, organization_id: int) -> HttpResponse:
    require_write(request)
    organization = access.organization_for(request.user, request.network, organization_id)
    form = OrganizationForm(
        request.POST or None,
        initial={
            "name": organization.name,
            "kind": organization.kind,
            "website": organization.website,
            "tags": ", ".join(organization.tags.order_by("name").values_list("name", flat=True)),
            "notes": organization.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edited = edit_organization(
                request.network,
                request.user,
                organization,
                name=data["name"],
                kind=data["kind"],
                website=data["website"],
                notes=data["notes"],
                tags=form.tag_names(),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Saved {edited.name}.")
            return redirect("organization", edited.pk)
    return render(
        request, "kithkin/organization_form.html", {"form": form, "organization": organization}
    )


@network_view(form=True)
def organization_merge(request: NetworkRequest, organization_id: int) -> HttpResponse:
    """GET: pick the organization to merge into this one and see what would happen; POST:
    merge it."""
    require_write(request)
    keep = access.organization_for(request.user, request.network, organization_id)
    if request.method == "POST":
        other_id = request.POST.get("other", "")
        if not other_id.isdigit():
            messages.error(request, "Choose the organization to merge into this one.")
            return redirect("organization_merge", keep.pk)
        other = access.organization_for(request.user, request.network, int(other_id))
        try:
            kept = merge_organizations(request.network, request.user, keep, other)
        except InvalidInput as exc:
            messages.error(request, str(exc))
            return redirect("organization_merge", keep.pk)
        messages.success(request, f"Merged {other.name} into {kept.name}.")
        return redirect("organization", kept.pk)
    text = request.GET.get("other", "").strip()
    preview, problem = None, ""
    if text:
        try:
            other = queries.resolve_organization(request.user, request.network, text)
            preview = preview_organization_merge(request.network, request.user, keep, other)
        except (InvalidInput, Ambiguous, NotFound) as exc:
            problem = str(exc)
            if isinstance(exc, NotFound) and exc.suggestions:
                problem += f" Did you mean {' or '.join(exc.suggestions)}?"
            elif isinstance(exc, Ambiguous):
                problem += " " + ", ".join(exc.candidates)
    names = (
        Organization.objects.filter(network=request.network)
        .exclude(pk=keep.pk)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return render(
        request,
        "kithkin/organization_merge.html",
        {
            "organization": keep,
            "preview": preview,
            "other_text": text,
            "problem": problem,
            "names": names[:MERGE_CHOICES],
        },
    )


@network_view(form=True)
def organization_delete(request: NetworkRequest, organization_id: int) -> HttpResponse:
    """GET: what deleting it removes; POST (the confirmation): delete it."""
    require_write(request)
    organization = access.organization_for(request.user, request.network, organization_id)
    if request.method == "POST":
        deletion = delete_organization(request.network, request.user, organization, force=True)
        ties = len(deletion.affiliations)
        removed = f" and {ties} affiliation{'s' if ties != 1 else ''}" if ties else ""
        messages.success(request, f"Deleted {deletion.organization.name}{removed}.")
        return redirect("organizations")
    return render(
        request,
        "kithkin/organization_delete.html",
        {
            "organization": organization,
            "deletion": deletion_preview(request.network, request.user, organization),
        },
    )
