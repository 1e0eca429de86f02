"""Slowing down password guessing (per username, and per address across usernames) and
accounts made in bulk (sign-ups per address)."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest

from kithkin.models import Attempt
from kithkin.services.throttle import (
    MAX_FAILURES,
    MAX_FAILURES_PER_IP,
    MAX_SIGN_UPS_PER_IP,
    SIGN_UP_WINDOW,
    WINDOW,
    address_throttled,
    clear_failures,
    client_address,
    is_throttled,
    record_failure,
    record_sign_up,
    sign_ups_throttled,
)
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db


def fail(username, ip="203.0.113.7", times=1):
    for _ in range(times):
        record_failure(username, ip)


def test_five_failures_throttle_that_username_from_that_address_only():
    fail("ada", times=MAX_FAILURES - 1)
    assert not is_throttled("ada", "203.0.113.7")
    fail("ada")
    assert is_throttled("ada", "203.0.113.7")
    # Before: a username was throttled from everywhere, so anyone could lock ada out.
    assert not is_throttled("ada", "198.51.100.1")
    assert not is_throttled("grace", "203.0.113.7")


def test_usernames_count_as_typed_in_any_case():
    for typed in ("Ada", "ADA ", " ada", "aDa", "ada"):
        fail(typed, ip=None)
    assert is_throttled("ADA", None)
    assert set(Attempt.objects.values_list("username", flat=True)) == {"ada"}


def test_the_window_moves_on(frozen_time):
    fail("ada", times=MAX_FAILURES)
    frozen_time.move_to(FROZEN_NOW + WINDOW - dt.timedelta(seconds=1))
    assert is_throttled("ada", "203.0.113.7")
    frozen_time.move_to(FROZEN_NOW + WINDOW)
    assert not is_throttled("ada", "203.0.113.7")


def test_failures_spread_over_time_only_count_within_the_window(frozen_time):
    fail("ada", times=MAX_FAILURES - 1)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(minutes=10))
    fail("ada")
    assert is_throttled("ada", "203.0.113.7")
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(minutes=20))
    assert not is_throttled("ada", "203.0.113.7")


def test_one_address_guessing_many_usernames_is_throttled_as_an_address():
    for n in range(MAX_FAILURES_PER_IP - 1):
        fail(f"user{n}", ip="203.0.113.7")
    assert not address_throttled("203.0.113.7")
    fail("one-more", ip="203.0.113.7")
    assert address_throttled("203.0.113.7")
    assert not address_throttled("203.0.113.8")
    assert not address_throttled(None)
    # ...and never a username's pair from there: a correct password is still checked.
    assert not is_throttled("someone-new", "203.0.113.7")


def test_an_ipv6_client_counts_as_its_whole_slash_64():
    for n in range(MAX_FAILURES):
        fail("ada", ip=f"2001:db8:0:1::{n + 1:x}")  # a new address for every guess
    assert is_throttled("ada", "2001:0db8:0000:0001:ffff::1")
    assert not is_throttled("ada", "2001:db8:0:2::1")
    assert set(Attempt.objects.values_list("ip", flat=True)) == {"2001:db8:0:1::"}


def test_an_ipv4_mapped_address_is_the_ipv4_address():
    fail("ada", ip="::ffff:203.0.113.7", times=MAX_FAILURES)
    assert is_throttled("ada", "203.0.113.7")


@pytest.mark.parametrize("ip", [None, "", "not-an-ip", "999.1.1.1", "unknown, 10.0.0.1"])
def test_an_unknown_address_is_stored_as_none(ip):
    fail("ada", ip=ip)
    assert Attempt.objects.get().ip is None
    assert not address_throttled(ip)


def test_a_very_long_username_is_cut_to_fit():
    fail("x" * 1000, times=MAX_FAILURES)
    assert is_throttled("x" * 1000, "203.0.113.7")
    assert len(Attempt.objects.first().username) == 150


def test_a_successful_sign_in_clears_that_pair_only():
    fail("ada", times=MAX_FAILURES)
    fail("ada", ip="198.51.100.1", times=MAX_FAILURES)
    fail("grace", times=MAX_FAILURES)
    clear_failures(" ADA", "203.0.113.7")
    assert not is_throttled("ada", "203.0.113.7")
    assert is_throttled("ada", "198.51.100.1")
    assert is_throttled("grace", "203.0.113.7")


def test_failures_older_than_a_day_are_forgotten(frozen_time):
    fail("ada", times=3)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(days=1, seconds=1))
    fail("grace")
    assert list(Attempt.objects.values_list("username", flat=True)) == ["grace"]


def test_sign_ups_from_one_address_are_throttled_within_the_window(frozen_time):
    for n in range(MAX_SIGN_UPS_PER_IP - 1):
        record_sign_up(f"user{n}", "203.0.113.7")
    assert not sign_ups_throttled("203.0.113.7")
    record_sign_up("one-more", "203.0.113.7")
    assert sign_ups_throttled("203.0.113.7")
    assert not sign_ups_throttled("198.51.100.1")
    assert not sign_ups_throttled(None)
    frozen_time.move_to(FROZEN_NOW + SIGN_UP_WINDOW)
    assert not sign_ups_throttled("203.0.113.7")


def test_sign_ups_and_failed_sign_ins_are_counted_apart():
    for n in range(MAX_SIGN_UPS_PER_IP):
        record_sign_up(f"user{n}", "203.0.113.7")
    fail("user0", times=MAX_FAILURES - 1)
    assert not is_throttled("user0", "203.0.113.7")
    clear_failures("user0", "203.0.113.7")  # a sign-in clears failures, never sign-ups
    assert sign_ups_throttled("203.0.113.7")
    assert Attempt.objects.filter(kind=Attempt.Kind.SIGN_UP).count() == MAX_SIGN_UPS_PER_IP


PROXY = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1")]


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        # No trusted proxy: X-Forwarded-For is whatever the client wrote, never read.
        ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),
        # From a trusted proxy: the rightmost hop that is not a trusted proxy.
        ("10.0.0.2", "198.51.100.1", PROXY, "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", PROXY, "198.51.100.1"),  # 1.2.3.4: made up
        ("10.0.0.2", "198.51.100.1, 10.0.0.3", PROXY, "198.51.100.1"),  # two proxies
        ("::1", "2001:db8::7", PROXY, "2001:db8::7"),
        ("10.0.0.2", "10.0.0.9, 10.0.0.3", PROXY, "10.0.0.9"),  # every hop trusted
        ("10.0.0.2", "garbage, 10.0.0.3", PROXY, "10.0.0.3"),  # unreadable: the last proxy
        ("10.0.0.2", "", PROXY, "10.0.0.2"),
        ("10.0.0.2", "[2001:db8::7]:4711", PROXY, "2001:db8::7"),
        ("10.0.0.2", "198.51.100.1:4711", PROXY, "198.51.100.1"),
        # A peer outside the trusted proxies is the client, whatever it forwards.
        ("203.0.113.7", "10.0.0.2", PROXY, "203.0.113.7"),
        (None, "198.51.100.1", PROXY, None),
    ],
)
def test_the_client_address_trusts_x_forwarded_for_only_from_trusted_proxies(
    remote, forwarded, trusted, client
):
    assert client_address(remote, forwarded, trusted) == client
