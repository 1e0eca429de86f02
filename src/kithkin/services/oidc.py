"""Signing in through an OpenID Connect provider (docs/sso.md).

Authlib's Django client speaks the protocol: the provider's discovery document, the
authorization code flow with PKCE (S256), a ``state`` and a ``nonce`` kept in the session
and checked on the way back, the code exchanged with the client secret, and the ID token's
signature checked against the provider's JWKS, with its issuer, audience, expiry and nonce.
This module adds Kithkin's rules:

- the discovery document must name the configured issuer, and so must the ID token;
- a provider's account is its verified ``sub`` at that issuer (``OidcIdentity``); an email
  address never links an account by itself (an address can change hands, and on a server
  with open sign-up anyone may have made a Kithkin account with someone else's address):
  a user links their provider account while signed in, from Settings;
- an unknown ``sub`` gets a new account only when ``KITH_OIDC_CREATE_USERS`` is on.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

from kithkin import clock
from kithkin.errors import InvalidInput, KithError, NotFound
from kithkin.models import OidcIdentity, User
from kithkin.services.accounts import create_user

log = logging.getLogger(__name__)

SCOPES = "openid email profile"
TIMEOUT = 10  # seconds for each request to the provider


class SignInFailed(KithError):
    """The provider's answer could not be trusted or used; the message says why."""


class NotLinked(KithError):
    """The provider vouched for someone no Kithkin account is linked to."""


@dataclass(frozen=True)
class Identity:
    """What a verified ID token says about who signed in."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    username: str  # the provider's preferred_username, if any
    name: str


def provider_name() -> str | None:
    """The provider's name for the sign-in button; None when single sign-on is off."""
    return settings.OIDC["name"] if settings.OIDC else None


def _config() -> dict[str, str]:
    if not settings.OIDC:
        raise NotFound("Single sign-on is not set up on this server.")
    return dict(settings.OIDC)


def _client(config: dict[str, str]) -> Any:
    # A registry per sign-in: settings are read when used, and the discovery document and
    # keys are fetched afresh (a provider that rotates its keys is followed at once).
    oauth = OAuth()
    return oauth.register(
        "kithkin",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        server_metadata_url=config["issuer"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "timeout": TIMEOUT},
    )


def authorize_redirect(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """The redirect to the provider's sign-in; state, nonce and the PKCE verifier are kept
    in ``request.session`` for the way back."""
    try:
        return _client(_config()).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, ValueError, AuthlibBaseError) as exc:
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        raise SignInFailed(f"{_config()['name']} could not be reached. Try again later.") from None


def complete(request: HttpRequest) -> Identity:
    """The provider's answer on the redirect URI, checked; ``SignInFailed`` says why not."""
    config = _config()
    client = _client(config)
    try:
        metadata = client.load_server_metadata()
        if metadata.get("issuer") != config["issuer"]:
            raise SignInFailed(
                "the provider's discovery document names another issuer than KITH_OIDC_ISSUER"
            )
        token = client.authorize_access_token(
            request,
            claims_options={
                "iss": {"essential": True, "value": config["issuer"]},
                "sub": {"essential": True},
            },
        )
    except MismatchingStateError:
        raise SignInFailed("this sign-in was not started here, or already finished") from None
    except OAuthError as exc:
        raise SignInFailed(f"the provider said {exc.error}") from None
    except (AuthlibBaseError, JoseError) as exc:
        log.warning("ID token refused: %s", exc)
        raise SignInFailed(f"its ID token was not valid ({_error_name(exc)})") from None
    except (requests.RequestException, ValueError) as exc:
        log.warning("OpenID provider unreachable: %s", type(exc).__name__)
        raise SignInFailed("the provider could not be reached") from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("the provider sent no ID token")
    return Identity(
        issuer=config["issuer"],
        subject=str(claims["sub"]),
        email=str(claims.get("email") or ""),
        email_verified=claims.get("email_verified") is True,
        username=str(claims.get("preferred_username") or ""),
        name=str(claims.get("name") or ""),
    )


