"""Settings → Accounts (docs/accounts.md): add an IMAP mail box, a CalDAV server or a
calendar URL; sync one soon; replace its password; remove it. Each account is the user's
own: another user's (a teammate's too) is not found (404)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kithkin.errors import InvalidInput
from kithkin.models import SyncAccount
from kithkin.services import sync_accounts
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.sync_account_forms import (
    CaldavAccountForm,
    CalendarUrlForm,
    ImapAccountForm,
    SecretForm,
)
from kithkin.web.views.settings import _page


def _add(
    request: NetworkRequest,
    form: forms.Form,
    context_name: str,
    create: Callable[[], SyncAccount],
) -> HttpResponse:
    if form.is_valid():
        try:
            account = create()
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Added {account.name}: the worker syncs it within a minute.")
            return redirect("settings")
    return _page(request, **{context_name: form})


@require_POST
@network_view(write=True)
def account_add_imap(request: NetworkRequest) -> HttpResponse:
    form = ImapAccountForm(request.POST)
    return _add(
        request,
        form,
        "imap_form",
        lambda: sync_accounts.add_imap_account(
            request.network,
            request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            preset=form.cleaned_data["preset"],
            host=form.cleaned_data["host"],
            port=form.cleaned_data["port"],
            tls=form.cleaned_data["tls"],
            name=form.cleaned_data["name"],
            folders=form.folder_names(),
            months=form.cleaned_data["months"],
            subjects=form.cleaned_data["subjects"],
        ),
    )


@require_POST
@network_view(write=True)
def account_add_caldav(request: NetworkRequest) -> HttpResponse:
    form = CaldavAccountForm(request.POST)
    return _add(
        request,
        form,
        "caldav_form",
        lambda: sync_accounts.add_caldav_account(
            request.network,
            request.user,
            url=form.cleaned_data["url"],
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            name=form.cleaned_data["name"],
            calendars=form.calendar_names(),
            subjects=form.cleaned_data["subjects"],
        ),
    )


@require_POST
@network_view(write=True)
def account_add_ics(request: NetworkRequest) -> HttpResponse:
    form = CalendarUrlForm(request.POST)
    return _add(
        request,
        form,
        "ics_form",
        lambda: sync_accounts.add_calendar_url(
            request.network,
            request.user,
            url=form.cleaned_data["url"],
            name=form.cleaned_data["name"],
            subjects=form.cleaned_data["subjects"],
        ),
    )


@require_POST
@network_view(write=True)
def account_sync(request: NetworkRequest, account_id: int) -> HttpResponse:
    account = sync_accounts.sync_soon(request.user, request.network, account_id)
    messages.success(request, f"{account.name} syncs within a minute.")
    return redirect("settings")


@require_POST
@network_view(write=True)
def account_secret(request: NetworkRequest, account_id: int) -> HttpResponse:
    account = sync_accounts.account_for(request.user, request.network, account_id)
    form = SecretForm(request.POST, prefix=f"account-{account.pk}")
    if form.is_valid():
        try:
            sync_accounts.replace_secret(
                request.user, request.network, account.pk, form.cleaned_data["secret"]
            )
        except InvalidInput as exc:
            messages.error(request, f"{account.name}: {exc.message}")
        else:
            messages.success(request, f"Replaced the password of {account.name}; it syncs soon.")
    else:
        messages.error(request, f"{account.name}: enter the new password.")
    return redirect("settings")


@require_POST
@network_view(form=True)
def account_remove(request: NetworkRequest, account_id: int) -> HttpResponse:
    account = sync_accounts.remove_account(request.user, request.network, account_id)
    messages.success(request, f"Removed {account.name}; the interactions it logged stay.")
    return redirect("settings")
