"""Reads about two-factor sign-in (docs/two-factor.md): who has it, who must set it up."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.access import has_two_factor
from kithkin.models import Membership, Network, RecoveryCode, User

__all__ = ["has_two_factor", "members_with_two_factor", "must_enrol", "status_of"]


def must_enrol(user: User, network: Network) -> bool:
    """Whether ``user`` must set up two-factor before opening ``network``: its owners
    require it and the user has none. Only this network is closed to them."""
    return network.requires_two_factor and not has_two_factor(user)


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    recovery_codes_left: int
    # The networks of the user that require two-factor, by name.
    required_by: tuple[str, ...]


def status_of(user: User) -> TwoFactorStatus:
    return TwoFactorStatus(
        enabled=has_two_factor(user),
        recovery_codes_left=RecoveryCode.objects.filter(device__user=user).count(),
        required_by=tuple(
            Membership.objects.filter(user=user, network__requires_two_factor=True)
            .order_by("network__name")
            .values_list("network__name", flat=True)
        ),
    )


def members_with_two_factor(network: Network) -> set[int]:
    """The ids of the network's members who have two-factor on (for its owners' page)."""
    return set(
        TOTPDevice.objects.filter(confirmed=True, user__memberships__network=network).values_list(
            "user_id", flat=True
        )
    )
