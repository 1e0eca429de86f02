"""The forms of the organizations and memberships pages: they parse what a page submits;
kithkin.services.memberships decides what it means."""

from __future__ import annotations

from django import forms

from kithkin.models import Organization
from kithkin.services.memberships import NOTICE_LIMIT
from kithkin.web.forms import DATE


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Organization.Kind.choices, initial=Organization.Kind.COMPANY)
    website = forms.CharField(required=False, max_length=500)
    tags = forms.CharField(required=False, help_text="Separated by commas.")
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Markdown."
    )

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class JoinForm(forms.Form):
    role = forms.CharField(max_length=200, initial="member")
    since = forms.DateField(required=False, widget=DATE, help_text="Empty: today.")
    renews_on = forms.DateField(label="Renews on", required=False, widget=DATE)


class RenewForm(forms.Form):
    until = forms.DateField(label="Renewed until", widget=DATE)


class NoticeForm(forms.Form):
    renewal_notice_days = forms.IntegerField(
        label="Renewal reminders, days ahead", min_value=0, max_value=NOTICE_LIMIT
    )
