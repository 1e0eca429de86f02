"""Two-factor sign-in (docs/two-factor.md): the second step of logging in, the Settings
page that turns it on and off, and a network owner's rule that members must use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_otp
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kithkin import clock
from kithkin.errors import Forbidden, InvalidInput, Throttled
from kithkin.models import RecoveryCode, RecoveryCodes, User
from kithkin.queries.mfa import has_two_factor, status_of
from kithkin.services import mfa
from kithkin.services.sessions import end_other_sessions
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.mfa_forms import CodeForm, NetworkTwoFactorForm, ProofForm

# Between the first factor and the second: who passed the first, how, when, and where to
# go after. The session is not signed in until the code is right.
PENDING = "kith_second_step"
PENDING_FOR = dt.timedelta(minutes=10)


def begin_second_step(
    request: HttpRequest, user: User, backend: str, next_url: str
) -> HttpResponse:
    """After the password (or the OpenID provider) for a user with two-factor on: ask for
    the code on a page of its own; nothing is signed in yet."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "at": clock.now().isoformat(),
        "next": next_url,
    }
    return redirect("login_code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    started = dt.datetime.fromisoformat(pending["at"])
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or clock.now() - started > PENDING_FOR:
        del request.session[PENDING]
        return None
    return user, pending


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    found = _pending(request)
    if found is None:
        messages.info(request, "Log in first; the code is asked for after your password.")
        return redirect("login")
    user, pending = found
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa.verify(user, form.cleaned_data["code"])
        except Throttled as exc:
            form.add_error(None, str(exc))
            return render(request, "kithkin/two_factor_login.html", {"form": form}, status=429)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])  # a new session key
            django_otp.login(request, device)
            if isinstance(device, RecoveryCodes):
                left = RecoveryCode.objects.filter(device=device).count()
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. Make new ones in Settings → "
                    "Two-factor if you are running out.",
                )
            return redirect(safe_next(request, pending["next"]))
    return render(request, "kithkin/two_factor_login.html", {"form": form})


def safe_next(request: HttpRequest, next_url: str) -> str:
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if next_url and safe else "today"


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # secrets and codes stay out of every cache
    return response


def _page(request: HttpRequest, status: int = 200, **context: object) -> HttpResponse:
    user: Any = request.user
    page = {
        "status": status_of(user),
        "enrolment": None if has_two_factor(user) else mfa.pending_enrolment(user),
        "code_form": CodeForm(),
        "proof_form": ProofForm(),
        "codes_form": ProofForm(prefix="codes"),
        **context,
    }
    return _no_store(render(request, "kithkin/two_factor.html", page, status=status))


# Not a network page: a member sent here by a network that requires two-factor must reach
# it (and every other network of theirs) without it.
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    try:
        mfa.start_enrolment(request.user)  # type: ignore[arg-type]
    except InvalidInput as exc:
        messages.error(request, exc.message.capitalize())
    return redirect("two_factor")


@require_POST
@login_required
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = mfa.confirm_enrolment(user, form.cleaned_data["code"])
        except Throttled as exc:
            form.add_error(None, str(exc))
            return _page(request, status=429, code_form=form)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            ended = end_other_sessions(user, request.session.session_key)
            messages.success(
                request,
                "Two-factor is on."
                + (
                    f" Signed out {ended} other session{'s' if ended != 1 else ''}."
                    if ended
                    else ""
                ),
            )
            return _page(request, new_codes=codes)
    return _page(request, code_form=form)


@require_POST
@login_required
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    form = ProofForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = mfa.regenerate_recovery_codes(request.user, form.cleaned_data["proof"])  # type: ignore[arg-type]
        except Throttled as exc:
            form.add_error(None, str(exc))
            return _page(request, status=429, codes_form=form)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "New recovery codes: the old ones no longer work.")
            return _page(request, new_codes=codes)
    return _page(request, codes_form=form)


@require_POST
@login_required
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = ProofForm(request.POST)
    if form.is_valid():
        try:
            mfa.disable(request.user, form.cleaned_data["proof"])  # type: ignore[arg-type]
        except Throttled as exc:
            form.add_error(None, str(exc))
            return _page(request, status=429, proof_form=form)
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Two-factor is off.")
            return redirect("two_factor")
    return _page(request, proof_form=form)


@network_view(write=True)
def network_two_factor(request: NetworkRequest) -> HttpResponse:
    """An owner requires (or stops requiring) two-factor of the network's members."""
    form = NetworkTwoFactorForm(request.POST)
    required = form.is_valid() and form.cleaned_data["requires_two_factor"]
    try:
        mfa.set_required(request.network, request.user, required)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except InvalidInput as exc:
        messages.error(request, f"Two-factor: {exc.message}.")
    else:
        messages.success(
            request,
            "Members must now use two-factor sign-in to open this network."
            if required
            else "Two-factor sign-in is no longer required here.",
        )
    return redirect("network")
