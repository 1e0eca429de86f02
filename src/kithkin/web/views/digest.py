"""The digest's pages: its preferences on Settings, and the unsubscribe link of its emails
(RFC 8058: a POST unsubscribes without signing in; a GET only asks)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kithkin import access
from kithkin.errors import InvalidInput, NotFound
from kithkin.services.accounts import switch_network
from kithkin.services.digest import save_preferences, unsubscribe, user_of_token
from kithkin.web.digest_forms import DigestForm
from kithkin.web.forms import error_text


@login_required
@require_POST
def digest_settings(request: HttpRequest) -> HttpResponse:
    """Save the signed-in user's own digest preferences (any role: they change no network)."""
    form = DigestForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Daily digest: {error_text(form)}")
        return redirect("settings")
    data = form.cleaned_data
    try:
        save_preferences(
            request.user,  # type: ignore[arg-type]
            enabled=data["enabled"],
            send_at=data["send_at"],
            days=[int(day) for day in data["days"]],
            weekly_review=data["weekly_review"],
            weekly_review_day=data["weekly_review_day"],
            ntfy_url=data["ntfy_url"],
        )
    except InvalidInput as exc:
        messages.error(request, f"Daily digest: {exc}")
    else:
        messages.success(request, "Daily digest saved.")
    return redirect("settings")


@csrf_exempt  # mail clients POST the one-click unsubscribe without a page or a cookie
@require_http_methods(["GET", "HEAD", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = user_of_token(token) if request.method != "POST" else unsubscribe(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    done = request.method == "POST"
    return render(request, "kithkin/digest_unsubscribe.html", {"done": done, "who": user})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def digest_open(request: HttpRequest, network_id: int) -> HttpResponse:
    """A digest's link into one of several networks: straight to the page when it is the
    network the user works in; else a page asking to switch (the switch is a POST)."""
    user: Any = request.user
    try:
        network = access.network_for(user, network_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    to = request.GET.get("to", "")
    if not to.startswith("/") or not url_has_allowed_host_and_scheme(
        to, allowed_hosts={request.get_host()}
    ):
        to = "/today/"
    if request.method == "POST":
        switch_network(user, network)
        return redirect(to)
    if user.current_network_id == network.pk:
        return redirect(to)
    return render(request, "kithkin/digest_open.html", {"target": network, "to": to})
