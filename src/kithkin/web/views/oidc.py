"""Signing in through the team's OpenID provider (docs/sso.md), and linking one's account
there from Settings. The protocol and the rules are in kithkin.services.oidc."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from kithkin.errors import InvalidInput, NotFound
from kithkin.queries.mfa import has_two_factor
from kithkin.services import oidc
from kithkin.web.forms import LoginForm
from kithkin.web.views.two_factor import begin_second_step, safe_next

BACKEND = "django.contrib.auth.backends.ModelBackend"
# What the way back from the provider is for: signing in, or linking the signed-in user.
PURPOSE = "kith_oidc_purpose"
NEXT = "kith_oidc_next"


def _require_configured() -> None:
    if not settings.OIDC:
        raise Http404("Single sign-on is not set up on this server.")


def _to_provider(request: HttpRequest, purpose: str, next_url: str) -> HttpResponse:
    request.session[PURPOSE] = purpose
    request.session[NEXT] = next_url
    try:
        return oidc.authorize_redirect(
            request, request.build_absolute_uri(reverse("oidc_callback"))
        )
    except oidc.SignInFailed as exc:
        return _refused(request, str(exc), status=502)


@require_safe
def oidc_login(request: HttpRequest) -> HttpResponse:
    """'Sign in with …' on the login page: off to the provider."""
    _require_configured()
    return _to_provider(request, "login", request.GET.get("next", ""))


@require_POST
@login_required
def oidc_link(request: HttpRequest) -> HttpResponse:
    """Settings: link the signed-in user to their account at the provider."""
    _require_configured()
    return _to_provider(request, "link", "")


@require_POST
@login_required
def oidc_unlink(request: HttpRequest) -> HttpResponse:
    _require_configured()
    try:
        oidc.unlink(request.user)  # type: ignore[arg-type]
    except InvalidInput as exc:
        messages.error(request, f"Your {oidc.provider_name()} account {exc.message}.")
    else:
        messages.success(request, f"Your {oidc.provider_name()} account is no longer linked.")
    return redirect("settings")


@require_safe
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error)."""
    _require_configured()
    purpose = request.session.pop(PURPOSE, "login")
    next_url = request.session.pop(NEXT, "")
    try:
        identity = oidc.complete(request)
    except oidc.SignInFailed as exc:
        return _refused(request, f"Signing in with {oidc.provider_name()} failed: {exc}.")
    user: Any = request.user
    if purpose == "link" and user.is_authenticated:
        try:
            oidc.link(user, identity)
        except InvalidInput as exc:
            messages.error(request, f"Your {oidc.provider_name()} account {exc.message}.")
        else:
            messages.success(request, f"Linked: you can now sign in with {oidc.provider_name()}.")
        return redirect("settings")
    try:
        found = oidc.user_for(identity)
    except (oidc.NotLinked, NotFound) as exc:
        return _refused(request, str(exc), status=403)
    except oidc.SignInFailed as exc:
        return _refused(request, f"Signing in with {oidc.provider_name()} failed: {exc}.")
    if has_two_factor(found):
        return begin_second_step(request, found, BACKEND, next_url)
    login(request, found, backend=BACKEND)
    return redirect(safe_next(request, next_url))


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """The login page again, saying why (shown by this very answer)."""
    messages.error(request, message)
    context = {"form": LoginForm(), "next": "", "signup_open": settings.SIGNUP}
    return render(request, "kithkin/login.html", context, status=status)
