"""Personal access tokens: made (the secret shown once), listed, revoked, and checked on
every API request, which also counts it against the token's rate limit.

A secret is ``kith_`` and 32 random bytes (URL-safe base64). Only its SHA-256 digest is
stored; a request's token is found by its digest and compared in constant time. Last use
is written at most once a minute, in the same statement that counts the request.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Q, QuerySet, Value, When

from kithkin import access, clock
from kithkin.digests import secret_digest
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import AccessToken, Network, Scope, User

SECRET_PREFIX = "kith_"
PREFIX_LENGTH = len(SECRET_PREFIX) + 6  # what lists show: "kith_Ab3dE9"
MAX_NAME = AccessToken._meta.get_field("name").max_length or 100
MAX_LIFETIME_DAYS = 3650
RATE_WINDOW = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once; never stored


@transaction.atomic
def create_token(
    user: User,
    name: str,
    scope: str,
    *,
    network: Network | None = None,
    expires_in_days: int | None = None,
) -> NewToken:
    """A new token of ``user``; ``network`` limits it to that network (one they belong to).
    A write token for a network the user may only view is refused: it could never write."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("name", "give the token a name, e.g. the program that will use it.")
    if len(name) > MAX_NAME:
        raise InvalidInput("name", f"at most {MAX_NAME} characters.")
    if scope not in Scope.values:
        raise InvalidInput("scope", "read or write.")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
        raise InvalidInput("expires", f"from 1 to {MAX_LIFETIME_DAYS} days.")
    if network is not None:
        grant = access.grant_for(user, network.pk)
        if scope == Scope.WRITE and not grant.membership.can_write:
            raise InvalidInput(
                "scope", f"you may only view {network.name}: make a read token for it."
            )
        if network.requires_two_factor and not access.has_two_factor(user):
            raise InvalidInput(
                "network",
                f"{network.name} requires two-factor sign-in: set it up in Settings first.",
            )
    if _active(user).filter(name__iexact=name).exists():
        raise InvalidInput("name", f"you already have a token named {name!r}.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    try:
        with transaction.atomic():
            token = AccessToken.objects.create(
                user=user,
                network=network,
                name=name,
                scope=scope,
                prefix=secret[:PREFIX_LENGTH],
                digest=secret_digest(secret),
                created_at=now,
                expires_at=now + dt.timedelta(days=expires_in_days) if expires_in_days else None,
            )
    except IntegrityError as exc:  # the same name made at the same moment elsewhere
        raise InvalidInput("name", f"you already have a token named {name!r}.") from exc
    return NewToken(token=token, secret=secret)


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens that are not revoked (expired ones too, marked so), newest first."""
    return list(_active(user).select_related("network"))


def token_of(user: User, name_or_id: str | int) -> AccessToken:
    """One of the user's tokens that is not revoked, by id or by name (any case)."""
    text = str(name_or_id).strip()
    found = None
    if text.isdigit():
        found = _active(user).filter(pk=int(text)).first()
    if found is None:
        found = _active(user).filter(name__iexact=" ".join(text.split())).first()
    if found is None:
        names = list(_active(user).values_list("name", flat=True)[:5])
        raise NotFound(f"You have no token {text!r}.", suggestions=names)
    return found


@transaction.atomic
def revoke_token(user: User, name_or_id: str | int) -> AccessToken:
    """Revoke one of the user's tokens: from now on it opens nothing."""
    token = token_of(user, name_or_id)
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    return token


def authenticate(secret: str) -> access.Actor | None:
    """The actor a request's secret stands for; None when it is unknown, revoked, expired,
    or its user is deactivated."""
    secret = secret.strip()
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        return None
    digest = secret_digest(secret)
    token = AccessToken.objects.select_related("user").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    return access.Actor(
        user=token.user, scope=token.scope, network_id=token.network_id, token_id=token.pk
    )


@dataclass(frozen=True)
class Allowance:
    """Where a token stands against its rate limit after this request."""

    limit: int
    used: int
    reset_seconds: int  # until the current window ends

    @property
    def allowed(self) -> bool:
        return self.used <= self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


def spend_request(token_id: int, limit: int) -> Allowance:
    """Count one request of the token in the current minute; the same statement records
    its last use when a new minute begins (so at most one extra write a minute)."""
    now = clock.now()
    window = now.replace(second=0, microsecond=0)
    new_window = ~Q(rate_window=window)
    AccessToken.objects.filter(pk=token_id).update(
        rate_count=Case(When(new_window, then=Value(1)), default=F("rate_count") + 1),
        last_used_at=Case(
            When(new_window, then=Value(now)),
            default=F("last_used_at"),
            output_field=DateTimeField(),
        ),
        rate_window=Value(window),
    )
    used = AccessToken.objects.values_list("rate_count", flat=True).get(pk=token_id)
    reset = max(1, int((window + RATE_WINDOW - now).total_seconds() + 0.999))
    return Allowance(limit=limit, used=used, reset_seconds=reset)


def _active(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True)
