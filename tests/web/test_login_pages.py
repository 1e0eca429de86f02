"""Signing up (on unless KITH_SIGNUP is off, throttled per address) and the one login the
command line and the web app share."""

from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import User
from kithkin.services.throttle import MAX_SIGN_UPS_PER_IP

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_up_form(username: str) -> dict[str, str]:
    return {
        "full_name": "Sam Writer",
        "username": username,
        "email": f"{username}@example.org",
        "password": PASSWORD,
        "time_zone": "Europe/Paris",
    }


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_sign_up_is_on_by_default(client, settings):
    assert settings.SIGNUP is True
    assert 'href="/signup/"' in client.get("/login/").content.decode()
    assert "Create my account" in client.get("/signup/").content.decode()
    response = client.post("/signup/", sign_up_form("sam"))
    assert response.status_code == 302 and response.url == "/today/"
    assert User.objects.get(username="sam").get_full_name() == "Sam Writer"


def test_sign_up_turned_off_is_gone(client, settings):
    settings.SIGNUP = False
    assert client.get("/signup/").status_code == 404
    assert client.post("/signup/", sign_up_form("sam")).status_code == 404
    assert not User.objects.filter(username="sam").exists()
    login_page = client.get("/login/").content.decode()
    assert "/signup/" not in login_page and "Create an account" not in login_page


def test_sign_up_turned_off_is_gone_for_a_signed_in_user_too(owner_client, settings):
    settings.SIGNUP = False
    assert owner_client.get("/signup/").status_code == 404


def test_sign_ups_are_throttled_per_address():
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(MAX_SIGN_UPS_PER_IP):
        assert client.post("/signup/", sign_up_form(f"user{n}")).status_code == 302
        client.logout()
    before = User.objects.count()
    refused = client.post("/signup/", sign_up_form("one-more"))
    assert refused.status_code == 429
    assert "Too many accounts were made from your address lately" in refused.content.decode()
    assert User.objects.count() == before
    elsewhere = Client(REMOTE_ADDR="198.51.100.1").post("/signup/", sign_up_form("elsewhere"))
    assert elsewhere.status_code == 302


def test_the_cli_user_logs_in_on_the_web_and_sees_the_same_network(settings, tmp_path):
    kith = CliRunner()
    init = kith.invoke(
        app,
        ["init", "--name", "Sam Writer", "--username", "sam", "--email", "sam@example.org"],
    )
    assert init.exit_code == 0, init.output
    assert kith.invoke(app, ["add", "Ada Lovelace", "--circle", "close"]).exit_code == 0
    assert kith.invoke(app, ["password", "--stdin"], input=PASSWORD + "\n").exit_code == 0
    assert User.objects.count() == 1

    client = Client()
    response = client.post("/login/", {"username": "sam", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/today/"
    people = client.get("/people/").content.decode()
    assert "Ada Lovelace" in people
    assert "Sam Writer&#x27;s network" in people
