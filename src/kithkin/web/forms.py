"""Forms parse and validate what a page submits; services decide what it means."""

from __future__ import annotations

from typing import Any

from django import forms

from kithkin.dates import parse_every
from kithkin.errors import InvalidInput
from kithkin.models import Interaction
from kithkin.services.contact_rules import person_name

DATE = forms.DateInput(attrs={"type": "date"})


def cadence_days(text: str) -> int | None:
    """'30d', '6w', '3m' as days; empty: no cadence. A field error otherwise."""
    if not text.strip():
        return None
    try:
        return parse_every(text.strip()).approx_days
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message) from exc


class PersonForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=200)
    emails = forms.CharField(
        label="Email", required=False, help_text="One or more, separated by commas."
    )
    phones = forms.CharField(
        label="Phone", required=False, help_text="With the country code, e.g. +44 20 7946 0958."
    )
    urls = forms.CharField(
        label="Profiles and websites",
        required=False,
        help_text="LinkedIn, GitHub, Mastodon…, separated by commas.",
    )
    organization = forms.CharField(required=False, max_length=200)
    title = forms.CharField(label="Job title", required=False, max_length=200)
    circle = forms.ChoiceField(required=False)
    cadence = forms.CharField(
        label="Check in every",
        required=False,
        help_text="e.g. 30d, 6w, 3m — leave empty to follow the circle.",
    )
    tags = forms.CharField(required=False, help_text="Separated by commas.")
    headline = forms.CharField(required=False, max_length=200)
    location = forms.CharField(required=False, max_length=200)
    how_we_met = forms.CharField(
        label="How we met", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    what_matters = forms.CharField(
        label="What matters to them", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown."
    )

    def __init__(
        self, *args: Any, circles: list[str], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        circle_field: Any = self.fields["circle"]
        circle_field.choices = [("", "No circle"), *((name, name.title()) for name in circles)]
        if editing:  # contact points and jobs are edited on the person page
            for name in ("emails", "phones", "urls", "organization", "title"):
                del self.fields[name]

    def clean_cadence(self) -> int | None:
        return cadence_days(self.cleaned_data["cadence"])

    def clean_full_name(self) -> str:
        """The name as every write path takes it (contact_rules.person_name)."""
        try:
            return person_name(self.cleaned_data["full_name"], "full_name")
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    @staticmethod
    def split(text: str) -> list[str]:
        return [part.strip() for part in text.split(",") if part.strip()]


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(choices=Interaction.Kind.choices, initial=Interaction.Kind.CALL)
    on = forms.DateField(label="When", widget=DATE)
    summary = forms.CharField(
        label="What was it about?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    learned = forms.CharField(
        label="What I learned", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_questions = forms.CharField(
        label="Ask next time", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    direction = forms.ChoiceField(
        choices=Interaction.Direction.choices, initial=Interaction.Direction.MUTUAL
    )


class FollowUpForm(forms.Form):
    title = forms.CharField(label="What do you owe them?", max_length=300)
    due_on = forms.DateField(label="Due", widget=DATE)
    every = forms.CharField(
        label="Repeat every", required=False, help_text="e.g. 1w, 1m — leave empty for once."
    )

    def clean_every(self) -> str:
        text = self.cleaned_data["every"].strip()
        if text:
            try:
                parse_every(text)
            except InvalidInput as exc:
                raise forms.ValidationError(exc.message) from exc
        return text


class SnoozeForm(forms.Form):
    until = forms.DateField(widget=DATE)


class ContactPointForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("email", "Email"), ("phone", "Phone"), ("url", "Profile or website")]
    )
    value = forms.CharField(max_length=500)
    label = forms.CharField(required=False, max_length=40)


class AffiliationForm(forms.Form):
    organization = forms.CharField(max_length=200)
    title = forms.CharField(required=False, max_length=200)
    start_on = forms.DateField(label="Since", required=False, widget=DATE)


class SignUpForm(forms.Form):
    full_name = forms.CharField(label="Your name", max_length=200)
    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    time_zone = forms.CharField(max_length=64, initial="UTC", help_text="e.g. Europe/Paris")


class LoginForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PreferencesForm(forms.Form):
    time_zone = forms.CharField(
        max_length=64, help_text="Dates show in this zone; 'today' is your local day."
    )
    daily_outreach_budget = forms.IntegerField(label="Check-ins a day", min_value=1, max_value=200)
    phone_region = forms.CharField(
        label="Phone region",
        max_length=2,
        required=False,
        help_text="Country of numbers written without +code, e.g. FR.",
    )


class CircleForm(forms.Form):
    cadence = forms.CharField(label="Check in every", required=False, help_text="Empty: never due.")

    def clean_cadence(self) -> int | None:
        return cadence_days(self.cleaned_data["cadence"])


class PasswordForm(forms.Form):
    old_password = forms.CharField(
        label="Current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class InviteForm(forms.Form):
    email = forms.EmailField(required=False, help_text="Optional: a note of whom the link is for.")
    role = forms.ChoiceField(
        choices=[("editor", "Editor — can change everything"), ("viewer", "Viewer — can only look")]
    )


# Service field names that a form spells differently (a form takes several emails).
_FIELD_ALIASES = {
    "email": "emails",
    "phone": "phones",
    "url": "urls",
    "name": "full_name",
    "every": "cadence",
    "budget": "daily_outreach_budget",
    "time zone": "time_zone",
    "region": "phone_region",
}


def add_service_error(form: forms.Form, error: InvalidInput) -> None:
    """Show a service's InvalidInput next to the field it names, or above the form."""
    field: str | None = error.field
    if field not in form.fields:
        field = _FIELD_ALIASES.get(error.field)
    if field not in form.fields:
        field = None
    form.add_error(field, error.message if field else str(error))


def error_text(form: forms.Form) -> str:
    """All of a form's errors in one line, for a flash message."""
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


class FollowUpEditForm(FollowUpForm):
    """Edit a follow-up: its title, due date, recurrence and the people it is owed to."""

    title = forms.CharField(label="What do you owe them?", max_length=300)
    people = forms.CharField(
        label="Owed to",
        max_length=2000,
        help_text="Names or emails, separated by commas.",
    )

    field_order = ["title", "people", "due_on", "every"]
