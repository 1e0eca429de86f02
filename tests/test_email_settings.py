"""KITH_EMAIL_URL read into Django's email settings: one clear scheme per kind of TLS."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kithkin.settings import email_from_url, env_base_url


def test_plain_smtp_with_a_percent_encoded_user():
    found = email_from_url("KITH_EMAIL_URL", "smtp://me%40example.org:p%3Ass@mail.example.org")
    assert found["EMAIL_HOST"] == "mail.example.org" and found["EMAIL_PORT"] == 25
    assert found["EMAIL_HOST_USER"] == "me@example.org"
    assert found["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert (found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (False, False)


def test_starttls_and_implicit_tls():
    starttls = email_from_url("KITH_EMAIL_URL", "smtp+starttls://u:p@mail.example.org")
    implicit = email_from_url("KITH_EMAIL_URL", "smtps://u:p@mail.example.org:2465")
    assert (starttls["EMAIL_USE_TLS"], starttls["EMAIL_PORT"]) == (True, 587)
    assert (implicit["EMAIL_USE_SSL"], implicit["EMAIL_PORT"]) == (True, 2465)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.org", "must start with smtp://"),
        ("smtp://", "names no host"),
        ("smtp://mail.example.org?starttls=true", "say STARTTLS with smtp+starttls://"),
        ("smtp://mail.example.org:port", "invalid port"),
    ],
)
def test_a_bad_email_url_names_the_variable(url, says):
    with pytest.raises(ImproperlyConfigured, match="KITH_EMAIL_URL") as error:
        email_from_url("KITH_EMAIL_URL", url)
    assert says in str(error.value)


def test_the_base_url_is_an_http_address():
    assert env_base_url("KITH_BASE_URL", "https://kithkin.example.org/") == (
        "https://kithkin.example.org"
    )
    with pytest.raises(ImproperlyConfigured, match="KITH_BASE_URL"):
        env_base_url("KITH_BASE_URL", "kithkin.example.org")
