"""Organizations and their people; tags."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render

from kithkin import access
from kithkin.models import Affiliation, Organization, Tag
from kithkin.web.decorators import NetworkRequest, network_view

PAGE = 200


@network_view()
def organizations(request: NetworkRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    found = Organization.objects.filter(network=request.network).annotate(
        people_count=Count(
            "affiliations",
            filter=Q(
                affiliations__end_on__isnull=True, affiliations__person__archived_at__isnull=True
            ),
            distinct=True,
        )
    )
    if text:
        found = found.filter(name__icontains=text)
    found = found.order_by("-people_count", "name")
    return render(
        request,
        "kithkin/organizations.html",
        {
            "organizations": found[:PAGE],
            "total": found.count(),
            "q": text,
            "limit": PAGE,
        },
    )


@network_view()
def organization_detail(request: NetworkRequest, organization_id: int) -> HttpResponse:
    organization = access.organization_for(request.user, request.network, organization_id)
    affiliations = (
        Affiliation.objects.filter(organization=organization, person__archived_at__isnull=True)
        .select_related("person", "person__circle")
        .order_by("end_on", "person__full_name")
    )
    current = [a for a in affiliations if a.end_on is None]
    return render(
        request,
        "kithkin/organization.html",
        {
            "organization": organization,
            "current": [a for a in current if not a.person.is_self],
            "past": [a for a in affiliations if a.end_on is not None],
            "mine": [a for a in current if a.person.is_self],
        },
    )


@network_view()
def tags(request: NetworkRequest) -> HttpResponse:
    found = (
        Tag.objects.filter(network=request.network)
        .annotate(people_count=Count("people", filter=Q(people__archived_at__isnull=True)))
        .order_by("-people_count", "name")
    )
    return render(request, "kithkin/tags.html", {"tags": found})
