"""Slowing down password guessing: too many failed sign-ins for one username, or from one
address, within a window and further attempts are refused until the window moves on.

Usernames are compared lower-cased and trimmed, as typed at the sign-in form; addresses
that are not valid IP addresses count as unknown.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from kithkin import clock
from kithkin.models import LoginFailure

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
# One address may try several usernames (an office behind one NAT), within reason.
MAX_FAILURES_PER_IP = 4 * MAX_FAILURES
KEEP = dt.timedelta(days=1)


def is_throttled(username: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(at__gt=clock.now() - WINDOW)
    if recent.filter(username=_username(username)).count() >= MAX_FAILURES:
        return True
    address = _ip(ip)
    return address is not None and recent.filter(ip=address).count() >= MAX_FAILURES_PER_IP


def record_failure(username: str, ip: str | None) -> None:
    now = clock.now()
    LoginFailure.objects.create(username=_username(username), ip=_ip(ip), at=now)
    LoginFailure.objects.filter(at__lt=now - KEEP).delete()


def clear_failures(username: str) -> None:
    """After a successful sign-in: that username starts afresh."""
    LoginFailure.objects.filter(username=_username(username)).delete()


def _username(typed: str) -> str:
    limit = LoginFailure._meta.get_field("username").max_length or 150
    return typed.strip().lower()[:limit]


def _ip(typed: str | None) -> str | None:
    if not typed:
        return None
    try:
        return str(ipaddress.ip_address(typed.strip()))
    except ValueError:
        return None
