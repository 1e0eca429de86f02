"""Slowing down what must not be repeated fast, with one record of attempts (``Attempt``):

- guessing passwords: too many failed sign-ins for one username, or from one address,
  within a window, and further sign-ins are refused until the window moves on;
- making accounts in bulk: too many sign-ups from one address within a window, and further
  sign-ups are refused.

Usernames are compared lower-cased and trimmed, as typed at the sign-in form; addresses
that are not valid IP addresses count as unknown, and an unknown address is never
throttled (only its usernames are).
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.db.models import QuerySet

from kithkin import clock
from kithkin.models import Attempt

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
# One address may try several usernames (an office behind one NAT), within reason.
MAX_FAILURES_PER_IP = 4 * MAX_FAILURES
# A few colleagues may sign up from one office in an hour; a script may not.
MAX_SIGN_UPS_PER_IP = 5
SIGN_UP_WINDOW = dt.timedelta(hours=1)
KEEP = dt.timedelta(days=1)  # longer than every window

Kind = Attempt.Kind


def is_throttled(username: str, ip: str | None) -> bool:
    """Whether a sign-in as ``username`` from ``ip`` must wait."""
    recent = _recent(Kind.FAILED_LOGIN, WINDOW)
    if recent.filter(username=_username(username)).count() >= MAX_FAILURES:
        return True
    address = _ip(ip)
    return address is not None and recent.filter(ip=address).count() >= MAX_FAILURES_PER_IP


def record_failure(username: str, ip: str | None) -> None:
    _record(Kind.FAILED_LOGIN, username, ip)


def clear_failures(username: str) -> None:
    """After a successful sign-in: that username starts afresh."""
    Attempt.objects.filter(kind=Kind.FAILED_LOGIN, username=_username(username)).delete()


def sign_ups_throttled(ip: str | None) -> bool:
    """Whether a sign-up from ``ip`` must wait: enough accounts were made from there lately."""
    address = _ip(ip)
    return (
        address is not None
        and _recent(Kind.SIGN_UP, SIGN_UP_WINDOW).filter(ip=address).count() >= MAX_SIGN_UPS_PER_IP
    )


def record_sign_up(username: str, ip: str | None) -> None:
    _record(Kind.SIGN_UP, username, ip)


def _recent(kind: str, window: dt.timedelta) -> QuerySet[Attempt]:
    return Attempt.objects.filter(kind=kind, at__gt=clock.now() - window)


def _record(kind: str, username: str, ip: str | None) -> None:
    now = clock.now()
    Attempt.objects.create(kind=kind, username=_username(username), ip=_ip(ip), at=now)
    Attempt.objects.filter(at__lt=now - KEEP).delete()


def _username(typed: str) -> str:
    limit = Attempt._meta.get_field("username").max_length or 150
    return typed.strip().lower()[:limit]


def _ip(typed: str | None) -> str | None:
    if not typed:
        return None
    try:
        return str(ipaddress.ip_address(typed.strip()))
    except ValueError:
        return None
