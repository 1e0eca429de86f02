"""A network's webhooks and their deliveries, as owners and editors see them (the URL
without its query string; the signing secret only once, when the webhook is added)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Instant, Shape

if TYPE_CHECKING:
    from kithkin.models import WebhookDelivery, WebhookSubscription


class WebhookDeliveryOut(Shape):
    """One attempt: ``status_code`` null when no answer came (``error`` says why),
    ``attempted_at`` null while it waits for ``next_attempt_at``; after a failed attempt,
    ``next_attempt_at`` is when the retry is due (null: none follows)."""

    id: int
    kind: str
    change_id: int | None
    attempt: int
    status_code: int | None
    error: str
    response_ms: int | None
    next_attempt_at: Instant | None
    attempted_at: Instant | None
    delivered_at: Instant | None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> Self:
        return cls(
            id=delivery.pk,
            kind=delivery.kind,
            change_id=delivery.change_id,
            attempt=delivery.attempt,
            status_code=delivery.status_code,
            error=delivery.error,
            response_ms=delivery.response_ms,
            next_attempt_at=delivery.next_attempt_at,
            attempted_at=delivery.attempted_at,
            delivered_at=delivery.delivered_at,
        )


class WebhookOut(Shape):
    """``events`` empty: every event; ``failure_count``: attempts failed in a row;
    ``recent``: the latest deliveries, newest first."""

    id: int
    url: str
    events: list[str]
    active: bool
    failure_count: int
    disabled_at: Instant | None
    disabled_reason: str
    created_at: Instant
    recent: list[WebhookDeliveryOut]

    @classmethod
    def of(cls, subscription: WebhookSubscription, recent: list[WebhookDelivery]) -> Self:
        return cls(
            id=subscription.pk,
            url=subscription.display_url,
            events=list(subscription.events),
            active=subscription.active,
            failure_count=subscription.failure_count,
            disabled_at=subscription.disabled_at,
            disabled_reason=subscription.disabled_reason,
            created_at=subscription.created_at,
            recent=[WebhookDeliveryOut.of(delivery) for delivery in recent],
        )


class WebhookCreatedOut(WebhookOut):
    """A webhook just added, with its signing ``secret``: printed this once."""

    secret: str

    @classmethod
    def made(cls, subscription: WebhookSubscription, secret: str) -> Self:
        return cls(**WebhookOut.of(subscription, []).model_dump(), secret=secret)
