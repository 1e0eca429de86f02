"""Webhooks: a network's changes POSTed, signed, to the URLs its owners subscribe.

- ``add_subscription`` checks the URL (``kithkin.outbound``: http(s) only, no private
  address) and makes a signing secret, shown once and stored encrypted with a key derived
  from the secret key (it must be recovered to sign).
- The ``webhooks`` change consumer makes a delivery (``WebhookDelivery``, attempt 1) for
  every subscription of the change's network that wants its kind, and enqueues ``deliver``
  for it, in the consumer's transaction: a change is queued exactly when it is consumed.
- ``deliver`` claims its delivery with one conditional UPDATE (so a task run twice sends
  once), POSTs the payload (10 s, no redirects, the URL checked again), and logs the
  answer. A failure is retried after ``RETRY_DELAYS`` (1 min, 5 min, 30 min, 2 h, 12 h),
  each retry a delivery row and a task run after its time. ``DISABLE_AFTER_FAILURES``
  attempts failed in a row, or a day of nothing but failures, disable the subscription:
  its owners see it on the settings page and `kith doctor` names it.
- ``ping_subscription`` sends a ``ping`` now and answers how it went.

Only an owner manages webhooks; owners and editors see them (``access``).
The payload and headers are documented in docs/webhooks.md, whose verification snippet
the tests run against real deliveries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django_tasks import task

from kithkin import access, clock, jobs, outbound, secret_box
from kithkin.errors import InvalidInput
from kithkin.models import Change, Network, User, WebhookDelivery, WebhookSubscription
from kithkin.services import changes

log = logging.getLogger(__name__)

PING = "ping"  # the event `kith webhook test` sends; not a change, never subscribed to
SECRET_PREFIX = "whsec_"
TIMEOUT_SECONDS = 10.0
# After a failed attempt n (1-based), the next one waits RETRY_DELAYS[n - 1]; after the
# last, the delivery has failed for good (6 attempts over about 14.6 hours).
RETRY_DELAYS: tuple[dt.timedelta, ...] = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A subscription is disabled after this many attempts failed in a row, or when every
# attempt for this long has failed.
DISABLE_AFTER_FAILURES = 8
DISABLE_AFTER_FAILING_FOR = dt.timedelta(days=1)
MAX_SUBSCRIPTIONS = 20  # per network
MAX_ERROR = WebhookDelivery._meta.get_field("error").max_length or 200
SIGNATURE_VERSION = "v1"


# --- the signing secret, encrypted at rest ---------------------------------------------


def encrypt_secret(secret: str) -> str:
    return secret_box.encrypt(secret, secret_box.WEBHOOK_SECRETS)


SecretLost = secret_box.SecretLost


def secret_of(subscription: WebhookSubscription) -> str:
    try:
        return secret_box.decrypt(subscription.secret_encrypted, secret_box.WEBHOOK_SECRETS)
    except SecretLost as exc:
        raise SecretLost(
            "its signing secret cannot be decrypted (KITH_SECRET_KEY changed): "
            "remove the webhook and add it again"
        ) from exc


# --- managing subscriptions ------------------------------------------------------------


@dataclass(frozen=True)
class NewSubscription:
    subscription: WebhookSubscription
    secret: str  # shown once


def _events(events: Iterable[str] | None) -> list[str]:
    chosen = sorted({event.strip() for event in events or () if event.strip()})
    unknown = [event for event in chosen if event not in changes.KINDS]
    if unknown:
        raise InvalidInput(
            "event",
            f"no event {', '.join(unknown)}: choose among {', '.join(changes.KINDS)} "
            "(or none for every event).",
        )
    return chosen


def _checked_url(url: str) -> str:
    url = url.strip()
    if not url:
        raise InvalidInput("url", "give the URL that receives the webhooks.")
    try:
        outbound.check_url(url)
    except outbound.Refused as exc:
        raise InvalidInput("url", str(exc)) from exc
    return url


def add_subscription(
    network: Network, user: User, url: str, events: Iterable[str] | None = None
) -> NewSubscription:
    """Subscribe ``url`` to the network's changes of ``events`` (none: every kind)."""
    access.require_webhook_manager(user, network)
    chosen = _events(events)
    url = _checked_url(url)  # resolves the host: outside the transaction
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        if WebhookSubscription.objects.filter(network=network).count() >= MAX_SUBSCRIPTIONS:
            raise InvalidInput("url", f"{network.name} has {MAX_SUBSCRIPTIONS} webhooks already.")
        subscription = WebhookSubscription.objects.create(
            network=network,
            created_by=user,
            url=url,
            events=chosen,
            secret_encrypted=encrypt_secret(secret),
            created_at=clock.now(),
            after_change_id=Change.objects.filter(network=network)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
            or 0,
        )
    return NewSubscription(subscription, secret)


