"""Slowing down what must not be repeated fast, with one record of attempts (``Attempt``),
without ever handing an attacker a way to lock someone else out (docs/security.md):

- guessing a password: failed sign-ins are counted per (username, address). Five within
  the window and that username is refused *from that address* until the window moves on;
  from any other address it signs in as usual, so failures typed by someone else
  elsewhere never block its owner.
- spraying usernames from one address: failed sign-ins are also counted per address.
  Past MAX_FAILURES_PER_IP, every failure from that address is answered "too many failed
  sign-ins" (HTTP 429) whatever the username, so the answers say nothing about which
  usernames exist; a correct password still signs in (failures for other usernames never
  block a correct login), unless its own (username, address) pair is throttled.
- making accounts in bulk or probing usernames at the sign-up form: every sign-up that
  gets as far as the username (made, or answered "taken") counts per address.

Usernames are compared lower-cased and trimmed, as typed at the sign-in form. Addresses are
counted by what one client can cheaply vary: an IPv4 address as is, an IPv6 address by its
/64 (one home or one cloud machine gets a whole /64). An address that is not a valid IP
address counts as unknown: an unknown address is never throttled as an address (only its
(username, unknown) pairs are). Which address a request comes from, behind proxies, is
``client_address``'s answer (``KITH_TRUSTED_PROXIES``).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence

from django.db.models import QuerySet

from kithkin import clock
from kithkin.models import Attempt

MAX_FAILURES = 5  # per (username, address)
WINDOW = dt.timedelta(minutes=15)
# One address may try several usernames (an office behind one NAT), within reason.
MAX_FAILURES_PER_IP = 4 * MAX_FAILURES
# A few colleagues may sign up from one office in an hour, and pick a username that is
# taken now and then; a script probing usernames or making accounts may not.
MAX_SIGN_UPS_PER_IP = 10
SIGN_UP_WINDOW = dt.timedelta(hours=1)
KEEP = dt.timedelta(days=1)  # longer than every window
IPV6_PREFIX = 64

Kind = Attempt.Kind
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_throttled(username: str, ip: str | None) -> bool:
    """Whether a sign-in as ``username`` from ``ip`` must wait: that pair failed
    MAX_FAILURES times within the window. Nothing else ever refuses a sign-in."""
    failures = _recent(Kind.FAILED_LOGIN, WINDOW).filter(username=_username(username))
    return failures.filter(ip=address_key(ip)).count() >= MAX_FAILURES


def address_throttled(ip: str | None) -> bool:
    """Whether failed sign-ins from ``ip`` (any usernames) reached MAX_FAILURES_PER_IP:
    a failure from there is then answered 429, the same whatever the username."""
    address = address_key(ip)
    return (
        address is not None
        and _recent(Kind.FAILED_LOGIN, WINDOW).filter(ip=address).count() >= MAX_FAILURES_PER_IP
    )


def record_failure(username: str, ip: str | None) -> None:
    _record(Kind.FAILED_LOGIN, username, ip)


def clear_failures(username: str, ip: str | None) -> None:
    """After a successful sign-in: that (username, address) pair starts afresh. The
    address's count of failures is kept: signing in to one's own account must not reset
    the counter an address spraying other usernames runs up."""
    Attempt.objects.filter(
        kind=Kind.FAILED_LOGIN, username=_username(username), ip=address_key(ip)
    ).delete()


def sign_ups_throttled(ip: str | None) -> bool:
    """Whether a sign-up from ``ip`` must wait: enough sign-ups were tried from there
    lately (made, or answered that the username is taken)."""
    address = address_key(ip)
    return (
        address is not None
        and _recent(Kind.SIGN_UP, SIGN_UP_WINDOW).filter(ip=address).count() >= MAX_SIGN_UPS_PER_IP
    )


def record_sign_up(username: str, ip: str | None) -> None:
    _record(Kind.SIGN_UP, username, ip)


def address_key(typed: str | None) -> str | None:
    """The address attempts are counted under: an IPv4 address (an IPv4-mapped IPv6 one
    too) as is, an IPv6 address as the first address of its /64; None when not an IP."""
    if not typed:
        return None
    try:
        address = ipaddress.ip_address(typed.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False).network_address)
    return str(address)


def client_address(
    remote_addr: str | None, forwarded_for: str | None, trusted: Sequence[Network]
) -> str | None:
    """The address a request comes from: the peer's (``REMOTE_ADDR``), unless the peer is
    a trusted proxy; then the rightmost address of ``X-Forwarded-For`` that is not itself
    a trusted proxy (each proxy appends the address it was reached from: whatever lies left
    of the first untrusted hop was written by the client and may be made up). When every
    hop is trusted, the leftmost; an entry that is not an address ends the walk at the
    last trusted hop."""
    peer = _parsed(remote_addr)
    if peer is None or not forwarded_for or not _in(peer, trusted):
        return str(peer) if peer is not None else None
    nearest = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        address = _parsed(hop)
        if address is None:
            return str(nearest)
        if not _in(address, trusted):
            return str(address)
        nearest = address
    return str(nearest)


def is_trusted_proxy(remote_addr: str | None, trusted: Sequence[Network]) -> bool:
    """Whether the peer of a request is one of the trusted proxies."""
    peer = _parsed(remote_addr)
    return peer is not None and _in(peer, trusted)


def _parsed(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not text:
        return None
    candidate = text.strip()
    if candidate.startswith("[") and "]" in candidate:  # [2001:db8::1]:443
        candidate = candidate[1 : candidate.index("]")]
    elif candidate.count(":") == 1:  # 203.0.113.7:51234
        candidate = candidate.partition(":")[0]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _in(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == block.version and address in block for block in trusted)


def _recent(kind: str, window: dt.timedelta) -> QuerySet[Attempt]:
    return Attempt.objects.filter(kind=kind, at__gt=clock.now() - window)


def _record(kind: str, username: str, ip: str | None) -> None:
    now = clock.now()
    Attempt.objects.create(kind=kind, username=_username(username), ip=address_key(ip), at=now)
    Attempt.objects.filter(at__lt=now - KEEP).delete()


def _username(typed: str) -> str:
    limit = Attempt._meta.get_field("username").max_length or 150
    return typed.strip().lower()[:limit]
