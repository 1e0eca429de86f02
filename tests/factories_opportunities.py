"""Opportunities and shares with keyword defaults, built through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kithkin.models import Network, Opportunity, OpportunityShare, Person, User
from kithkin.services.opportunities import NewOpportunity, add_opportunity, share_opportunity
from tests.factories import make_person, owner_of


def make_opportunity(
    network: Network,
    title: str = "Staff engineer at Babbage",
    *,
    kind: str = "job",
    organization: str = "",
    tags: Sequence[str] = (),
    url: str = "",
    deadline: dt.date | None = None,
    source: Person | None = None,
    for_me: bool = False,
    description: str = "",
    status: str = "",
    by: User | None = None,
) -> Opportunity:
    opportunity = add_opportunity(
        network,
        by or owner_of(network),
        NewOpportunity(
            title=title,
            kind=kind,
            organization=organization,
            tags=list(tags),
            url=url,
            deadline=deadline,
            source=source,
            for_me=for_me,
            description=description,
        ),
    )
    if status:
        Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
        opportunity.refresh_from_db()
    return opportunity


def make_share(
    network: Network,
    opportunity: Opportunity,
    person: Person,
    *,
    note: str = "",
    outcome: str = "",
    by: User | None = None,
) -> OpportunityShare:
    share = share_opportunity(network, by or owner_of(network), opportunity, person, note=note)
    if outcome:
        OpportunityShare.objects.filter(pk=share.pk).update(outcome=outcome)
        share.refresh_from_db()
    return share


def make_compiler_engineer(network: Network) -> Person:
    """Grace Hopper, a close tie who is a strong match for a compiler job: rust and
    compilers in her tags, a staff engineer's title, and moving into compilers is what
    matters to her."""
    return make_person(
        network,
        "Grace Hopper",
        organization="Navy",
        title="Staff Engineer",
        tags=["rust", "compilers"],
        circle="close",
        what_matters="Wants to move into compilers",
    )
