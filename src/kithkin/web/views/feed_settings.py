"""The calendar feeds of the settings page (docs/feeds.md): make or make again (the URL
shown on this one answer), revoke, switch titles only. Each is the user's own feed of one
of their networks (another network: 404); a viewer may have one too, since a feed only
reads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kithkin import access
from kithkin.services.feeds import make_feed, revoke_feed, set_titles_only
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.settings import _page


@require_POST
@network_view(form=True)
def feed_make(request: NetworkRequest, network_id: int) -> HttpResponse:
    """Make the feed (again: the old URL stops working) and show its URL, once: it is not
    stored, and this answer is neither redirected to nor cached."""
    network = access.network_for(request.user, network_id)
    titles_only = request.POST.get("titles_only")
    made = make_feed(
        request.user, network, titles_only=None if titles_only is None else titles_only == "1"
    )
    url = request.build_absolute_uri(reverse("feed_calendar", args=[made.secret]))
    response = _page(request, new_feed=made, new_feed_url=url)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@network_view(form=True)
def feed_revoke(request: NetworkRequest, network_id: int) -> HttpResponse:
    network = access.network_for(request.user, network_id)
    revoke_feed(request.user, network)
    messages.success(request, f"Revoked the calendar feed of {network.name}: its URL is dead.")
    return redirect("settings")


@require_POST
@network_view(form=True)
def feed_titles_only(request: NetworkRequest, network_id: int) -> HttpResponse:
    network = access.network_for(request.user, network_id)
    feed = set_titles_only(request.user, network, request.POST.get("titles_only") == "1")
    messages.success(
        request,
        f"The calendar feed of {network.name} now shows "
        + ("titles only." if feed.titles_only else "details too."),
    )
    return redirect("settings")
