"""Settings: my time zone, the network's budget and circles, password and sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kithkin import access
from kithkin.backups.schedule import status_for as backup_status_for
from kithkin.errors import InvalidInput
from kithkin.models import Network
from kithkin.queries.circles import circles_with_sizes
from kithkin.services.accounts import change_password, update_settings
from kithkin.services.app_passwords import app_passwords_of
from kithkin.services.feeds import feed_settings
from kithkin.services.people import set_circle_cadence
from kithkin.services.sessions import end_other_sessions, sessions_of
from kithkin.services.tokens import create_token, revoke_token, tokens_of
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import (
    CircleForm,
    PasswordForm,
    PreferencesForm,
    add_service_error,
    error_text,
)
from kithkin.web.sync_account_forms import sync_accounts_context
from kithkin.web.token_forms import TokenForm


def _page(request: NetworkRequest, **forms: object) -> HttpResponse:
    circles = circles_with_sizes(request.network)
    context = {
        "preferences": PreferencesForm(
            initial={
                "time_zone": request.user.time_zone,
                "daily_outreach_budget": request.network.daily_outreach_budget,
                "phone_region": request.network.phone_region,
            }
        ),
        "password_form": PasswordForm(),
        "circles": [
            (
                circle,
                CircleForm(
                    prefix=f"circle-{circle.pk}",
                    initial={"cadence": f"{circle.cadence_days}d" if circle.cadence_days else ""},
                ),
            )
            for circle in circles
        ],
        "sessions": sessions_of(request.user, request.session.session_key),
        "token_form": TokenForm(networks=_networks(request)),
        "tokens": tokens_of(request.user),
        "feeds": feed_settings(request.user),
        "app_passwords": app_passwords_of(request.user),
        "backups": backup_status_for(request.user),
        **sync_accounts_context(request),
        **forms,
    }
    return render(request, "kithkin/settings.html", context)


@network_view(form=True)
def settings_page(request: NetworkRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        budget = form.cleaned_data["daily_outreach_budget"]
        region = form.cleaned_data["phone_region"].strip().upper()
        network_changes = (
            budget != request.network.daily_outreach_budget
            or region != request.network.phone_region
        )
        if network_changes and not request.membership.can_write:
            raise PermissionDenied("Only editors change the network's budget or phone region.")
        can_write = request.membership.can_write
        try:
            update_settings(
                request.user,
                request.network,
                time_zone=form.cleaned_data["time_zone"],
                daily_outreach_budget=budget if can_write else None,
                phone_region=region if can_write else None,
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("settings")
    return _page(request, preferences=form)


@network_view(write=True)
def circle_update(request: NetworkRequest, circle_id: int) -> HttpResponse:
    circle = access.circle_for(request.user, request.network, circle_id)
    form = CircleForm(request.POST, prefix=f"circle-{circle.pk}")
    if form.is_valid():
        moved = set_circle_cadence(
            request.network, request.user, circle, form.cleaned_data["cadence"]
        )
        messages.success(request, f"{circle.name.title()}: saved; {moved} due dates moved.")
    else:
        messages.error(request, f"{circle.name.title()}: " + error_text(form))
    return redirect("settings")


@network_view(form=True)
def password_change(request: NetworkRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("settings")
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            change_password(
                request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "Password changed. Other sessions are signed out.")
            return redirect("settings")
    return _page(request, password_form=form)


@network_view(form=True)
def sessions_end_others(request: NetworkRequest) -> HttpResponse:
    if request.method == "POST":
        ended = end_other_sessions(request.user, request.session.session_key)
        messages.success(request, f"Signed out {ended} other session{'s' if ended != 1 else ''}.")
    return redirect("settings")


def _networks(request: NetworkRequest) -> list[Network]:
    return [grant.network for grant in access.grants_of(request.user)]


@require_POST
@network_view(form=True)
def token_create(request: NetworkRequest) -> HttpResponse:
    """Make a token and show its secret on this one answer (never stored, never redirected
    to, so it is shown once). Any member may make one: a viewer's can only read."""
    form = TokenForm(request.POST, networks=_networks(request))
    if form.is_valid():
        network_id = form.cleaned_data["network"]
        try:
            made = create_token(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["scope"],
                network=access.network_for(request.user, network_id) if network_id else None,
                expires_in_days=form.cleaned_data["days"],
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            response = _page(request, new_token=made)
            response["Cache-Control"] = "no-store"  # the secret stays out of every cache
            return response
    return _page(request, token_form=form)


@require_POST
@network_view(form=True)
def token_revoke(request: NetworkRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is not found: 404)."""
    revoked = revoke_token(request.user, token_id)
    messages.success(request, f"Revoked the token {revoked.name!r}: it opens nothing now.")
    return redirect("settings")