@transaction.atomic
def remove_subscription(network: Network, user: User, subscription_id: int) -> WebhookSubscription:
    """Remove a webhook and its delivery log; queued deliveries are dropped with it."""
    subscription = access.webhook_subscription_for(user, network, subscription_id, manage=True)
    subscription.delete()
    return subscription


@transaction.atomic
def enable_subscription(network: Network, user: User, subscription_id: int) -> WebhookSubscription:
    """Turn a disabled webhook on again, its failures forgotten: the changes from now on
    are delivered (those made while it was off are not)."""
    subscription = access.webhook_subscription_for(user, network, subscription_id, manage=True)
    subscription.active = True
    subscription.failure_count = 0
    subscription.failing_since = None
    subscription.disabled_at = None
    subscription.disabled_reason = ""
    subscription.save(
        update_fields=[
            "active",
            "failure_count",
            "failing_since",
            "disabled_at",
            "disabled_reason",
        ]
    )
    return subscription


def ping_subscription(network: Network, user: User, subscription_id: int) -> WebhookDelivery:
    """Send a ``ping`` to the webhook now (disabled or not) and log it; its outcome does
    not count towards disabling."""
    subscription = access.webhook_subscription_for(user, network, subscription_id, manage=True)
    now = clock.now()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, kind=PING, next_attempt_at=now, attempted_at=now, created_at=now
    )
    payload: dict[str, object] = {
        "id": f"ping_{delivery.pk}",
        "kind": PING,
        "occurred_at": now.isoformat(),
        "network": {"id": network.pk, "name": network.name},
        "record_id": None,
        "person_ids": [],
        "data": {"subscription_id": subscription.pk},
    }
    _record_answer(delivery, _send(subscription, payload))
    return delivery


# --- what is sent ----------------------------------------------------------------------


def event_id(change: Change) -> str:
    """The event's id: the same for every attempt, so a receiver can drop repeats."""
    return f"chg_{change.pk}"


def payload_of(change: Change, network: Network) -> dict[str, object]:
    return {
        "id": event_id(change),
        "kind": change.kind,
        "occurred_at": change.occurred_at.astimezone(dt.UTC).isoformat(),
        "network": {"id": network.pk, "name": network.name},
        "record_id": change.record_id,
        "person_ids": list(change.person_ids),
        "data": change.data,
    }