def _error_name(exc: Exception) -> str:
    return str(getattr(exc, "error", "") or type(exc).__name__)


def user_for(identity: Identity) -> User:
    """The Kithkin user ``identity`` is linked to, or a new one when the server makes
    accounts on first sign-in; ``NotLinked`` otherwise."""
    found = (
        OidcIdentity.objects.filter(issuer=identity.issuer, subject=identity.subject)
        .select_related("user")
        .first()
    )
    if found is not None:
        if not found.user.is_active:
            raise NotLinked("This account is deactivated.")
        _touch(found, identity)
        return found.user
    if not settings.OIDC_CREATE_USERS:
        raise NotLinked(
            "No Kithkin account is linked to this account yet. Log in with your password "
            "and link it in Settings, or ask whoever runs this server."
        )
    return _new_user(identity)


def link(user: User, identity: Identity) -> OidcIdentity:
    """Link the signed-in ``user`` to ``identity`` (replacing their previous link at this
    issuer); refused when it is linked to someone else."""
    with transaction.atomic():
        taken = OidcIdentity.objects.filter(issuer=identity.issuer, subject=identity.subject)
        if taken.exclude(user=user).exists():
            raise InvalidInput("identity", "is already linked to another Kithkin account")
        OidcIdentity.objects.filter(user=user, issuer=identity.issuer).exclude(
            subject=identity.subject
        ).delete()
        linked, _ = OidcIdentity.objects.update_or_create(
            issuer=identity.issuer,
            subject=identity.subject,
            defaults={"user": user, "email": _shown_email(identity), "last_used_at": clock.now()},
        )
    return linked


def unlink(user: User) -> int:
    """Remove the user's links; refused when the provider is their only way in."""
    if not user.has_usable_password():
        raise InvalidInput(
            "identity", "is your only way to sign in: set a password first (`kith password`)"
        )
    deleted, _ = OidcIdentity.objects.filter(user=user).delete()
    return deleted


def identity_of(user: User) -> OidcIdentity | None:
    issuer = settings.OIDC["issuer"] if settings.OIDC else None
    return OidcIdentity.objects.filter(user=user, issuer=issuer).first() if issuer else None


def _touch(found: OidcIdentity, identity: Identity) -> None:
    found.last_used_at = clock.now()
    found.email = _shown_email(identity) or found.email
    found.save(update_fields=["last_used_at", "email"])


def _shown_email(identity: Identity) -> str:
    return identity.email[:254] if identity.email_verified else ""


_USERNAME_CHARS = re.compile(r"[^A-Za-z0-9_.@+-]")


def _new_user(identity: Identity) -> User:
    base = _USERNAME_CHARS.sub("", identity.username or identity.email.partition("@")[0])
    base = base[:140] or "member"
    for attempt in range(1, 100):
        username = base if attempt == 1 else f"{base}{attempt}"
        if User.objects.filter(username__iexact=username).exists():
            continue
        try:
            with transaction.atomic():
                user = _create(username, identity)
                OidcIdentity.objects.create(
                    user=user,
                    issuer=identity.issuer,
                    subject=identity.subject,
                    email=_shown_email(identity),
                    last_used_at=clock.now(),
                )
        except IntegrityError:
            # Another sign-in of the same account (or the same username) at this moment.
            twin = OidcIdentity.objects.filter(issuer=identity.issuer, subject=identity.subject)
            if twin.exists():
                return twin.get().user
            continue
        return user
    raise SignInFailed("no free username could be found for this account")


def _create(username: str, identity: Identity) -> User:
    """A user with a network of their own, named as the provider says when that name and
    address pass Kithkin's rules, else by the username alone."""
    try:
        with transaction.atomic():
            return create_user(
                username=username,
                full_name=identity.name or username,
                email=_shown_email(identity),
            )
    except InvalidInput:
        return create_user(username=username, full_name=username)
