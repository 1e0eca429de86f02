"""Slowing down password guessing (per username, and per address across usernames) and
accounts made in bulk (sign-ups per address)."""

from __future__ import annotations

import datetime as dt

import pytest

from kithkin.models import Attempt
from kithkin.services.throttle import (
    MAX_FAILURES,
    MAX_SIGN_UPS_PER_IP,
    SIGN_UP_WINDOW,
    WINDOW,
    clear_failures,
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


def test_five_failures_for_a_username_throttle_it():
    fail("ada", times=MAX_FAILURES - 1)
    assert not is_throttled("ada", "203.0.113.7")
    fail("ada")
    assert is_throttled("ada", "203.0.113.7")
    assert is_throttled("ada", "198.51.100.1")  # from anywhere
    assert is_throttled("ada", None)
    assert not is_throttled("grace", "198.51.100.1")


def test_usernames_count_as_typed_in_any_case():
    for typed in ("Ada", "ADA ", " ada", "aDa", "ada"):
        fail(typed, ip=None)
    assert is_throttled("ADA", None)
    assert set(Attempt.objects.values_list("username", flat=True)) == {"ada"}


def test_the_window_moves_on(frozen_time):
    fail("ada", times=MAX_FAILURES)
    frozen_time.move_to(FROZEN_NOW + WINDOW - dt.timedelta(seconds=1))
    assert is_throttled("ada", None)
    frozen_time.move_to(FROZEN_NOW + WINDOW)
    assert not is_throttled("ada", None)


def test_failures_spread_over_time_only_count_within_the_window(frozen_time):
    fail("ada", times=MAX_FAILURES - 1)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(minutes=10))
    fail("ada")
    assert is_throttled("ada", None)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(minutes=20))
    assert not is_throttled("ada", None)


def test_one_address_guessing_many_usernames_is_throttled():
    for n in range(4 * MAX_FAILURES - 1):
        fail(f"user{n}", ip="2001:db8::1")
    assert not is_throttled("someone-new", "2001:db8::1")
    fail("one-more", ip="2001:0db8:0000::0001")  # the same address, written longhand
    assert is_throttled("someone-new", "2001:db8::1")
    assert not is_throttled("someone-new", "2001:db8::2")
    assert not is_throttled("someone-new", None)


@pytest.mark.parametrize("ip", [None, "", "not-an-ip", "999.1.1.1", "unknown, 10.0.0.1"])
def test_an_unknown_address_is_stored_as_none(ip):
    fail("ada", ip=ip)
    assert Attempt.objects.get().ip is None
    assert not is_throttled("grace", ip)


def test_a_very_long_username_is_cut_to_fit():
    fail("x" * 1000, times=MAX_FAILURES)
    assert is_throttled("x" * 1000, None)
    assert len(Attempt.objects.first().username) == 150


def test_a_successful_sign_in_clears_that_username_only():
    fail("ada", times=MAX_FAILURES)
    fail("grace", times=MAX_FAILURES)
    clear_failures(" ADA")
    assert not is_throttled("ada", None)
    assert is_throttled("grace", None)


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
    clear_failures("user0")  # a sign-in clears failures, never sign-ups
    assert sign_ups_throttled("203.0.113.7")
    assert Attempt.objects.filter(kind=Attempt.Kind.SIGN_UP).count() == MAX_SIGN_UPS_PER_IP
