"""The digest preferences form of the Settings page."""

from __future__ import annotations

import datetime as dt

from django import forms

from kithkin.models.digest import WEEKDAYS

DAY_CHOICES = [(str(number), name) for number, name in enumerate(WEEKDAYS)]


class DigestForm(forms.Form):
    enabled = forms.BooleanField(label="Email me the daily digest", required=False)
    send_at = forms.TimeField(
        label="At (your time)",
        initial=dt.time(7, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    days = forms.MultipleChoiceField(
        label="On", choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    weekly_review = forms.BooleanField(label="Add the weekly review", required=False)
    weekly_review_day = forms.TypedChoiceField(
        label="Weekly review on", choices=DAY_CHOICES, coerce=int
    )
    ntfy_url = forms.URLField(
        label="ntfy topic URL",
        required=False,
        assume_scheme="https",
        help_text="Push the plan to your phone too, e.g. https://ntfy.sh/your-secret-topic.",
    )
