"""Reads about webhooks: a network's subscriptions with their latest deliveries, the ones
failing or disabled that their owners must hear about, and `kith doctor`'s check."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from kithkin import access
from kithkin.doctor import Finding, check
from kithkin.models import Network, Role, User, WebhookDelivery, WebhookSubscription

RECENT_DELIVERIES = 5


@dataclass(frozen=True)
class WebhookRow:
    subscription: WebhookSubscription
    recent: list[WebhookDelivery]  # newest first

    @property
    def failing(self) -> bool:
        return not self.subscription.active or self.subscription.failure_count > 0


def webhooks_of(
    user: User, network: Network, *, recent: int = RECENT_DELIVERIES
) -> list[WebhookRow]:
    """The network's webhooks, oldest first, each with its latest deliveries (owners and
    editors only: ``access.require_webhook_reader``)."""
    access.require_webhook_reader(user, network)
    subscriptions = list(WebhookSubscription.objects.filter(network=network))
    # the latest ``recent`` of every webhook in one query, not one query per webhook
    latest = (
        WebhookDelivery.objects.filter(subscription__in=subscriptions)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("subscription_id"),
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=recent)
        .order_by("subscription_id", "-created_at", "-id")
    )
    by_subscription: dict[int, list[WebhookDelivery]] = {}
    for delivery in latest:
        by_subscription.setdefault(delivery.subscription_id, []).append(delivery)
    return [
        WebhookRow(subscription, by_subscription.get(subscription.pk, []))
        for subscription in subscriptions
    ]


def _failing() -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(Q(active=False) | Q(failure_count__gt=0))


def failing_subscriptions(user: User) -> list[WebhookSubscription]:
    """Webhooks that are disabled or whose latest attempts failed, in the networks the
    user owns (who can fix them): the settings page's notice, and the digest's line."""
    owned = Network.objects.filter(memberships__user=user, memberships__role=Role.OWNER)
    return list(
        _failing()
        .filter(network__in=owned)
        .select_related("network")
        .order_by("network__name", "created_at", "id")
    )


@check("webhooks")
def webhooks_deliver() -> list[Finding]:
    """Every webhook disabled after repeated failures, or failing now, is a problem."""
    findings = []
    for subscription in _failing().select_related("network").order_by("network_id", "id"):
        where = f"Webhook #{subscription.pk} of {subscription.network.name} ({subscription.display_url})"
        if not subscription.active:
            findings.append(
                Finding(
                    "webhooks",
                    False,
                    f"{where} is disabled: {subscription.disabled_reason}. Fix the receiver, "
                    f"check it with `kith webhook test {subscription.pk}`, then enable it on "
                    "the settings page or with `kith webhook enable "
                    f"{subscription.pk}`.",
                )
            )
        else:
            findings.append(
                Finding(
                    "webhooks",
                    False,
                    f"{where}: its last {subscription.failure_count} deliveries failed; it is "
                    "retried, and disabled if it keeps failing (`kith webhook list`).",
                )
            )
    if not findings:
        count = WebhookSubscription.objects.count()
        private = (
            " (KITH_WEBHOOKS_ALLOW_PRIVATE is on: they may reach private addresses)"
            if settings.WEBHOOKS_ALLOW_PRIVATE
            else ""
        )
        findings.append(Finding("webhooks", True, f"{count} webhooks, none failing{private}."))
    return findings
