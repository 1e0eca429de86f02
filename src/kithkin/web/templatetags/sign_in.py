"""What the sign-in partials show (Settings, Sharing, the login page) without their
pages' views knowing: two-factor status, the members without it, the OpenID provider."""

from __future__ import annotations

from typing import Any

from django import template

from kithkin.models import Membership, Network, OidcIdentity, User
from kithkin.queries.mfa import TwoFactorStatus, members_with_two_factor, status_of
from kithkin.services import oidc

register = template.Library()


@register.simple_tag
def two_factor_status(user: User) -> TwoFactorStatus:
    return status_of(user)


@register.simple_tag
def members_without_two_factor(network: Network) -> list[str]:
    """Usernames of the network's members who have not turned two-factor on."""
    with_it = members_with_two_factor(network)
    members = Membership.objects.filter(network=network).select_related("user")
    return sorted(m.user.username for m in members if m.user_id not in with_it)


@register.simple_tag
def oidc_provider_name() -> str | None:
    return oidc.provider_name()


@register.simple_tag
def oidc_identity(user: Any) -> OidcIdentity | None:
    return oidc.identity_of(user)
