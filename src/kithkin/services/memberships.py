"""My memberships of organizations: join one, record a renewal, leave; and how many days
ahead renewals show on the agenda. (Organizations themselves: services.organizations.)

"My" memberships are ordinary affiliations of kind ``membership`` held by *me*
(``Person.is_self``): the role is the affiliation's title, "since" its ``start_on``, the
renewal date its ``renews_on``. Every function takes the acting user and the network, and
``today`` (the caller's local date) where a default date depends on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Affiliation, Network, Organization, User
from kithkin.queries.memberships import organization_named
from kithkin.queries.people import me_in
from kithkin.services import changes
from kithkin.services.organizations import clean_name

ROLE_LIMIT = 200
NOTICE_LIMIT = 365  # days: a renewal further ahead than a year is not "coming up"
DEFAULT_ROLE = "member"


@dataclass(frozen=True)
class Joined:
    """What ``join_organization`` did: the membership, and whether it or the organization
    is new (False: an existing membership was updated)."""

    membership: Affiliation
    new_membership: bool
    new_organization: bool


def _clean_role(role: str) -> str:
    cleaned = " ".join(role.split())
    if not cleaned:
        raise InvalidInput("role", "must not be empty")
    if len(cleaned) > ROLE_LIMIT:
        raise InvalidInput("role", f"is longer than {ROLE_LIMIT} characters")
    return cleaned


def my_membership(network: Network, organization: Organization) -> Affiliation | None:
    """My current membership of ``organization`` (the latest, if several), or None."""
    return (
        Affiliation.objects.filter(
            organization=organization,
            person__network=network,
            person__is_self=True,
            kind=Affiliation.Kind.MEMBERSHIP,
            end_on__isnull=True,
        )
        .order_by("-start_on", "-id")
        .first()
    )


def _check_dates(start_on: dt.date | None, renews_on: dt.date | None) -> None:
    if start_on is not None and renews_on is not None and renews_on < start_on:
        raise InvalidInput(
            "renews_on",
            f"{renews_on.isoformat()} is before the membership started ({start_on.isoformat()})",
        )


@transaction.atomic
def join_organization(
    network: Network,
    actor: User,
    organization: Organization | str,
    *,
    role: str | None = None,
    renews_on: dt.date | None = None,
    start_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Joined:
    """Make me a member of ``organization`` (an organization, or a name: found whatever
    the case, else created as a professional association), or update my current
    membership's role, renewal date and start with what is given.

    A new membership starts ``start_on``, else today, with role ``member`` unless told.
    """
    access.require_write(actor, network)
    day = today or clock.today_in(network.time_zone)
    new_organization = False
    if isinstance(organization, str):
        name = clean_name(organization, "organization")
        found = organization_named(network, name)
        if found is None:
            found = Organization.objects.create(
                network=network, name=name, kind=Organization.Kind.ASSOCIATION
            )
            new_organization = True
        organization = found
    else:
        access.require_in_network(network, organization)
    role = _clean_role(role) if role is not None else None
    myself = me_in(network)
    membership = my_membership(network, organization)
    if membership is None:
        start = start_on or day
        _check_dates(start, renews_on)
        membership = Affiliation.objects.create(
            person=myself,
            organization=organization,
            kind=Affiliation.Kind.MEMBERSHIP,
            title=role or DEFAULT_ROLE,
            start_on=start,
            renews_on=renews_on,
        )
        joined = True
    else:
        if role is not None:
            membership.title = role
        if start_on is not None:
            membership.start_on = start_on
        if renews_on is not None:
            membership.renews_on = renews_on
        _check_dates(membership.start_on, membership.renews_on)
        membership.save(update_fields=["title", "start_on", "renews_on"])
        joined = False
    changes.record(
        network,
        "membership.joined" if joined else "membership.updated",
        actor=actor,
        record_id=membership.pk,
        person_ids=[myself.pk],
        data={"organization_id": organization.pk, "organization_created": new_organization},
    )
    return Joined(membership, new_membership=joined, new_organization=new_organization)


def _current_membership(network: Network, organization: Organization) -> Affiliation:
    membership = my_membership(network, organization)
    if membership is None:
        raise InvalidInput("organization", f"I am not a member of {organization.name}")
    return membership


@transaction.atomic
def renew_membership(
    network: Network,
    actor: User,
    organization: Organization,
    *,
    until: dt.date,
    today: dt.date | None = None,
) -> Affiliation:
    """Record that I renewed my membership: it now renews on ``until`` (after today)."""
    access.require_write(actor, network)
    access.require_in_network(network, organization)
    day = today or clock.today_in(network.time_zone)
    membership = _current_membership(network, organization)
    if until <= day:
        raise InvalidInput("until", f"{until.isoformat()} is not after today ({day.isoformat()})")
    _check_dates(membership.start_on, until)
    membership.renews_on = until
    membership.save(update_fields=["renews_on"])
    changes.record(
        network,
        "membership.renewed",
        actor=actor,
        record_id=membership.pk,
        person_ids=[membership.person_id],
        data={"organization_id": organization.pk, "renews_on": until.isoformat()},
    )
    return membership


@transaction.atomic
def leave_organization(
    network: Network, actor: User, organization: Organization, *, today: dt.date | None = None
) -> Affiliation:
    """End my current membership today; it stays as a past membership."""
    access.require_write(actor, network)
    access.require_in_network(network, organization)
    day = today or clock.today_in(network.time_zone)
    membership = _current_membership(network, organization)
    if membership.start_on is not None and membership.start_on > day:
        raise InvalidInput(
            "organization",
            f"my membership of {organization.name} starts on "
            f"{membership.start_on.isoformat()}, after today",
        )
    membership.end_on = day
    membership.save(update_fields=["end_on"])
    changes.record(
        network,
        "membership.ended",
        actor=actor,
        record_id=membership.pk,
        person_ids=[membership.person_id],
        data={"organization_id": organization.pk, "end_on": day.isoformat()},
    )
    return membership


@transaction.atomic
def set_renewal_notice(network: Network, actor: User, days: int) -> Network:
    """How many days ahead a membership renewal shows on the agenda (0 to 365)."""
    access.require_write(actor, network)
    if not 0 <= days <= NOTICE_LIMIT:
        raise InvalidInput("days", f"{days} is not between 0 and {NOTICE_LIMIT}")
    network.renewal_notice_days = days
    network.save(update_fields=["renewal_notice_days"])
    changes.network_updated(network, actor, ["renewal_notice_days"])
    return network
