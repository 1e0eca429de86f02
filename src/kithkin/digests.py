"""How a long random secret is stored: its SHA-256 digest, never itself.

API tokens, calendar feed URLs, invitation links and recovery codes are each at least 80
random bits, so a fast digest cannot be reversed by guessing; a slow password hash would
only cost time on every request. One function, so all of them are stored alike.
"""

from __future__ import annotations

import hashlib


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
