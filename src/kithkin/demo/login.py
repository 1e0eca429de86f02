"""The web login that comes with the demo network, so `kith demo && kith serve` is enough."""

from __future__ import annotations

import secrets

from django.db import transaction

from kithkin.models import Membership, Network, Role, User

DEMO_USERNAME = "demo"


@transaction.atomic
def demo_login(network: Network) -> tuple[str, str]:
    """Give the ``demo`` user a fresh random password and ownership of ``network``.

    Returns (username, password). The password is new on every call: the demo account
    holds no real data, but it must not have a guessable password on a reachable server.
    """
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = User(
            username=DEMO_USERNAME, first_name="Demo", last_name="User", time_zone=network.time_zone
        )
    password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
    user.set_password(password)
    user.current_network = network
    user.save()
    Membership.objects.update_or_create(user=user, network=network, defaults={"role": Role.OWNER})
    return DEMO_USERNAME, password
