"""Users and networks: sign-up, passwords, a network of one's own, switching networks."""

from __future__ import annotations

import re
import zoneinfo

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kithkin import access, clock, normalize
from kithkin.errors import InvalidInput, Throttled, WrongPassword
from kithkin.models import Circle, Membership, Network, Person, Role, User
from kithkin.models.networks import DEFAULT_CIRCLES
from kithkin.services import changes, throttle
from kithkin.services.contact_rules import person_name

TOO_MANY_FAILURES = "Too many failed attempts for this username. Wait 15 minutes and try again."
TOO_MANY_FROM_ADDRESS = (
    "Too many failed attempts from your address. Check your username and password: "
    "a correct one still signs you in."
)
# The personal network is named "<full name>'s network", at most 120 characters.
MAX_FULL_NAME = 100
# What Django's own user forms accept.
_USERNAME = re.compile(r"[A-Za-z0-9_.@+-]{1,150}")


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone such as Europe/Paris (not a region folder)."""
    try:
        clock.zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: with the tzdata package, a folder such as "Europe" is read as a file.
        return False
    return len(name) <= 64


def _time_zone(value: str | None, field: str) -> str:
    name = (value or settings.DEFAULT_TIME_ZONE).strip()
    if not is_time_zone(name):
        raise InvalidInput(field, f"{name[:70]!r} is not a time zone name such as Europe/Paris")
    return name


@transaction.atomic
def create_user(
    *,
    username: str,
    full_name: str,
    email: str = "",
    time_zone: str | None = None,
    password: str | None = None,
) -> User:
    """A new user with a personal network of their own, in which they are *me*."""
    username = username.strip()
    if not username:
        raise InvalidInput("username", "must not be empty")
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidInput("username", f"{username!r} is taken")
    full_name = person_name(full_name, "name")  # they are *me*: a person's name
    if len(full_name) > MAX_FULL_NAME:  # shorter: it names their network too
        raise InvalidInput("name", f"is longer than {MAX_FULL_NAME} characters")
    address = normalize.email(email, "email")[0] if email.strip() else ""
    zone_name = _time_zone(time_zone, "time zone")
    user = User(username=username, email=address, time_zone=zone_name)
    given, _, family = full_name.partition(" ")
    user.first_name, user.last_name = given[:150], family[:150]
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    create_network(user, name=f"{full_name}'s network", time_zone=zone_name)
    return user


def sign_up(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    time_zone: str | None = None,
    ip: str | None = None,
) -> User:
    """Someone signs up on the web from the address ``ip``: every field checked, the
    password against AUTH_PASSWORD_VALIDATORS; then a user with a network of their own.

    Whether a username is taken is answered only once everything else is valid, and that
    answer counts as a sign-up from the address, as an account made does: too many lately
    and it is refused (``Throttled``) before anything is checked, so usernames cannot be
    listed through this form faster than accounts can be made (docs/security.md)."""
    if throttle.sign_ups_throttled(ip):
        raise Throttled(
            "Too many accounts were made from your address lately. Try again in an hour."
        )
    username = username.strip()
    if not _USERNAME.fullmatch(username):
        raise InvalidInput(
            "username", "use 1 to 150 letters, digits and the characters @ . + - _ (no spaces)"
        )
    full_name = person_name(full_name, "full_name")
    if len(full_name) > MAX_FULL_NAME:
        raise InvalidInput("full_name", f"is longer than {MAX_FULL_NAME} characters")
    address = normalize.email(email, "email")[0]
    zone_name = _time_zone(time_zone, "time_zone")
    given, _, family = full_name.partition(" ")
    _check_password(
        password,
        User(username=username, email=address, first_name=given, last_name=family),
        "password",
    )
    # Counted before the username is looked up, in its own statement: a "taken" answer
    # counts too, and create_user's transaction rolling back does not undo the count.
    throttle.record_sign_up(username, ip)
    return create_user(
        username=username,
        full_name=full_name,
        email=address,
        time_zone=zone_name,
        password=password,
    )


def sign_in(username: str, password: str, ip: str | None) -> User:
    """The user whose ``username`` and ``password`` these are, signing in from ``ip``
    (services.throttle says what is counted and why no one can lock another out).

    Refused with ``Throttled`` when this (username, address) pair failed too often lately,
    without looking at the password; with ``WrongPassword`` when they do not match, or
    ``Throttled`` instead when the address has failed too often for any username — the
    same answer whether the username exists or not."""
    from django.contrib.auth import authenticate

    username = username.strip()
    if throttle.is_throttled(username, ip):
        raise Throttled(TOO_MANY_FAILURES)
    user = authenticate(username=username, password=password)
    if user is None:
        throttle.record_failure(username, ip)
        if throttle.address_throttled(ip):
            raise Throttled(TOO_MANY_FROM_ADDRESS)
        raise WrongPassword("That username and password do not match.")
    throttle.clear_failures(username, ip)
    assert isinstance(user, User)
    return user


def change_password(user: User, *, old_password: str, new_password: str) -> None:
    """Change one's password, proving the old one. Other sessions end with the change
    (Django checks a hash of the password in each); the web layer keeps the current one
    with update_session_auth_hash."""
    if not user.check_password(old_password):
        raise InvalidInput("old_password", "is not your current password")
    _check_password(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])


def set_password(user: User, password: str) -> None:
    """Set the user's web password without the old one: `kith password`, run by whoever
    has the command line (and so the data) of this user. Checked against
    AUTH_PASSWORD_VALIDATORS and hashed with the first of PASSWORD_HASHERS (Argon2); the
    user's signed-in sessions end, as with a change."""
    _check_password(password, user, "password")
    user.set_password(password)
    user.save(update_fields=["password"])


