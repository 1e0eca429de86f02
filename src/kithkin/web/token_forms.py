"""The API token form of the settings page: it parses what the page submits;
kithkin.services.tokens decides what it means."""

from __future__ import annotations

from django import forms

from kithkin.models import Network, Scope
from kithkin.services.tokens import MAX_LIFETIME_DAYS, MAX_NAME


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=MAX_NAME, help_text="What it is for, e.g. the program that will use it."
    )
    scope = forms.ChoiceField(
        choices=[(Scope.READ, "Read only"), (Scope.WRITE, "Read and write")], initial=Scope.READ
    )
    network = forms.TypedChoiceField(label="Networks", coerce=int, required=False, empty_value=None)
    days = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=MAX_LIFETIME_DAYS,
        help_text="Empty: until revoked.",
    )

    def __init__(self, *args: object, networks: list[Network], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["network"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "All my networks")] + [(n.pk, n.name) for n in networks]
