"""CardDAV's app passwords on the settings page (docs/carddav.md): make one (the password
shown on this one answer), revoke one. Each is the user's own; another's is 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from kithkin.errors import NotFound
from kithkin.services.app_passwords import create_app_password, revoke_app_password
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.views.settings import _page


@require_POST
@network_view(form=True)
def app_password_make(request: NetworkRequest) -> HttpResponse:
    """Make an app password and show it, once: it is not stored, and this answer is
    neither redirected to nor cached."""
    made = create_app_password(request.user, request.POST.get("name", ""))
    response = _page(
        request,
        new_app_password=made,
        dav_url=request.build_absolute_uri(reverse("dav_root")),
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@network_view(form=True)
def app_password_revoke(request: NetworkRequest, app_password_id: int) -> HttpResponse:
    try:
        revoke_app_password(request.user, app_password_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, "Revoked the app password: whatever used it is signed out.")
    return redirect("settings")
