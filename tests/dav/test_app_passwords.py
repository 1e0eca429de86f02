"""App passwords: made by `kith dav password`, stored hashed, revocable, throttled like
signing in."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from kithkin.errors import Throttled, WrongPassword
from kithkin.models import AppPassword
from kithkin.services import throttle
from kithkin.services.app_passwords import (
    create_app_password,
    revoke_app_password,
    sign_in_with_app_password,
)


def _propfind(username: str, secret: str, address: str = "192.0.2.9"):
    token = base64.b64encode(f"{username}:{secret}".encode()).decode()
    return Client(REMOTE_ADDR=address).generic(
        "PROPFIND", "/dav/", HTTP_AUTHORIZATION=f"Basic {token}", HTTP_DEPTH="0"
    )


def test_kith_dav_password_prints_what_a_phone_asks_for(kith, owner):
    result = kith("dav", "password", "--name", "iPhone", "--base-url", "https://kith.example.org")
    lines = dict(line.split(": ", 1) for line in result.stdout.splitlines() if ": " in line)
    assert lines["url"] == "https://kith.example.org/dav/"
    assert lines["username"] == "owner"
    stored = AppPassword.objects.get(user=owner)
    assert stored.name == "iPhone"
    assert lines["password"] not in stored.digest  # only the digest is kept
    assert _propfind("owner", lines["password"]).status_code == 207
    assert "iPhone" in kith("dav", "passwords").stdout


def test_a_revoked_app_password_signs_nothing_in(kith, owner):
    made = create_app_password(owner, "old phone")
    assert _propfind("owner", made.secret).status_code == 207
    kith("dav", "revoke", str(made.app_password.pk))
    assert _propfind("owner", made.secret).status_code == 401


def test_nobody_revokes_another_users_app_password(owner, outsider):
    made = create_app_password(owner, "phone")
    with pytest.raises(Exception, match="No such app password"):
        revoke_app_password(outsider, made.app_password.pk)
    assert AppPassword.objects.filter(pk=made.app_password.pk).exists()


def test_someone_elses_app_password_with_ones_username_fails(owner, outsider):
    made = create_app_password(outsider, "phone")
    with pytest.raises(WrongPassword):
        sign_in_with_app_password("owner", made.secret, "192.0.2.1")


def test_guessing_app_passwords_is_throttled_like_signing_in(owner):
    made = create_app_password(owner, "phone")
    for _ in range(throttle.MAX_FAILURES):
        assert _propfind("owner", "wrong-guess").status_code == 401
    with pytest.raises(Throttled):
        sign_in_with_app_password("owner", made.secret, "192.0.2.9")
    assert _propfind("owner", made.secret).status_code == 429
    # from elsewhere, the right app password still works
    assert _propfind("owner", made.secret, "198.51.100.7").status_code == 207
