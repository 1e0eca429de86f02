"""The webhook form of the settings page: it parses what the page submits;
kithkin.services.webhooks decides what it means (the URL's guard, the events known)."""

from __future__ import annotations

from django import forms

from kithkin.models import WebhookSubscription
from kithkin.services.changes import KINDS

MAX_URL = WebhookSubscription._meta.get_field("url").max_length or 2000


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=MAX_URL,
        help_text="http(s), a public address. Changes are POSTed to it, signed.",
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=[(kind, kind) for kind in KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None chosen: every event.",
    )
