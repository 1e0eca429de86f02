"""Kithkin's REST API (Django Ninja) at /api/v1/: an interface like web/ and cli/, which it
never imports. Translation only: every read through queries/, every write through the
services, every record through access.py with the caller's actor. See docs/api.md."""
