"""The SSRF guard: a webhook reaches only public addresses (unless
KITH_WEBHOOKS_ALLOW_PRIVATE=true), checked when it is added and again at every delivery,
and a delivery connects to the very address it checked."""

from __future__ import annotations

import ipaddress
import json

import pytest

from kithkin import outbound
from kithkin.errors import InvalidInput
from kithkin.models import WebhookDelivery
from kithkin.services import changes, webhooks
from tests.webhooks.receiver import run_ready_tasks

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://10.0.0.7/hook",
    "http://172.16.5.4/hook",
    "http://192.168.1.1/hook",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
    "http://100.64.0.1/",  # shared (carrier-grade NAT)
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://[::1]/hook",
    "http://[::]/hook",
    "http://[fc00::1]/hook",
    "http://[fd12:3456:789a::1]/hook",
    "http://[fe80::1]/hook",
    "http://[ff02::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "http://[::ffff:10.0.0.1]/hook",
    "http://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
    "http://localhost:8000/hook",  # a name that resolves to loopback
]


@pytest.mark.parametrize("url", REFUSED)
def test_a_private_address_is_refused_when_the_webhook_is_added(network, owner, url):
    with pytest.raises(InvalidInput, match="not a public address") as refused:
        webhooks.add_subscription(network, owner, url)
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://files.example.com/", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("gopher://127.0.0.1:25/", "Only http:// and https://"),
        ("http:///hook", "names no host"),
        ("https://user:pass@hooks.example.com/", "no user or password"),
        ("http://[::1/", "not a URL"),
        ("http://93.184.215.14:99999/", "not a URL"),
    ],
)
def test_only_plain_http_and_https_urls_are_taken(network, owner, url, why):
    with pytest.raises(InvalidInput, match=why):
        webhooks.add_subscription(network, owner, url)


def test_a_public_address_is_taken(network, owner):
    made = webhooks.add_subscription(network, owner, "https://93.184.215.14/kithkin")
    assert made.subscription.url == "https://93.184.215.14/kithkin"


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"]
)
def test_public_addresses_are_public(address):
    assert outbound.is_public(ipaddress.ip_address(address))


def test_private_addresses_are_allowed_by_the_setting(network, owner, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    made = webhooks.add_subscription(network, owner, "http://10.0.0.7/hook")
    assert made.subscription.pk


def test_a_name_with_one_private_address_among_public_ones_is_refused(network, owner, dns):
    dns["hooks.example.test"] = ["93.184.215.14", "10.0.0.7"]
    with pytest.raises(InvalidInput, match=r"resolves to 10\.0\.0\.7"):
        webhooks.add_subscription(network, owner, "https://hooks.example.test/")


def test_a_name_that_comes_to_resolve_inside_is_refused_at_delivery(network, owner, dns, receiver):
    """DNS rebinding: public when added, loopback at delivery time."""
    port = receiver.url.split(":")[2].split("/")[0]
    dns["rebound.example.test"] = ["93.184.215.14"]
    webhooks.add_subscription(network, owner, f"http://rebound.example.test:{port}/hook")
    dns["rebound.example.test"] = ["127.0.0.1"]
    changes.record(network, "person.created", actor=owner)
    changes.dispatch()
    run_ready_tasks()

    delivery = WebhookDelivery.objects.get(attempt=1)
    assert delivery.status_code is None
    assert delivery.error.startswith("refused: rebound.example.test resolves to 127.0.0.1")
    assert receiver.received == []  # nothing left the machine towards it


def test_a_delivery_connects_to_the_address_checked_with_the_urls_host(
    network, owner, dns, receiver, settings
):
    """The connection goes to the address resolved and checked (not to a second answer),
    while the Host header stays the URL's host name."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    port = receiver.url.split(":")[2].split("/")[0]
    dns["hooks.example.test"] = ["127.0.0.1"]
    made = webhooks.add_subscription(network, owner, f"http://hooks.example.test:{port}/in")
    webhooks.ping_subscription(network, owner, made.subscription.pk)
    (request,) = receiver.received
    assert request.headers["Host"] == f"hooks.example.test:{port}"
    assert request.path == "/in"
    assert json.loads(request.body)["kind"] == "ping"


def test_an_unresolvable_name_is_refused(network, owner, dns):
    dns["nowhere.example.test"] = []
    with pytest.raises(InvalidInput, match="resolves to no address"):
        webhooks.add_subscription(network, owner, "https://nowhere.example.test/")
