"""App passwords for CardDAV (docs/carddav.md): made (the secret shown once), listed,
revoked, and checked on every request a contacts program makes.

A secret is 24 random bytes (URL-safe base64, 32 characters a person can paste into a
phone); only its digest is stored (``digests.secret_digest``), as for API tokens and feeds.
Checking one is throttled exactly like signing in (``services.throttle``): the same
(username, address) pair and the same address counts, so guessing app passwords costs
what guessing the password costs. A wrong username with a right secret is a failure.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from kithkin import clock
from kithkin.digests import secret_digest
from kithkin.errors import InvalidInput, NotFound, Throttled, WrongPassword
from kithkin.models import AppPassword, User
from kithkin.services import throttle

NAME_LENGTH = 100
USE_INTERVAL = dt.timedelta(minutes=1)  # last use is written at most this often


@dataclass(frozen=True)
class NewAppPassword:
    app_password: AppPassword
    secret: str  # shown once; never stored


def create_app_password(user: User, name: str = "") -> NewAppPassword:
    """A new app password for ``user`` named ``name`` (default "CardDAV")."""
    name = " ".join(name.split()) or "CardDAV"
    if len(name) > NAME_LENGTH:
        raise InvalidInput("name", f"at most {NAME_LENGTH} characters")
    secret = secrets.token_urlsafe(24)
    row = AppPassword.objects.create(user=user, name=name, digest=secret_digest(secret))
    return NewAppPassword(app_password=row, secret=secret)


def app_passwords_of(user: User) -> list[AppPassword]:
    return list(AppPassword.objects.filter(user=user))


def revoke_app_password(user: User, app_password_id: int) -> None:
    """Delete one of the user's app passwords: the programs using it are signed out.
    Someone else's is NotFound, as a missing one."""
    deleted, _ = AppPassword.objects.filter(user=user, pk=app_password_id).delete()
    if not deleted:
        raise NotFound("No such app password.")


def sign_in_with_app_password(username: str, secret: str, ip: str | None) -> User:
    """The active user named ``username`` whose app password ``secret`` is; Throttled or
    WrongPassword as ``accounts.sign_in`` answers. Not one transaction: a failure must
    stay counted when the refusal is raised."""
    username = username.strip()
    if throttle.is_throttled(username, ip):
        raise Throttled("Too many failed sign-ins: wait a few minutes.")
    found = AppPassword.objects.select_related("user").filter(digest=secret_digest(secret)).first()
    if (
        found is None
        or not found.user.is_active
        or not hmac.compare_digest(found.user.username.lower(), username.lower())
    ):
        throttle.record_failure(username, ip)
        if throttle.address_throttled(ip):
            raise Throttled("Too many failed sign-ins from this address: wait a few minutes.")
        raise WrongPassword("That username and app password do not match.")
    throttle.clear_failures(username, ip)
    now = clock.now()
    if found.last_used_at is None or found.last_used_at < now - USE_INTERVAL:
        AppPassword.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