def _check_password(password: str, user: User, field: str) -> None:
    if not password:
        raise InvalidInput(field, "must not be empty")
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(field, "; ".join(exc.messages)) from None


@transaction.atomic
def create_network(owner: User, *, name: str, time_zone: str | None = None) -> Network:
    """A network owned by ``owner``, with the default circles and *me* in it; made current."""
    if not name.strip():
        raise InvalidInput("name", "must not be empty")
    if len(name.strip()) > 120:
        raise InvalidInput("name", "is longer than 120 characters")
    network = Network.objects.create(
        name=name.strip(), time_zone=_time_zone(time_zone or owner.time_zone, "time zone")
    )
    Membership.objects.create(user=owner, network=network, role=Role.OWNER)
    Circle.objects.bulk_create(
        Circle(network=network, name=circle, rank=rank, cadence_days=cadence)
        for rank, (circle, cadence) in enumerate(DEFAULT_CIRCLES)
    )
    me_name = owner.get_full_name() or owner.username
    me = Person.objects.create(
        network=network,
        is_self=True,
        full_name=me_name,
        given_name=owner.first_name,
        family_name=owner.last_name,
    )
    changes.record(
        network, "network.created", actor=owner, record_id=network.pk, person_ids=[me.pk]
    )
    owner.current_network = network
    owner.save(update_fields=["current_network"])
    return network


def switch_network(user: User, network: Network) -> None:
    access.membership(user, network)
    user.current_network = network
    user.save(update_fields=["current_network"])


@transaction.atomic
def update_settings(
    user: User,
    network: Network,
    *,
    daily_outreach_budget: int | None = None,
    time_zone: str | None = None,
    phone_region: str | None = None,
) -> None:
    """Change the user's time zone, the network's daily outreach budget and/or the region
    its phone numbers without a country code are read in ("" for none)."""
    if phone_region is not None:
        access.require_write(user, network)
        network.phone_region = normalize.region(phone_region, "region")
        network.save(update_fields=["phone_region"])
        changes.network_updated(network, user, ["phone_region"])
    if daily_outreach_budget is not None:
        access.require_write(user, network)
        if not 1 <= daily_outreach_budget <= 200:
            raise InvalidInput("budget", "must be between 1 and 200 check-ins a day")
        network.daily_outreach_budget = daily_outreach_budget
        network.save(update_fields=["daily_outreach_budget"])
        changes.network_updated(network, user, ["daily_outreach_budget"])
    if time_zone is not None:
        user.time_zone = _time_zone(time_zone, "time zone")
        user.save(update_fields=["time_zone"])
