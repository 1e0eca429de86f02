"""Small decorators for views: every network page goes through access.py, once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kithkin import access
from kithkin.errors import Forbidden, NotFound
from kithkin.models import Membership, Network, User
from kithkin.services import undo

P = ParamSpec("P")


class NetworkRequest(HttpRequest):
    """A request whose user works in ``network`` with ``membership``'s role."""

    user: User
    network: Network
    membership: Membership


View = Callable[Concatenate[NetworkRequest, P], HttpResponse]


def network_view(
    *, write: bool = False, form: bool = False
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Sign-in required; the user's current network is loaded through access.py.

    A page is GET only; ``form=True``: a page that also takes its form's POST (it checks
    the role itself); ``write=True``: an action, POST only, and viewers get 403. A record
    of another network raises NotFound in access.py, which becomes a 404 here.
    """

    def decorator(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user: Any = request.user
            try:
                network = access.current_network(user)
                membership = access.membership(user, network)
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
