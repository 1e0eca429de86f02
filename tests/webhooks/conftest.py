"""The local receiver and the setting that lets webhooks reach it (tests/webhooks/receiver.py)."""

from tests.webhooks.receiver import allow_private, receiver

__all__ = ["allow_private", "receiver"]
