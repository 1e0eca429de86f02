"""The local receiver, a resolver the test controls, and the setting that lets webhooks
reach local addresses (tests/webhooks/receiver.py)."""

from tests.webhooks.receiver import allow_private, dns, receiver

__all__ = ["allow_private", "dns", "receiver"]
