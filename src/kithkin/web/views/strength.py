"""Relationship strength's weights, saved from the Settings page (docs/strength.md)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kithkin import strength
from kithkin.errors import InvalidInput
from kithkin.services.strength import set_weights
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import error_text
from kithkin.web.strength_forms import StrengthWeightsForm


@require_POST
@network_view(write=True)
def strength_weights(request: NetworkRequest) -> HttpResponse:
    """A preset, or each factor's weight; viewers get 403 (the decorator)."""
    form = StrengthWeightsForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Relationship strength: {error_text(form)}")
        return redirect("settings")
    data = form.cleaned_data
    try:
        if data["preset"] == "custom":
            chosen = {name: data[name] for name in strength.FACTORS if data.get(name) is not None}
            set_weights(request.network, request.user, weights=chosen)
        else:
            set_weights(request.network, request.user, preset=data["preset"])
    except InvalidInput as exc:
        messages.error(request, f"Relationship strength: {exc}")
    else:
        messages.success(request, "Relationship strength weights saved.")
    return redirect("settings")
