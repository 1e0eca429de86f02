"""The Dashboard (how the practice is going), warm-intro paths, the graph around a person."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from kithkin import access
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.models import Membership
from kithkin.queries.dashboard import report
from kithkin.queries.graph import around
from kithkin.queries.insights import stats
from kithkin.queries.paths import member_by_id, paths_to, resolve_target
from kithkin.web import graph as graph_svg
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.common import today_of


@network_view()
def dashboard(request: NetworkRequest) -> HttpResponse:
    network = request.network
    found = report(network)
    return render(
        request,
        "kithkin/dashboard.html",
        {"report": found, "stats": stats(network, today_of(request), found)},
    )


@network_view()
def paths(request: NetworkRequest) -> HttpResponse:
    """``?to=`` a person or an organization (a name, ``p12``, ``o12``); ``&from=`` the
    user id of another member to start from."""
    network, user = request.network, request.user
    text = request.GET.get("to", "").strip()
    chosen = request.GET.get("from", "")
    try:
        member = member_by_id(user, network, int(chosen) if chosen.isdigit() else None)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context: dict = {
        "to": text,
        "member": member,
        "members": Membership.objects.filter(network=network)
        .select_related("user")
        .order_by("user__username"),
    }
    status = 200
    if text:
        try:
            target = resolve_target(user, network, text)
            context["search"] = paths_to(
                network, user, target, member=member, today=today_of(request)
            )
        except Ambiguous as exc:
            context["problem"] = str(exc)
            context["candidates"] = exc.candidates
        except (NotFound, InvalidInput) as exc:
            context["problem"] = str(exc)
            status = 404 if isinstance(exc, NotFound) else 400
    return render(request, "kithkin/paths.html", context, status=status)


@network_view()
def person_graph(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    found = around(request.network, request.user, person, today=today_of(request))
    return render(
        request,
        "kithkin/person_graph.html",
        {"person": person, "graph": found, "svg": graph_svg.render(found)},
    )
