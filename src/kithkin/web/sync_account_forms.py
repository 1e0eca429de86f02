"""The forms of Settings → Accounts: they parse what the page submits;
kithkin.services.sync_accounts decides what it means. A password field is never filled
back in: the page says whether one is set and offers to replace it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms

from kithkin.models import SyncAccount
from kithkin.services.sync_accounts import IMAP_PRESETS, MAX_MONTHS, MAX_NAME, TLS_MODES

if TYPE_CHECKING:
    from kithkin.web.decorators import NetworkRequest

PRESET_LABELS = {
    "gmail": "Gmail",
    "fastmail": "Fastmail",
    "icloud": "iCloud",
    "outlook": "Outlook.com",
}


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class ImapAccountForm(forms.Form):
    prefix = "imap"
    preset = forms.ChoiceField(
        label="Service",
        required=False,
        choices=[("", "Another server")] + [(key, PRESET_LABELS[key]) for key in IMAP_PRESETS],
        help_text="Fills the server, port and TLS: leave them empty.",
    )
    host = forms.CharField(label="IMAP server", required=False, max_length=255)
    port = forms.IntegerField(required=False, min_value=1, max_value=65535)
    tls = forms.ChoiceField(
        label="TLS",
        required=False,
        choices=[(mode, mode) for mode in TLS_MODES],
        initial="tls",
    )
    username = forms.CharField(label="User name", max_length=255)
    password = forms.CharField(
        label="App password", widget=forms.PasswordInput(render_value=False), max_length=1000
    )
    folders = forms.CharField(
        required=False, help_text="Comma-separated. Empty: the inbox and the sent folder."
    )
    months = forms.IntegerField(label="Months back", min_value=1, max_value=MAX_MONTHS, initial=12)
    subjects = forms.BooleanField(label="Log subjects", required=False, initial=True)
    name = forms.CharField(required=False, max_length=MAX_NAME)

    def folder_names(self) -> list[str]:
        return _names(self.cleaned_data["folders"])


class CaldavAccountForm(forms.Form):
    prefix = "caldav"
    url = forms.URLField(label="CalDAV URL", max_length=2000, assume_scheme="https")
    username = forms.CharField(label="User name", max_length=255)
    password = forms.CharField(
        label="App password", widget=forms.PasswordInput(render_value=False), max_length=1000
    )
    calendars = forms.CharField(required=False, help_text="Comma-separated. Empty: every one.")
    subjects = forms.BooleanField(label="Log event titles", required=False, initial=True)
    name = forms.CharField(required=False, max_length=MAX_NAME)

    def calendar_names(self) -> list[str]:
        return _names(self.cleaned_data["calendars"])


class CalendarUrlForm(forms.Form):
    prefix = "ics"
    url = forms.CharField(
        label="Secret calendar address",
        widget=forms.PasswordInput(render_value=False),
        max_length=2000,
        help_text="Such as Google's secret address in iCal format: it is a password.",
    )
    subjects = forms.BooleanField(label="Log event titles", required=False, initial=True)
    name = forms.CharField(required=False, max_length=MAX_NAME)


class SecretForm(forms.Form):
    secret = forms.CharField(
        label="Replace the password",
        widget=forms.PasswordInput(render_value=False),
        max_length=2000,
    )


def secret_form(account: SyncAccount) -> SecretForm:
    """The form replacing an account's secret: a calendar URL's is its address."""
    form = SecretForm(prefix=f"account-{account.pk}")
    if account.kind == SyncAccount.Kind.ICS:
        form.fields["secret"].label = "The new secret address"
    return form


def sync_accounts_context(request: NetworkRequest) -> dict[str, object]:
    """What the settings page's accounts section shows: the user's own accounts in the
    current network, each with its password form, and the three forms to add one."""
    from kithkin.queries.sync_accounts import accounts_of

    return {
        "sync_accounts": [
            (account, secret_form(account))
            for account in accounts_of(request.user, request.network)
        ],
        "imap_form": ImapAccountForm(),
        "caldav_form": CaldavAccountForm(),
        "ics_form": CalendarUrlForm(),
    }
