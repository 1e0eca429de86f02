"""The strength weights form of the Settings page (docs/strength.md)."""

from __future__ import annotations

from django import forms

from kithkin import strength

LABELS = {
    "recency": "Recency (how lately)",
    "frequency": "Frequency (how often)",
    "depth": "Depth (meetings, calls, event conversations, mentoring)",
    "continuity": "Continuity (months in touch)",
    "reciprocity": "Reciprocity (they reached out)",
    "given": "Value I gave",
    "received": "Value they gave me",
}


class StrengthWeightsForm(forms.Form):
    """A preset, or each factor's weight (0-10) when the preset is "custom"."""

    preset = forms.ChoiceField(
        choices=[*strength.PRESET_LABELS.items(), ("custom", "Custom (the weights below)")]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in strength.FACTORS:
            self.fields[name] = forms.IntegerField(
                label=LABELS[name], min_value=0, max_value=strength.MAX_WEIGHT, required=False
            )
