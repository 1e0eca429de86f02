"""A person's ties to organizations: jobs, memberships, schools, volunteering."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kithkin import access
from kithkin.errors import InvalidInput
from kithkin.models import Affiliation, Network, Organization, Person, User
from kithkin.queries.memberships import organization_named
from kithkin.services import changes
from kithkin.services.contact_rules import organization_name
from kithkin.services.contact_rules import text as text_of


def get_or_create_organization(network: Network, name: str) -> Organization:
    """The organization ``name`` names (queries.memberships.organization_key: case, accents
    and spacing aside), created if the network does not know it yet. InvalidInput if the
    name is empty, invisible or longer than 200 characters (contact_rules)."""
    name = organization_name(name)
    organization = organization_named(network, name)
    return organization or Organization.objects.create(network=network, name=name)


@transaction.atomic
def add_affiliation(
    network: Network,
    actor: User,
    person: Person,
    *,
    organization: str,
    title: str = "",
    kind: str = Affiliation.Kind.EMPLOYMENT,
    start_on: dt.date | None = None,
    end_on: dt.date | None = None,
) -> Affiliation:
    """Tie a person to an organization, created if the network does not know it yet."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    name = organization_name(organization)
    title = text_of(Affiliation, "title", title)
    if kind not in Affiliation.Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Affiliation.Kind.values)}")
    if start_on is not None and end_on is not None:
        _check_end(start_on, end_on)
    affiliation = Affiliation.objects.create(
        person=person,
        organization=get_or_create_organization(network, name),
        kind=kind,
        title=title,
        start_on=start_on,
        end_on=end_on,
    )
    _record(network, actor, affiliation)
    return affiliation


def _record(network: Network, actor: User, affiliation: Affiliation) -> None:
    """A person's ties changed: a change of theirs (``affiliations`` among its fields)."""
    changes.record(
        network,
        "person.updated",
        actor=actor,
        record_id=affiliation.person_id,
        person_ids=[affiliation.person_id],
        data={"fields": ["affiliations"], "affiliation_id": affiliation.pk},
    )


@transaction.atomic
def end_affiliation(
    network: Network, actor: User, affiliation: Affiliation, *, end_on: dt.date
) -> Affiliation:
    """Record that a current affiliation ended (a past job, a lapsed membership)."""
    access.require_write(actor, network)
    access.require_in_network(network, affiliation.person)
    if affiliation.end_on is not None:
        raise InvalidInput("end_on", f"it already ended on {affiliation.end_on.isoformat()}")
    if affiliation.start_on is not None:
        _check_end(affiliation.start_on, end_on)
    affiliation.end_on = end_on
    affiliation.save(update_fields=["end_on"])
    _record(network, actor, affiliation)
    return affiliation


@transaction.atomic
def end_job_at(
    network: Network, actor: User, person: Person, organization: str, *, end_on: dt.date
) -> list[Affiliation]:
    """End the person's current job(s) at ``organization`` (its name, by the one rule of
    queries.memberships.organization_key); their other current ties there (a membership)
    stay. InvalidInput names their current jobs when none is there."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    current = Affiliation.objects.filter(
        person=person, kind=Affiliation.Kind.EMPLOYMENT, end_on__isnull=True
    ).select_related("organization")
    found = organization_named(network, organization)
    jobs = [a for a in current if found is not None and a.organization_id == found.pk]
    if not jobs:
        others = ", ".join(str(a) for a in current) or "none"
        raise InvalidInput(
            "organization",
            f"{person.full_name} has no current job at {organization.strip()!r} "
            f"(current jobs: {others})",
        )
    return [end_affiliation(network, actor, job, end_on=end_on) for job in jobs]


def _check_end(start_on: dt.date, end_on: dt.date) -> None:
    if end_on < start_on:
        raise InvalidInput(
            "end_on", f"{end_on.isoformat()} is before it started ({start_on.isoformat()})"
        )
