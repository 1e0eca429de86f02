"""The webhooks of the current network (Settings → Webhooks): owners and editors see them
and their latest deliveries; an owner adds, tests, enables and removes them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models import Role
from kithkin.queries.webhooks import webhooks_of
from kithkin.services.webhooks import (
    NewSubscription,
    add_subscription,
    enable_subscription,
    ping_subscription,
    remove_subscription,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import add_service_error
from kithkin.web.webhook_forms import WebhookForm


def _page(
    request: NetworkRequest,
    *,
    form: WebhookForm | None = None,
    new_webhook: NewSubscription | None = None,
) -> HttpResponse:
    context = {
        "rows": webhooks_of(request.user, request.network),
        "can_manage": request.membership.role == Role.OWNER,
        "webhook_form": form or WebhookForm(),
        "new_webhook": new_webhook,
    }
    response = render(request, "kithkin/webhooks.html", context)
    if new_webhook is not None:
        response["Cache-Control"] = "no-store"  # the secret stays out of every cache
    return response


@network_view(form=True)
def webhooks_page(request: NetworkRequest) -> HttpResponse:
    """The list; its POST adds a webhook and shows the signing secret on this one answer
    (never stored in the clear, never redirected to, so it is shown once)."""
    if request.method != "POST":
        return _page(request)
    access.require_webhook_manager(request.user, request.network)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            made = add_subscription(
                request.network, request.user, form.cleaned_data["url"], form.cleaned_data["events"]
            )
        except InvalidInput as exc:
            add_service_error(form, exc)
        else:
            return _page(request, new_webhook=made)
    return _page(request, form=form)


@require_POST
@network_view(form=True)
def webhook_remove(request: NetworkRequest, webhook_id: int) -> HttpResponse:
    removed = remove_subscription(request.network, request.user, webhook_id)
    messages.success(request, f"Removed the webhook to {removed.display_url}.")
    return redirect("webhooks")


@require_POST
@network_view(form=True)
def webhook_test(request: NetworkRequest, webhook_id: int) -> HttpResponse:
    delivery = ping_subscription(request.network, request.user, webhook_id)
    timing = f" in {delivery.response_ms} ms" if delivery.response_ms is not None else ""
    if delivery.succeeded:
        messages.success(request, f"Ping delivered: HTTP {delivery.status_code}{timing}.")
    else:
        reason = delivery.error or f"HTTP {delivery.status_code}"
        messages.error(request, f"Ping failed: {reason}{timing}.")
    return redirect("webhooks")


@require_POST
@network_view(form=True)
def webhook_enable(request: NetworkRequest, webhook_id: int) -> HttpResponse:
    enabled = enable_subscription(request.network, request.user, webhook_id)
    messages.success(request, f"The webhook to {enabled.display_url} is on again.")
    return redirect("webhooks")
