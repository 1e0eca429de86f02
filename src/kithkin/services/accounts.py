"""Users and networks: sign-up, a network of one's own, switching between networks."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Circle, Membership, Network, Person, Role, User
from kithkin.models.networks import DEFAULT_CIRCLES


def _time_zone(value: str | None, field: str) -> str:
    name = (value or settings.DEFAULT_TIME_ZONE).strip()
    try:
        clock.zone(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            field, f"{name!r} is not a time zone name such as Europe/Paris"
        ) from None
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
    if not full_name.strip():
        raise InvalidInput("name", "must not be empty")
    zone_name = _time_zone(time_zone, "time zone")
    user = User(username=username, email=email.strip(), time_zone=zone_name)
    given, _, family = full_name.strip().partition(" ")
    user.first_name, user.last_name = given[:150], family[:150]
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    create_network(user, name=f"{full_name.strip()}'s network", time_zone=zone_name)
    return user


@transaction.atomic
def create_network(owner: User, *, name: str, time_zone: str | None = None) -> Network:
    """A network owned by ``owner``, with the default circles and *me* in it; made current."""
    if not name.strip():
        raise InvalidInput("name", "must not be empty")
    network = Network.objects.create(
        name=name.strip(), time_zone=_time_zone(time_zone or owner.time_zone, "time zone")
    )
    Membership.objects.create(user=owner, network=network, role=Role.OWNER)
    Circle.objects.bulk_create(
        Circle(network=network, name=circle, rank=rank, cadence_days=cadence)
        for rank, (circle, cadence) in enumerate(DEFAULT_CIRCLES)
    )
    me_name = owner.get_full_name() or owner.username
    Person.objects.create(
        network=network,
        is_self=True,
        full_name=me_name,
        given_name=owner.first_name,
        family_name=owner.last_name,
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
) -> None:
    """Change the user's time zone and/or the network's daily outreach budget."""
    if daily_outreach_budget is not None:
        access.require_write(user, network)
        if not 1 <= daily_outreach_budget <= 200:
            raise InvalidInput("budget", "must be between 1 and 200 check-ins a day")
        network.daily_outreach_budget = daily_outreach_budget
        network.save(update_fields=["daily_outreach_budget"])
    if time_zone is not None:
        user.time_zone = _time_zone(time_zone, "time zone")
        user.save(update_fields=["time_zone"])
