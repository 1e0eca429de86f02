"""The forms of two-factor sign-in: a code, a proof (password or code), a network's rule.
They parse what the pages submit; kithkin.services.mfa decides what it means."""

from __future__ import annotations

from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class ProofForm(forms.Form):
    proof = forms.CharField(
        label="Your password or a current code",
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class NetworkTwoFactorForm(forms.Form):
    requires_two_factor = forms.BooleanField(
        label="Members must use two-factor sign-in", required=False
    )
