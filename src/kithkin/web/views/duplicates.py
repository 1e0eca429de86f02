"""Duplicates: people who may be recorded twice; merge them (after a preview) or say they
are two people."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.queries.duplicates import stored_duplicates
from kithkin.services.duplicates import ensure_current
from kithkin.services.merge import dismiss_duplicate, merge_people, preview_merge
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import done_or_redirect, require_write

PAIRS_SHOWN = 100


@network_view()
def duplicates(request: NetworkRequest) -> HttpResponse:
    """The stored pairs (services.duplicates); stale ones are being computed again."""
    scan = ensure_current(request.network)
    pairs = stored_duplicates(request.network, limit=PAIRS_SHOWN)
    return render(
        request,
        "kithkin/duplicates.html",
        {"pairs": pairs, "limit": PAIRS_SHOWN, "preview": None, "scan": scan},
    )


@network_view(form=True)
def duplicate_merge(request: NetworkRequest, person_id: int, other_id: int) -> HttpResponse:
    """GET: what merging ``other`` into ``person`` would do; POST: do it."""
    require_write(request)
    keep = access.person_for(request.user, request.network, person_id)
    other = access.person_for(request.user, request.network, other_id)
    try:
        if request.method == "POST":
            kept = merge_people(request.network, request.user, keep, other)
            messages.success(request, f"Merged {other.full_name} into {kept.full_name}.")
            return redirect("person", kept.pk)
        preview = preview_merge(request.network, request.user, keep, other)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("duplicates")
    return render(request, "kithkin/duplicates.html", {"pairs": [], "preview": preview})


@network_view(write=True)
def duplicate_dismiss(request: NetworkRequest, person_id: int, other_id: int) -> HttpResponse:
    first = access.person_for(request.user, request.network, person_id)
    second = access.person_for(request.user, request.network, other_id)
    try:
        dismiss_duplicate(request.network, request.user, first, second)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("duplicates")
    if not getattr(request, "htmx", False):
        messages.success(
            request, f"Noted: {first.full_name} and {second.full_name} are two people."
        )
    return done_or_redirect(request, "duplicates")
