"""Small decorators for views: every network page goes through access.py, once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from kithkin import access
from kithkin.errors import Forbidden, NotFound
from kithkin.models import Membership, Network, User
from kithkin.queries.mfa import must_enrol
from kithkin.services import undo

P = ParamSpec("P")


class NetworkRequest(HttpRequest):
    """A request whose user works in ``network`` with ``membership``'s role."""

    user: User
    network: Network
    membership: Membership


View = Callable[Concatenate[NetworkRequest, P], HttpResponse]


def to_two_factor_enrolment(request: HttpRequest, network: Network) -> HttpResponse:
    """A member without two-factor opening a network whose owners require it: off to set it
    up (their other networks stay open: only this one is closed until then)."""
    messages.info(
        request,
        f"{network.name} requires two-factor sign-in. Set it up to open it, "
        "or switch to another network.",
    )
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(reverse("two_factor"))
    return redirect("two_factor")


def network_view(
    *, write: bool = False, form: bool = False
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Sign-in required; the user's current network is loaded through access.py.

    A page is GET only; ``form=True``: a page that also takes its form's POST (it checks
    the role itself); ``write=True``: an action, POST only, and viewers get 403. A record
    of another network raises NotFound in access.py, which becomes a 404 here. A network
    that requires two-factor sends a member without it to set it up.
    """

    def decorator(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user: Any = request.user
            try:
                network = access.current_network(user)
                membership = access.membership(user, network)
                if must_enrol(user, network):
                    return to_two_factor_enrolment(request, network)
                if write and not membership.can_write:
                    raise PermissionDenied("You may view this network but not change it.")
                undo.forget_recorded()
                network_request: Any = request
                network_request.network = network
                network_request.membership = membership
                return view(network_request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc
            except Forbidden as exc:
                raise PermissionDenied(str(exc)) from exc

        guarded = login_required(wrapper)
        if write:
            return require_POST(guarded)
        if form:
            return require_http_methods(["GET", "HEAD", "POST"])(guarded)
        return require_safe(guarded)

    return decorator
