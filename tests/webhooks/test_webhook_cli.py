"""`kith webhook add|list|remove|test|enable` as the owner types them."""

from __future__ import annotations

import json

import pytest

from kithkin.models import WebhookSubscription
from kithkin.services import changes, webhooks
from tests.factories import network_of
from tests.webhooks.receiver import run_ready_tasks


def test_add_prints_the_secret_once_and_list_shows_the_webhook(
    kith, network, allow_private, receiver
):
    added = kith(
        "webhook", "add", receiver.url, "--event", "person.created", "--event", "follow_up.done"
    )
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip()
    assert secret.startswith("whsec_") and "\n" not in secret  # a pipe gets the secret alone
    subscription = WebhookSubscription.objects.get()
    assert subscription.network == network
    assert subscription.events == ["follow_up.done", "person.created"]
    assert webhooks.secret_of(subscription) == secret

    listed = kith("webhook", "list")
    assert listed.exit_code == 0, listed.output
    assert secret not in listed.stdout
    assert "token=abc" not in listed.stdout  # the query string stays out of lists
    assert (
        f"{subscription.pk}\t{subscription.display_url}\tfollow_up.done, person.created\ton\tnone yet"
        in listed.stdout
    )


def test_test_prints_the_answer_and_fails_when_the_receiver_does(
    kith, network, owner, allow_private, receiver
):
    made = webhooks.add_subscription(network, owner, receiver.url)
    ok = kith("webhook", "test", str(made.subscription.pk))
    assert ok.exit_code == 0 and "ping delivered: HTTP 200" in ok.stdout
    receiver.answers = [500]
    failed = kith("webhook", "test", str(made.subscription.pk))
    assert failed.exit_code == 1 and "ping failed: HTTP 500" in failed.stdout
    listed = json.loads(kith("webhook", "list", "--json").stdout)
    assert [(d["kind"], d["status_code"]) for d in listed[0]["recent"]] == [
        ("ping", 500),
        ("ping", 200),
    ]


def test_list_shows_a_disabled_webhook_and_enable_turns_it_on(
    kith, network, owner, allow_private, receiver
):
    made = webhooks.add_subscription(network, owner, receiver.url)
    receiver.then = 500
    for _ in range(webhooks.DISABLE_AFTER_FAILURES):
        changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()
    assert "DISABLED: 8 deliveries in a row failed" in kith("webhook", "list").stdout
    enabled = kith("webhook", "enable", str(made.subscription.pk))
    assert enabled.exit_code == 0 and "is on again" in enabled.stdout
    assert "\ton\t" in kith("webhook", "list").stdout


def test_remove_deletes_the_webhook(kith, network, owner):
    made = webhooks.add_subscription(network, owner, "https://93.184.215.14/hook")
    removed = kith("webhook", "remove", str(made.subscription.pk))
    assert removed.exit_code == 0 and "Removed webhook" in removed.stdout
    assert not WebhookSubscription.objects.exists()


def test_a_private_address_is_refused_in_one_line(kith):
    refused = kith("webhook", "add", "http://169.254.169.254/latest/meta-data/")
    assert refused.exit_code == 2
    assert (
        "url: 169.254.169.254 resolves to 169.254.169.254, which is not a public address"
        in refused.stderr
    )
    assert not WebhookSubscription.objects.exists()


def test_another_networks_webhook_is_not_found(kith, outsider):
    theirs = webhooks.add_subscription(network_of(outsider), outsider, "https://93.184.215.14/x")
    for command in ("remove", "test", "enable"):
        result = kith("webhook", command, str(theirs.subscription.pk))
        assert result.exit_code == 1 and f"No webhook #{theirs.subscription.pk}" in result.stderr
    assert kith("webhook", "list", "--network", str(network_of(outsider).pk)).exit_code == 1


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_only_an_owner_adds_webhooks(role, network):
    from kithkin.errors import Forbidden
    from tests.factories import make_member

    member = make_member(network, f"a-{role}", role=role)
    with pytest.raises(Forbidden, match="Only an owner"):
        webhooks.add_subscription(network, member, "https://93.184.215.14/hook")
