"""KITH_OIDC_*: all three of issuer, client id and secret or none, an https issuer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kithkin.settings import oidc_settings

ISSUER, CLIENT, SECRET = "KITH_OIDC_ISSUER", "KITH_OIDC_CLIENT_ID", "KITH_OIDC_CLIENT_SECRET"


@pytest.fixture(autouse=True)
def no_oidc(monkeypatch):
    for name in (ISSUER, CLIENT, SECRET, "KITH_OIDC_NAME"):
        monkeypatch.delenv(name, raising=False)


def configure(monkeypatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_unset_means_no_single_sign_on():
    assert oidc_settings() is None


def test_all_three_make_a_provider_named_on_the_button(monkeypatch):
    configure(
        monkeypatch,
        KITH_OIDC_ISSUER="https://id.example.org/realms/team",
        KITH_OIDC_CLIENT_ID="kithkin",
        KITH_OIDC_CLIENT_SECRET="s3cret",
        KITH_OIDC_NAME="Team ID",
    )
    assert oidc_settings() == {
        "issuer": "https://id.example.org/realms/team",
        "client_id": "kithkin",
        "client_secret": "s3cret",
        "name": "Team ID",
    }


def test_one_without_the_others_names_the_missing_ones(monkeypatch):
    configure(monkeypatch, KITH_OIDC_ISSUER="https://id.example.org")
    with pytest.raises(ImproperlyConfigured, match=f"also needs {CLIENT}, {SECRET}"):
        oidc_settings()


@pytest.mark.parametrize(
    "issuer",
    ["http://id.example.org", "id.example.org", "https://id.example.org/?x=1", "ftp://h"],
)
def test_the_issuer_must_be_https(monkeypatch, issuer):
    configure(
        monkeypatch, KITH_OIDC_ISSUER=issuer, KITH_OIDC_CLIENT_ID="k", KITH_OIDC_CLIENT_SECRET="s"
    )
    with pytest.raises(ImproperlyConfigured, match=ISSUER):
        oidc_settings()


def test_http_only_on_this_machine(monkeypatch):
    configure(
        monkeypatch,
        KITH_OIDC_ISSUER="http://127.0.0.1:8080/openid",
        KITH_OIDC_CLIENT_ID="k",
        KITH_OIDC_CLIENT_SECRET="s",
    )
    assert oidc_settings()["issuer"] == "http://127.0.0.1:8080/openid"
