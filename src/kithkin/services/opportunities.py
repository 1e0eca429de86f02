"""Opportunities: recording them (and who brought them), their status, sharing them with the
people who would want them, and what came of each share.

Sharing logs an outbound message to the person ("Shared: <title>") through
``services.interactions.log_interaction``, so it counts as keeping in touch, and moves an
open opportunity to *shared*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from kithkin import access, clock, weblinks
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import (
    Interaction,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    User,
)
from kithkin.services import changes, undo
from kithkin.services.affiliations import get_or_create_organization
from kithkin.services.interactions import log_interaction
from kithkin.services.people import get_or_create_tags, tag_names

# Statuses an opportunity can no longer be shared in.
FINISHED = (Opportunity.Status.WON, Opportunity.Status.LOST, Opportunity.Status.CLOSED)


@dataclass
class NewOpportunity:
    """What a user says about an opportunity. Every field but the title and kind is optional."""

    title: str
    kind: str = Opportunity.Kind.JOB
    organization: str = ""
    tags: Sequence[str] = field(default_factory=list)
    url: str = ""
    deadline: dt.date | None = None
    source: Person | None = None  # who brought it
    for_me: bool = False
    description: str = ""


def _choice(value: str, choices: Sequence[str], field_name: str) -> str:
    value = value.strip().lower()
    if value not in choices:
        raise InvalidInput(field_name, f"{value!r} is not one of: {', '.join(choices)}")
    return value


def _url(typed: str) -> str:
    return weblinks.web_link(typed, "url")


def _title(typed: str) -> str:
    title = " ".join(typed.split())
    if not title:
        raise InvalidInput("title", "must not be empty")
    if len(title) > 200:
        raise InvalidInput("title", "is longer than 200 characters")
    return title


def _organization(network: Network, typed: str) -> Organization | None:
    name = " ".join(typed.split())
    if not name:
        return None
    if len(name) > 200:
        raise InvalidInput("organization", "is longer than 200 characters")
    return get_or_create_organization(network, name)


def _source(network: Network, source: Person | None) -> Person | None:
    if source is None:
        return None
    if source.network_id != network.pk:
        raise InvalidInput("from", "that person is not in this network")
    if source.is_self:
        raise InvalidInput("from", "is who brought it; leave it out for one you found yourself")
    return source


@transaction.atomic
def add_opportunity(network: Network, actor: User, new: NewOpportunity) -> Opportunity:
    """Record an opportunity, or change nothing at all."""
    access.require_write(actor, network)
    title = _title(new.title)
    kind = _choice(new.kind, Opportunity.Kind.values, "kind")
    url = _url(new.url)
    names = tag_names(list(new.tags))
    source = _source(network, new.source)
    now = clock.now()
    opportunity = Opportunity.objects.create(
        network=network,
        kind=kind,
        title=title,
        description=new.description.strip(),
        url=url,
        organization=_organization(network, new.organization),
        deadline=new.deadline,
        for_me=new.for_me,
        source=source,
        created_at=now,
        updated_at=now,
    )
    if names:
        opportunity.tags.add(*get_or_create_tags(network, names))
    changes.record(
        network,
        "opportunity.created",
        actor=actor,
        record_id=opportunity.pk,
        person_ids=[source.pk] if source else [],
        data={"kind": kind, "for_me": opportunity.for_me},
    )
    return opportunity


@transaction.atomic
def set_status(network: Network, actor: User, opportunity: Opportunity, status: str) -> Opportunity:
    access.require_write(actor, network)
    access.require_in_network(network, opportunity)
    opportunity.status = _choice(status, Opportunity.Status.values, "status")
    opportunity.updated_at = clock.now()
    opportunity.save(update_fields=["status", "updated_at"])
    changes.record(
        network,
        "opportunity.updated",
        actor=actor,
        record_id=opportunity.pk,
        data={"fields": ["status"], "status": opportunity.status},
    )
    return opportunity


@transaction.atomic
def share_opportunity(
    network: Network,
    actor: User,
    opportunity: Opportunity,
    person: Person,
    *,
    note: str = "",
) -> OpportunityShare:
    """Tell ``person`` about ``opportunity``: the share, an outbound message logged with
    them ("Shared: <title>"), and *open* becomes *shared*."""
    access.require_write(actor, network)
    access.require_in_network(network, opportunity)
    access.require_in_network(network, person)
    if person.is_self:
        raise InvalidInput("person", "is you; share it with someone else")
    if person.archived_at is not None:
        raise InvalidInput("person", f"{person.full_name} is archived")
    if opportunity.status in FINISHED:
        raise InvalidInput(
            "opportunity", f"#{opportunity.pk} is {opportunity.status}; nothing left to share"
        )
    earlier = OpportunityShare.objects.filter(opportunity=opportunity, person=person).first()
    if earlier is not None:
        on = clock.local_date(earlier.shared_at, network.time_zone)
        raise InvalidInput("person", f"already shared with {person.full_name} on {on.isoformat()}")
    now = clock.now()
    with undo.unrecorded():  # the share stays: undoing it is not offered yet
        interaction = log_interaction(
            network,
            actor,
            kind=Interaction.Kind.MESSAGE,
            people=[person],
            occurred_at=now,
            summary=f"Shared: {opportunity.title}",
            learned="",
            direction=Interaction.Direction.OUTBOUND,
        )
    share = OpportunityShare.objects.create(
        opportunity=opportunity,
        person=person,
        shared_at=now,
        note=note.strip(),
        interaction=interaction,
    )
    if opportunity.status == Opportunity.Status.OPEN:
        opportunity.status = Opportunity.Status.SHARED
    opportunity.updated_at = now
    opportunity.save(update_fields=["status", "updated_at"])
    changes.record(
        network,
        "opportunity.shared",
        actor=actor,
        record_id=opportunity.pk,
        person_ids=[person.pk],
        data={"share_id": share.pk, "interaction_id": interaction.pk, "status": opportunity.status},
    )
    return share


@transaction.atomic
def set_share_outcome(
    network: Network, actor: User, share: OpportunityShare, outcome: str
) -> OpportunityShare:
    """Record what came of a share: interested, applied, declined, won, lost (or pending)."""
    access.require_write(actor, network)
    if share.opportunity.network_id != network.pk:
        raise NotFound(f"No opportunity share #{share.pk} in {network.name}.")
    share.outcome = _choice(outcome, OpportunityShare.Outcome.values, "outcome")
    share.save(update_fields=["outcome"])
    changes.record(
        network,
        "opportunity_share.updated",
        actor=actor,
        record_id=share.pk,
        person_ids=[share.person_id],
        data={"opportunity_id": share.opportunity_id, "outcome": share.outcome},
    )
    return share
