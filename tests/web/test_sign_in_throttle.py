"""Failed sign-ins slow guessing down without handing anyone a way to lock a user out:
failures for other usernames, or from other addresses, never block a correct password
(issue 18: 20 made-up usernames from one address locked every user of that address, and
5 wrong passwords locked a known user out everywhere)."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client

from kithkin.models import Attempt, User
from kithkin.services.throttle import MAX_FAILURES, MAX_FAILURES_PER_IP, MAX_SIGN_UPS_PER_IP

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
OFFICE = "203.0.113.7"  # the owner's office, behind one NAT
ATTACKER = "198.51.100.66"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner_with_password(owner):
    owner.set_password(PASSWORD)
    owner.save()
    return owner


def sign_in(address: str, username: str, password: str, **headers: str):
    return Client(REMOTE_ADDR=address, **headers).post(
        "/login/", {"username": username, "password": password}
    )


def test_made_up_usernames_from_the_office_do_not_lock_its_users_out(owner_with_password):
    for n in range(MAX_FAILURES_PER_IP):
        sign_in(OFFICE, f"made-up-{n}", "guess")
    assert sign_in(OFFICE, "made-up-x", "guess").status_code == 429
    signed_in = sign_in(OFFICE, "owner", PASSWORD)
    assert signed_in.status_code == 302 and signed_in.url == "/today/"


def test_past_the_address_limit_every_failure_gets_the_same_answer(owner_with_password):
    for n in range(MAX_FAILURES_PER_IP):
        sign_in(ATTACKER, f"made-up-{n}", "guess")
    unknown = sign_in(ATTACKER, "nobody-here", "guess")
    known = sign_in(ATTACKER, "owner", "guess")
    assert unknown.status_code == known.status_code == 429
    assert "Too many failed attempts from your address" in known.content.decode()
    # Which usernames exist is not said: the same errors for both.
    assert unknown.context["form"].errors == known.context["form"].errors


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(owner_with_password):
    for _ in range(MAX_FAILURES):
        assert sign_in(ATTACKER, "owner", "guess").status_code == 200
    refused = sign_in(ATTACKER, "owner", PASSWORD)  # that pair waits, even when right
    assert refused.status_code == 429
    assert "Too many failed attempts for this username" in refused.content.decode()
    assert sign_in(OFFICE, "owner", PASSWORD).status_code == 302


def test_signing_in_clears_the_pair_not_the_address(owner_with_password, teammate):
    for n in range(MAX_FAILURES_PER_IP - 1):
        sign_in(OFFICE, f"made-up-{n}", "guess")
    sign_in(OFFICE, "owner", "typo")
    assert sign_in(OFFICE, "owner", PASSWORD).status_code == 302
    assert not Attempt.objects.filter(username="owner").exists()
    assert Attempt.objects.filter(ip=OFFICE).count() == MAX_FAILURES_PER_IP - 1
    assert sign_in(OFFICE, "teammate", "guess").status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(settings, owner_with_password):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(PROXY)]
    for n in range(MAX_FAILURES_PER_IP):
        sign_in(PROXY, f"made-up-{n}", "guess", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert set(Attempt.objects.values_list("ip", flat=True)) == {ATTACKER}
    assert sign_in(PROXY, "nobody", "guess", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    # The owner's client, behind the same proxy, is not the attacker's.
    assert sign_in(PROXY, "nobody", "guess", HTTP_X_FORWARDED_FOR=OFFICE).status_code == 200
    # A client that writes its own X-Forwarded-For is counted by what the proxy appended.
    spoofed = sign_in(PROXY, "nobody", "guess", HTTP_X_FORWARDED_FOR=f"{OFFICE}, {ATTACKER}")
    assert spoofed.status_code == 429


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(settings, owner_with_password):
    settings.TRUSTED_PROXIES = []
    sign_in(ATTACKER, "owner", "guess", HTTP_X_FORWARDED_FOR=OFFICE)
    assert list(Attempt.objects.values_list("ip", flat=True)) == [ATTACKER]


def sign_up_form(username: str) -> dict[str, str]:
    return {
        "full_name": "Sam Writer",
        "username": username,
        "email": f"{username}@example.org",
        "password": PASSWORD,
        "time_zone": "Europe/Paris",
    }


def test_probing_usernames_at_sign_up_is_throttled_per_address(owner):
    prober = Client(REMOTE_ADDR=ATTACKER)
    taken = prober.post("/signup/", sign_up_form("owner"))
    assert taken.status_code == 200
    assert "is taken" in taken.content.decode()
    for _ in range(MAX_SIGN_UPS_PER_IP - 1):
        prober.post("/signup/", sign_up_form("OWNER"))  # any case: the same username
    refused = prober.post("/signup/", sign_up_form("owner"))
    assert refused.status_code == 429
    assert "is taken" not in refused.content.decode()
    assert prober.post("/signup/", sign_up_form("sam")).status_code == 429
    assert not User.objects.filter(username="sam").exists()
    elsewhere = Client(REMOTE_ADDR=OFFICE).post("/signup/", sign_up_form("sam"))
    assert elsewhere.status_code == 302


def test_an_invalid_sign_up_says_nothing_about_the_username_and_is_not_counted(owner):
    prober = Client(REMOTE_ADDR=ATTACKER)
    weak = prober.post("/signup/", sign_up_form("owner") | {"password": "short"})
    assert "is taken" not in weak.content.decode()
    assert not Attempt.objects.exists()
