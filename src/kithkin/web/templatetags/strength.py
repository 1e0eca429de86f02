"""The relationship strength section of the Settings page, filled from the network's
weights (``{% strength_settings %}`` in partials/settings_strength.html)."""

from __future__ import annotations

from typing import Any

from django import template

from kithkin.queries.strength import weights
from kithkin.web.strength_forms import StrengthWeightsForm

register = template.Library()


@register.inclusion_tag("kithkin/partials/settings_strength_form.html", takes_context=True)
def strength_settings(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    chosen = weights(request.network)
    form = StrengthWeightsForm(
        initial={"preset": chosen.preset or "custom", **chosen.weights.as_dict()}
    )
    return {
        "form": form,
        "can_write": request.membership.can_write,
        "csrf_token": context.get("csrf_token"),
    }
