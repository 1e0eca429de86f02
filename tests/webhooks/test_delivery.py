"""Webhook deliveries against a real receiver on 127.0.0.1: the log, the retries and their
timing, the signature checked by the snippet docs/webhooks.md gives, disabling."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from kithkin import doctor
from kithkin.models import Change, WebhookDelivery, WebhookSubscription
from kithkin.queries.webhooks import failing_subscriptions, webhooks_deliver
from kithkin.services import changes, webhooks
from tests.conftest import FROZEN_NOW
from tests.factories import make_person, network_of
from tests.webhooks.receiver import run_ready_tasks

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
NOW = FROZEN_NOW.astimezone(dt.UTC)

pytestmark = pytest.mark.usefixtures("allow_private")


def documented_verify():
    """The `verify` function of docs/webhooks.md, exactly as written there."""
    snippet = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert snippet, "docs/webhooks.md lost its Python snippet"
    namespace: dict = {}
    exec(snippet.group(1), namespace)
    return namespace["verify"]


def attempts(subscription) -> list[tuple[int, int | None, dt.datetime | None]]:
    """(attempt, status code, next attempt at) of every delivery, oldest first."""
    return [
        (d.attempt, d.status_code, d.next_attempt_at)
        for d in WebhookDelivery.objects.filter(subscription=subscription).order_by("id")
    ]


def subscribe(network, owner, receiver, **kwargs):
    return webhooks.add_subscription(network, owner, receiver.url, **kwargs)


def test_a_receiver_that_fails_twice_then_succeeds_gets_it_on_the_third_attempt(
    network, owner, receiver, frozen_time
):
    made = subscribe(network, owner, receiver)
    receiver.answers = [500, 500]
    change = changes.record(network, "person.created", actor=owner, record_id=7, person_ids=[7])
    changes.dispatch()

    assert run_ready_tasks() == 1
    assert attempts(made.subscription) == [
        (1, 500, NOW + dt.timedelta(minutes=1)),
        (2, None, NOW + dt.timedelta(minutes=1)),
    ]
    assert run_ready_tasks() == 0  # the retry waits its minute
    frozen_time.shift(dt.timedelta(seconds=59))
    assert run_ready_tasks() == 0
    frozen_time.shift(dt.timedelta(seconds=1))
    assert run_ready_tasks() == 1
    second_failed_at = NOW + dt.timedelta(minutes=1)
    assert attempts(made.subscription)[1:] == [
        (2, 500, second_failed_at + dt.timedelta(minutes=5)),
        (3, None, second_failed_at + dt.timedelta(minutes=5)),
    ]
    frozen_time.shift(dt.timedelta(minutes=5))
    assert run_ready_tasks() == 1

    log = WebhookDelivery.objects.filter(subscription=made.subscription).order_by("id")
    assert [(d.attempt, d.status_code, d.error) for d in log] == [
        (1, 500, "HTTP 500"),
        (2, 500, "HTTP 500"),
        (3, 200, ""),
    ]
    assert log[2].delivered_at == NOW + dt.timedelta(minutes=6)
    assert all(d.response_ms is not None for d in log)
    subscription = WebhookSubscription.objects.get()
    assert subscription.active and subscription.failure_count == 0
    assert subscription.failing_since is None

    # Three requests, one event: the same id and body each time, each signed afresh.
    assert len(receiver.received) == 3
    assert {r.headers["Kithkin-Webhook-Id"] for r in receiver.received} == {f"chg_{change.pk}"}
    assert len({r.body for r in receiver.received}) == 1
    assert [r.path for r in receiver.received] == ["/hooks/kithkin?token=abc"] * 3
    verify = documented_verify()
    assert verify(made.secret, receiver.received[2].headers, receiver.received[2].body)
    first = receiver.received[0]  # signed six minutes ago: too old now
    assert not verify(made.secret, first.headers, first.body)
    for request in receiver.received:
        assert verify(made.secret, request.headers, request.body, tolerance=3600)
    assert receiver.received[2].headers["Kithkin-Webhook-Timestamp"] == str(
        int((NOW + dt.timedelta(minutes=6)).timestamp())
    )


def test_the_payload_names_the_change(network, owner, receiver):
    ada = make_person(network, "Ada Lovelace")  # before the webhook: not its to send
    subscribe(network, owner, receiver)
    change = changes.record(
        network,
        "interaction.logged",
        actor=owner,
        record_id=981,
        person_ids=[ada.pk],
        data={"kind": "call"},
    )
    changes.dispatch()
    run_ready_tasks()

    (request,) = receiver.received
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.body) == {
        "id": f"chg_{change.pk}",
        "kind": "interaction.logged",
        "occurred_at": NOW.isoformat(),
        "network": {"id": network.pk, "name": network.name},
        "record_id": 981,
        "person_ids": [ada.pk],
        "data": {"kind": "call"},
    }


def test_the_documented_snippet_refuses_a_tampered_body_a_wrong_secret_and_an_old_delivery(
    network, owner, receiver, frozen_time
):
    made = subscribe(network, owner, receiver)
    changes.record(network, "follow_up.done", actor=owner, record_id=3)
    changes.dispatch()
    run_ready_tasks()
    (request,) = receiver.received
    verify = documented_verify()

    assert verify(made.secret, request.headers, request.body)
    tampered = request.body.replace(b'"record_id":3', b'"record_id":4')
    assert tampered != request.body
    assert not verify(made.secret, request.headers, tampered)
    assert not verify(webhooks.SECRET_PREFIX + "guessed", request.headers, request.body)
    frozen_time.shift(dt.timedelta(minutes=6))  # a replay, six minutes later
    assert not verify(made.secret, request.headers, request.body)


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    assert webhooks.signature("whsec_k", 1771574400, b'{"a":1}') == (
        "v1=" + __import__("hmac").new(b"whsec_k", b'1771574400.{"a":1}', "sha256").hexdigest()
    )


def test_a_webhook_gets_only_the_events_it_chose(network, owner, receiver):
    subscribe(network, owner, receiver, events=["interaction.logged"])
    changes.record(network, "person.created", actor=owner)
    changes.record(network, "interaction.logged", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    assert [json.loads(r.body)["kind"] for r in receiver.received] == ["interaction.logged"]


def test_another_networks_changes_never_reach_this_networks_webhook(
    network, owner, outsider, receiver
):
    subscribe(network, owner, receiver)
    elsewhere = network_of(outsider)
    changes.record(elsewhere, "person.created", actor=outsider, record_id=1)
    changes.record(network, "person.created", actor=owner, record_id=2)
    changes.dispatch()
    run_ready_tasks()
    assert [json.loads(r.body)["record_id"] for r in receiver.received] == [2]
    assert WebhookDelivery.objects.count() == 1


def test_an_unknown_event_is_refused(network, owner, receiver):
    from kithkin.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"no event person\.teleported"):
        subscribe(network, owner, receiver, events=["person.teleported"])


def test_a_redirect_is_a_failure_and_is_not_followed(network, owner, receiver):
    made = subscribe(network, owner, receiver)
    receiver.answers = [302]
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    first = WebhookDelivery.objects.filter(subscription=made.subscription, attempt=1).get()
    assert first.status_code == 302 and "redirects are not followed" in first.error
    assert len(receiver.received) == 1


def test_a_delivery_whose_task_runs_twice_is_sent_once(network, owner, receiver):
    subscribe(network, owner, receiver)
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    delivery = WebhookDelivery.objects.get()
    assert webhooks.deliver.call(delivery.pk) == "delivered"
    assert webhooks.deliver.call(delivery.pk) == "already attempted, or removed"
    assert len(receiver.received) == 1


def test_a_lost_task_is_enqueued_again_by_the_sweep(network, owner, receiver, frozen_time):
    subscribe(network, owner, receiver)
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    DBTaskResult.objects.all().delete()  # the queue lost it
    assert webhooks.sweep(NOW) == 0  # not late yet
    frozen_time.shift(dt.timedelta(minutes=16))
    assert webhooks.sweep(NOW + dt.timedelta(minutes=16)) == 1
    run_ready_tasks()
    assert len(receiver.received) == 1


def test_eight_failures_in_a_row_disable_the_webhook_and_its_owner_is_told(
    network, owner, teammate, receiver, frozen_time
):
    made = subscribe(network, owner, receiver)
    receiver.then = 503
    for number in range(8):
        changes.record(network, "person.created", actor=owner, record_id=number)
    changes.dispatch()
    assert run_ready_tasks() == 8

    subscription = WebhookSubscription.objects.get()
    assert not subscription.active
    assert subscription.disabled_at == NOW
    assert subscription.disabled_reason.startswith("8 deliveries in a row failed")
    assert "HTTP 503" in subscription.disabled_reason
    # The first seven were to be retried; the eighth disabled it instead.
    pending = WebhookDelivery.objects.filter(attempted_at__isnull=True)
    assert pending.count() == 7
    frozen_time.shift(dt.timedelta(minutes=1))
    assert run_ready_tasks() == 7
    assert len(receiver.received) == 8  # the retries were not sent
    assert set(WebhookDelivery.objects.filter(attempt=2).values_list("error", flat=True)) == {
        "not sent: the webhook is disabled"
    }
    # New changes are not even queued for it.
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    assert WebhookDelivery.objects.filter(attempted_at__isnull=True).count() == 0

    assert failing_subscriptions(owner) == [made.subscription]
    assert failing_subscriptions(teammate) == []  # an editor cannot fix it
    (finding,) = webhooks_deliver()
    assert not finding.ok
    assert f"Webhook #{subscription.pk}" in finding.detail and "disabled" in finding.detail
    assert "token=abc" not in finding.detail  # the query string stays private
    assert any(f.check == "webhooks" and not f.ok for f in doctor.run_checks())

    webhooks.enable_subscription(network, owner, subscription.pk)
    receiver.then = 200
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    assert receiver.received[-1].headers["Kithkin-Webhook-Id"] == (
        f"chg_{Change.objects.latest('id').pk}"
    )
    assert webhooks_deliver()[0].ok


def test_a_day_of_failures_disables_the_webhook(network, owner, receiver, frozen_time):
    subscribe(network, owner, receiver)
    receiver.then = 500
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    for delay in (0, *(d.total_seconds() for d in webhooks.RETRY_DELAYS)):
        frozen_time.shift(dt.timedelta(seconds=delay))
        assert run_ready_tasks() == 1
    subscription = WebhookSubscription.objects.get()
    # Six attempts over 14h36: given up, still on (and `kith doctor` says it is failing).
    assert subscription.active and subscription.failure_count == webhooks.MAX_ATTEMPTS
    assert WebhookDelivery.objects.filter(attempted_at__isnull=True).count() == 0
    last = WebhookDelivery.objects.get(attempt=webhooks.MAX_ATTEMPTS)
    assert last.next_attempt_at is None
    assert "its last 6 deliveries failed" in webhooks_deliver()[0].detail

    frozen_time.shift(dt.timedelta(hours=10))  # 24h36 after the first failure
    changes.record(network, "person.updated", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    subscription.refresh_from_db()
    assert not subscription.active
    assert subscription.failure_count == 7


def test_a_test_sends_a_ping_now_and_does_not_count_as_a_failure(network, owner, receiver):
    made = subscribe(network, owner, receiver)
    delivery = webhooks.ping_subscription(network, owner, made.subscription.pk)
    assert delivery.status_code == 200 and delivery.succeeded
    (request,) = receiver.received
    body = json.loads(request.body)
    assert body["kind"] == "ping" and body["id"] == f"ping_{delivery.pk}"
    assert documented_verify()(made.secret, request.headers, request.body)

    receiver.answers = [500]
    failed = webhooks.ping_subscription(network, owner, made.subscription.pk)
    assert failed.status_code == 500 and not failed.succeeded
    made.subscription.refresh_from_db()
    assert made.subscription.failure_count == 0


def test_the_signing_secret_is_stored_encrypted_and_recovered(network, owner, receiver):
    made = subscribe(network, owner, receiver)
    stored = WebhookSubscription.objects.get()
    assert made.secret.startswith("whsec_")
    assert made.secret not in stored.secret_encrypted
    assert webhooks.secret_of(stored) == made.secret


def test_a_secret_key_change_is_reported_on_the_delivery(network, owner, receiver, settings):
    subscribe(network, owner, receiver)
    settings.SECRET_KEY = "another-secret-key-of-at-least-32-characters"
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    delivery = WebhookDelivery.objects.get(attempt=1)
    assert "KITH_SECRET_KEY changed" in delivery.error
    assert receiver.received == []


def test_docs_list_every_event():
    block = DOC.read_text().split("<!-- events -->\n")[1].split("\n<!-- /events -->")[0]
    assert block == webhooks.event_catalogue_markdown(), (
        "docs/webhooks.md's event table differs from services.changes.KINDS: paste "
        "kithkin.services.webhooks.event_catalogue_markdown() between its markers"
    )


def test_deliveries_are_forgotten_after_thirty_days(network, owner, receiver, frozen_time):
    subscribe(network, owner, receiver)
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    assert webhooks.prune(NOW + dt.timedelta(days=29)) == 0
    changes.record(network, "person.updated", actor=owner)
    changes.dispatch()  # not attempted yet: kept whatever its age
    assert webhooks.prune(NOW + dt.timedelta(days=31)) == 1
    assert list(WebhookDelivery.objects.values_list("kind", flat=True)) == ["person.updated"]


def test_the_documented_request_verifies_with_the_documented_snippet():
    text = DOC.read_text()
    request = text.split("## The request")[1].split("```\n")[1]
    head, body = request.split("\n\n", 1)
    headers = dict(line.split(": ", 1) for line in head.splitlines()[1:])
    assert int(headers["Content-Length"]) == len(body.strip().encode())
    assert documented_verify()("whsec_example", headers, body.strip().encode(), tolerance=10**10)
