"""`{% failing_webhooks as failing %}`: the settings page's notice of webhooks that are
disabled or failing, in the networks the signed-in user owns."""

from __future__ import annotations

from typing import Any

from django import template

from kithkin.models import WebhookSubscription
from kithkin.queries.webhooks import failing_subscriptions

register = template.Library()


@register.simple_tag(takes_context=True)
def failing_webhooks(context: dict[str, Any]) -> list[WebhookSubscription]:
    user = context["request"].user
    return failing_subscriptions(user) if user.is_authenticated else []
