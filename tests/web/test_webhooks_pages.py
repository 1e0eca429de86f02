"""Settings → Webhooks as each named user sees it: the owner manages, the teammate (an
editor) reads, the viewer sees nothing, the outsider finds nothing."""

from __future__ import annotations

import pytest

from kithkin.models import WebhookDelivery, WebhookSubscription
from kithkin.services import changes, webhooks
from tests.factories import network_of
from tests.web.conftest import client_for
from tests.webhooks.receiver import allow_private, receiver, run_ready_tasks

__all__ = ["allow_private", "receiver"]  # fixtures

URL = "/settings/webhooks/"


@pytest.fixture
def hook(network, owner):
    return webhooks.add_subscription(
        network, owner, "https://93.184.215.14/kithkin?token=abc", ["person.created"]
    ).subscription


def test_the_owner_adds_a_webhook_and_sees_its_secret_once(owner_client, network):
    response = owner_client.post(
        URL, {"url": "https://93.184.215.14/in", "events": ["person.created", "follow_up.done"]}
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    secret = webhooks.secret_of(subscription)
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert subscription.events == ["follow_up.done", "person.created"]
    again = owner_client.get(URL).content.decode()
    assert secret not in again and "https://93.184.215.14/in" in again


def test_a_private_url_is_refused_next_to_the_field(owner_client):
    response = owner_client.post(URL, {"url": "http://169.254.169.254/latest/meta-data/"})
    assert response.status_code == 200
    assert "not a public address" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_the_list_shows_the_latest_deliveries_with_their_status_codes(
    owner_client, network, owner, allow_private, receiver
):
    webhooks.add_subscription(network, owner, receiver.url)
    receiver.answers = [500]
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    page = owner_client.get(URL).content.decode()
    assert "<td>person.created</td>" in page
    assert "500 HTTP 500" in page  # the failed attempt, highlighted as an error
    assert "waiting" in page  # its retry
    assert "token=abc" not in page  # the receiver's token stays out of the page


def test_a_disabled_webhook_is_highlighted_and_its_owner_told_on_settings(
    owner_client, network, owner, hook
):
    WebhookSubscription.objects.filter(pk=hook.pk).update(
        active=False, disabled_reason="8 deliveries in a row failed; the last: HTTP 503"
    )
    page = owner_client.get(URL).content.decode()
    assert f'class="row overdue" id="webhook-{hook.pk}"' in page
    assert "disabled</span>" in page and "the last: HTTP 503" in page
    assert "Enable again" in page
    settings_page = owner_client.get("/settings/").content.decode()
    assert 'role="alert"' in settings_page
    assert "was disabled" in settings_page and "the last: HTTP 503" in settings_page

    owner_client.post(f"/settings/webhooks/{hook.pk}/enable/")
    hook.refresh_from_db()
    assert hook.active
    assert "was disabled" not in owner_client.get("/settings/").content.decode()


def test_the_owner_tests_and_removes_a_webhook(
    owner_client, network, owner, allow_private, receiver
):
    made = webhooks.add_subscription(network, owner, receiver.url)
    response = owner_client.post(f"/settings/webhooks/{made.subscription.pk}/test/", follow=True)
    assert "Ping delivered: HTTP 200" in response.content.decode()
    assert WebhookDelivery.objects.get().kind == "ping"
    response = owner_client.post(f"/settings/webhooks/{made.subscription.pk}/remove/", follow=True)
    assert "Removed the webhook" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def working_in(user, network):
    user.current_network = network
    user.save()
    return client_for(user)


def test_a_teammate_reads_but_changes_nothing(network, teammate, hook):
    client = working_in(teammate, network)
    page = client.get(URL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "https://93.184.215.14/kithkin?…" in body
    assert "Add a webhook" not in body and "Remove</button>" not in body
    assert client.post(URL, {"url": "https://93.184.215.14/mine"}).status_code == 403
    for action in ("test", "enable", "remove"):
        assert client.post(f"/settings/webhooks/{hook.pk}/{action}/").status_code == 403
    assert WebhookSubscription.objects.count() == 1 and not WebhookDelivery.objects.exists()


def test_a_viewer_sees_no_webhook_and_changes_nothing(network, viewer, hook):
    client = working_in(viewer, network)
    assert client.get(URL).status_code == 403
    assert "webhooks-heading" not in client.get("/settings/").content.decode()
    assert client.post(URL, {"url": "https://93.184.215.14/mine"}).status_code == 403
    for action in ("test", "enable", "remove"):
        assert client.post(f"/settings/webhooks/{hook.pk}/{action}/").status_code == 403
    assert WebhookSubscription.objects.count() == 1 and not WebhookDelivery.objects.exists()


def test_an_outsider_finds_no_webhook_of_another_network(outsider_client, outsider, hook):
    for action in ("test", "enable", "remove"):
        assert outsider_client.post(f"/settings/webhooks/{hook.pk}/{action}/").status_code == 404
    page = outsider_client.get(URL)  # their own network's: empty
    assert page.status_code == 200 and "93.184.215.14" not in page.content.decode()
    assert network_of(outsider) != hook.network
    assert WebhookSubscription.objects.count() == 1 and not WebhookDelivery.objects.exists()


def test_the_list_reads_every_webhooks_deliveries_in_one_query(network, owner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kithkin.queries.webhooks import webhooks_of

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as seen:
            rows = webhooks_of(owner, network, recent=2)
        assert all(len(row.recent) == 2 for row in rows)  # the latest two of three
        return len(seen)

    def add_webhook_with_deliveries(number: int) -> None:
        made = webhooks.add_subscription(network, owner, f"https://93.184.215.{number}/hook")
        for attempt in (1, 2, 3):
            change = changes.record(network, "person.created", actor=owner)
            WebhookDelivery.objects.create(
                subscription=made.subscription, change=change, kind=change.kind, attempt=attempt
            )

    add_webhook_with_deliveries(1)
    one = queries_for_the_list()
    add_webhook_with_deliveries(2)
    add_webhook_with_deliveries(3)
    assert queries_for_the_list() == one
