"""Signing up, in and out. Failed logins are throttled per (username, address) and per
address, sign-ups per address (services.throttle); sign-up exists only while KITH_SIGNUP
is on."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kithkin.errors import InvalidInput, Throttled, WrongPassword
from kithkin.queries.mfa import has_two_factor
from kithkin.services.accounts import sign_in, sign_up
from kithkin.services.throttle import client_address
from kithkin.web.forms import LoginForm, SignUpForm, add_service_error
from kithkin.web.views.two_factor import begin_second_step


def _client_ip(request: HttpRequest) -> str | None:
    """The client's address: X-Forwarded-For is read only from KITH_TRUSTED_PROXIES."""
    return client_address(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        settings.TRUSTED_PROXIES,
    )


def signup(request: HttpRequest) -> HttpResponse:
    if not settings.SIGNUP:
        raise Http404("Sign-up is turned off on this server.")
    if request.user.is_authenticated:
        return redirect("today")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = sign_up(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                time_zone=data["time_zone"],
                ip=_client_ip(request),
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        except Throttled as exc:
            form.add_error(None, str(exc))
            return render(request, "kithkin/signup.html", {"form": form}, status=429)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                "Welcome to Kithkin. Start by adding someone you want to keep in touch with.",
            )
            return redirect("today")
    return render(request, "kithkin/signup.html", {"form": form})


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(
                form.cleaned_data["username"], form.cleaned_data["password"], _client_ip(request)
            )
        except Throttled as exc:
            form.add_error(None, str(exc))
            return render(request, "kithkin/login.html", _login_page(form, next_url), status=429)
        except WrongPassword as exc:
            form.add_error(None, str(exc))
        else:
            if has_two_factor(user):  # the session signs in after the code (two_factor.py)
                return begin_second_step(request, user, getattr(user, "backend", ""), next_url)
            login(request, user)
            safe = url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            return redirect(next_url if next_url and safe else "today")
    return render(request, "kithkin/login.html", _login_page(form, next_url))


def _login_page(form: LoginForm, next_url: str) -> dict[str, object]:
    return {"form": form, "next": next_url, "signup_open": settings.SIGNUP}


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")