def body_of(payload: dict[str, object]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` and the hex HMAC-SHA256, keyed by the secret, of ``"<timestamp>.<body>"``."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def headers_for(event: str, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Kithkin-Webhooks/1",
        "Kithkin-Webhook-Id": event,
        "Kithkin-Webhook-Timestamp": str(timestamp),
        "Kithkin-Webhook-Signature": signature(secret, timestamp, body),
    }


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    response_ms: int | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _send(subscription: WebhookSubscription, payload: dict[str, object]) -> Outcome:
    """POST the payload, signed now; never raises for what the network or receiver does."""
    try:
        secret = secret_of(subscription)
    except SecretLost as exc:
        return Outcome(None, str(exc)[:MAX_ERROR], None)
    body = body_of(payload)
    timestamp = int(clock.now().timestamp())
    headers = headers_for(str(payload["id"]), secret, timestamp, body)
    try:
        answer = outbound.post(subscription.url, body, headers, timeout=TIMEOUT_SECONDS)
    except outbound.Refused as exc:
        return Outcome(None, f"refused: {exc}"[:MAX_ERROR], None)
    except (OSError, http.client.HTTPException) as exc:
        text = str(exc) or type(exc).__name__
        return Outcome(None, text[:MAX_ERROR], None)
    error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    if 300 <= answer.status < 400:
        error = f"HTTP {answer.status}: redirects are not followed; subscribe the final URL"
    return Outcome(answer.status, error[:MAX_ERROR], answer.elapsed_ms)


def _record_answer(delivery: WebhookDelivery, outcome: Outcome) -> None:
    delivery.status_code = outcome.status_code
    delivery.error = outcome.error
    delivery.response_ms = outcome.response_ms
    if outcome.ok:
        delivery.delivered_at = clock.now()
    delivery.save(update_fields=["status_code", "error", "response_ms", "delivered_at"])


# --- reacting to changes ---------------------------------------------------------------


@changes.consumer("webhooks")
def on_changes(batch: Sequence[Change]) -> None:
    """A delivery, and its task, for each change and each active subscription wanting it."""
    network_ids = {change.network_id for change in batch}
    subscriptions: dict[int, list[WebhookSubscription]] = {}
    for subscription in WebhookSubscription.objects.filter(network_id__in=network_ids, active=True):
        subscriptions.setdefault(subscription.network_id, []).append(subscription)
    if not subscriptions:
        return
    now = clock.now()
    made = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                change=change,
                kind=change.kind,
                attempt=1,
                next_attempt_at=now,
                created_at=now,
            )
            for change in batch
            for subscription in subscriptions.get(change.network_id, ())
            if subscription.wants(change.kind) and change.pk > subscription.after_change_id
        ]
    )
    for delivery in made:
        if delivery.pk is None:  # pragma: no cover - every backend Kithkin runs returns ids
            raise RuntimeError("bulk_create returned no ids")
        deliver.enqueue(delivery.pk)


@task()
def deliver(delivery_id: int) -> str:
    """Make one attempt of one delivery; schedule the next when it fails."""
    now = clock.now()
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, attempted_at__isnull=True).update(
        attempted_at=now
    )
    if not claimed:
        return "already attempted, or removed"
    delivery = WebhookDelivery.objects.select_related("subscription__network", "change").get(
        pk=delivery_id
    )
    subscription = delivery.subscription
    if not subscription.active:
        delivery.error = "not sent: the webhook is disabled"
        delivery.save(update_fields=["error"])
        return "disabled"
    if delivery.change is None:  # pragma: no cover - pings are sent by ping_subscription
        return "nothing to send"
    outcome = _send(subscription, payload_of(delivery.change, subscription.network))
    with transaction.atomic():
        _record_answer(delivery, outcome)
        if outcome.ok:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                failure_count=0, failing_since=None
            )
            return "delivered"
        _count_failure(delivery, outcome)
    return "failed"


def _count_failure(delivery: WebhookDelivery, outcome: Outcome) -> None:
    """One more failure in a row: past the limits the subscription is disabled, else the
    retry is scheduled while attempts remain. The failed row says when (None: never)."""
    now = clock.now()
    subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
    subscription.failure_count += 1
    subscription.failing_since = subscription.failing_since or now
    subscription.save(update_fields=["failure_count", "failing_since"])
    if subscription.active and (
        subscription.failure_count >= DISABLE_AFTER_FAILURES
        or now - subscription.failing_since >= DISABLE_AFTER_FAILING_FOR
    ):
        _disable(subscription, outcome)
    due = None
    if subscription.active and delivery.attempt < MAX_ATTEMPTS:
        due = now + RETRY_DELAYS[delivery.attempt - 1]
    delivery.next_attempt_at = due
    delivery.save(update_fields=["next_attempt_at"])
    if due is not None:
        retry = WebhookDelivery.objects.create(
            subscription=subscription,
            change_id=delivery.change_id,
            kind=delivery.kind,
            attempt=delivery.attempt + 1,
            next_attempt_at=due,
            created_at=now,
        )
        deliver.using(run_after=due).enqueue(retry.pk)


def _disable(subscription: WebhookSubscription, outcome: Outcome) -> None:
    assert subscription.failing_since is not None
    subscription.active = False
    subscription.disabled_at = clock.now()
    subscription.disabled_reason = (
        f"{subscription.failure_count} deliveries in a row failed since "
        f"{subscription.failing_since:%Y-%m-%d %H:%M} UTC; the last: {outcome.error or 'no answer'}"
    )[:300]
    subscription.save(update_fields=["active", "disabled_at", "disabled_reason"])
    log.warning("webhook #%s disabled: %s", subscription.pk, subscription.disabled_reason)


# --- a task lost (a queue emptied, a worker killed mid-task) is sent again ---------------

SWEEP_EVERY = dt.timedelta(minutes=15)


@jobs.job("webhooks.sweep", every=SWEEP_EVERY)
def sweep(now: dt.datetime) -> int:
    """Enqueue again every delivery still not attempted a sweep's interval after it was
    due (its task was lost); ``deliver``'s claim keeps a delivery from being sent twice."""
    late = WebhookDelivery.objects.filter(
        attempted_at__isnull=True,
        next_attempt_at__lt=now - SWEEP_EVERY,
        subscription__active=True,
    ).values_list("pk", flat=True)[:1000]
    found = list(late)
    for delivery_id in found:
        deliver.enqueue(delivery_id)
    return len(found)


LOG_KEPT_FOR = dt.timedelta(days=30)


@jobs.job("webhooks.prune", every=dt.timedelta(days=1))
def prune(now: dt.datetime) -> int:
    """Forget deliveries attempted more than ``LOG_KEPT_FOR`` ago: the log shows the
    recent ones, and a network's changes would otherwise fill it without end."""
    deleted, _ = WebhookDelivery.objects.filter(attempted_at__lt=now - LOG_KEPT_FOR).delete()
    return deleted


def event_catalogue_markdown() -> str:
    """The table of events docs/webhooks.md shows (a test keeps the two equal)."""
    rows = ["| Event | When |", "|---|---|"]
    rows += [f"| `{kind}` | {meaning} |" for kind, meaning in changes.KINDS.items()]
    rows.append(f"| `{PING}` | `kith webhook test` (or Test on the settings page) was asked |")
    return "\n".join(rows)
