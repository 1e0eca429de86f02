"""A person's History, and the Trash: what was deleted in the last 30 days, restorable."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models.trash import KEEP_DAYS
from kithkin.queries.history import person_history as history_of
from kithkin.queries.trash import trash_rows
from kithkin.services.trash import restore
from kithkin.web.decorators import NetworkRequest, network_view


def _page_number(request: NetworkRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@network_view()
def person_history(request: NetworkRequest, person_id: int) -> HttpResponse:
    """Every change that touched the person, a page at a time."""
    person = access.person_for(request.user, request.network, person_id)
    found = history_of(request.network, person, page=_page_number(request))
    return render(request, "kithkin/person_history.html", {"person": person, "history": found})


@network_view()
def trash(request: NetworkRequest) -> HttpResponse:
    return render(
        request, "kithkin/trash.html", {"rows": trash_rows(request.network), "keep_days": KEEP_DAYS}
    )


@network_view(write=True)
def trash_restore(request: NetworkRequest, item_id: int) -> HttpResponse:
    item = access.trashed_item_for(request.user, request.network, item_id)
    try:
        restored = restore(request.network, request.user, item)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("trash")
    messages.success(request, restored.sentence())
    if restored.item_kind == "person":
        return redirect("person", restored.record_id)
    return redirect("trash")
