"""Secrets kept at rest (a webhook's signing secret, a mail account's password, a secret
calendar address): encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from cryptography)
under a key derived by HKDF from the install's secret key (``KITH_SECRET_KEY``, else the
key file in the data directory), one key per purpose so a secret of one kind never opens
as another. Whoever reads the database alone reads none of them.

A secret key that changed leaves every stored secret unreadable (``SecretLost``) until it
is encrypted again under the new key: ``reencrypted(token, purpose, old_key)``, which
``kith account rekey`` runs over every account (docs/accounts.md).
"""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings

WEBHOOK_SECRETS = b"kithkin webhook signing secrets"
ACCOUNT_SECRETS = b"kithkin account secrets"


class SecretLost(Exception):
    """A stored secret cannot be decrypted: the secret key changed since it was stored."""


def _fernet(purpose: bytes, secret_key: str | None = None) -> Any:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        (secret_key or settings.SECRET_KEY).encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(secret: str, purpose: bytes) -> str:
    """``secret`` encrypted for storage (text, ASCII)."""
    return str(_fernet(purpose).encrypt(secret.encode()).decode())


def decrypt(token: str, purpose: bytes, *, secret_key: str | None = None) -> str:
    """The secret ``encrypt`` stored; ``SecretLost`` when the key it was made with is gone."""
    from cryptography.fernet import InvalidToken

    try:
        return str(_fernet(purpose, secret_key).decrypt(token.encode()).decode())
    except InvalidToken as exc:
        raise SecretLost("it was encrypted under another secret key") from exc


def reencrypted(token: str, purpose: bytes, old_key: str) -> str:
    """A secret stored under ``old_key``, encrypted again under the current key (a token
    that the current key opens already is returned as it is)."""
    try:
        decrypt(token, purpose)
        return token
    except SecretLost:
        return encrypt(decrypt(token, purpose, secret_key=old_key), purpose)
