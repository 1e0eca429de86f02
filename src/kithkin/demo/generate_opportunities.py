"""Demo opportunities: a dozen of them — some for me, most to share — tagged with the demo
people's tags so matching finds people at once, several brought by someone (a couple won,
for the who-you-know report), and a few already shared with an outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kithkin.demo.plan import Demo, OrganizationPlan, PersonPlan
from kithkin.models import (
    Interaction,
    InteractionParticipant,
    Opportunity,
    OpportunityShare,
    Person,
    Tag,
)

TAGGED_PEOPLE_READ = 3000  # enough tagged people to share with, whatever the network size


@dataclass(frozen=True)
class Idea:
    title: str  # "{org}" is an organization's name
    kind: str
    tags: tuple[str, ...]
    for_me: bool = False
    status: str = Opportunity.Status.OPEN
    deadline_in: int | None = None  # days from today
    brought: bool = True  # someone in the network brought it
    added_ago: int = 3
    shares: tuple[str, ...] = ()  # outcomes of the shares made


IDEAS = (
    Idea(
        "Staff engineer at {org}", "job", ("python", "open-source"), deadline_in=9,
        added_ago=2,
    ),
    Idea(
        "Data scientist, climate analytics", "job", ("data", "ml", "climate"),
        status=Opportunity.Status.SHARED, deadline_in=21, added_ago=6,
        shares=("interested", "pending"),
    ),
    Idea(
        "Open-source maintainers grant", "grant", ("open-source", "community"), deadline_in=30,
        brought=False, added_ago=4,
    ),
    Idea("Advisor for a seed-stage founder", "collaboration", ("founder", "advisor", "investor")),
    Idea(
        "Head of Product at {org}", "job", ("product", "hiring"),
        status=Opportunity.Status.SHARED, added_ago=20, shares=("applied", "declined"),
    ),
    Idea(
        "Keynote at PyCon Europe", "speaking", ("python", "speaker"), for_me=True,
        status=Opportunity.Status.PURSUING, deadline_in=14,
    ),
    Idea(
        "Security review for {org}", "client", ("security",), for_me=True,
        status=Opportunity.Status.WON, added_ago=60,
    ),
    Idea(
        "Design system contract", "client", ("design", "product"), for_me=True,
        status=Opportunity.Status.WON, added_ago=90,
    ),
    Idea(
        "Developer advocate at {org}", "job", ("community", "open-source"),
        status=Opportunity.Status.CLOSED, added_ago=75, shares=("won", "pending"),
    ),
    Idea(
        "Podcast guest spot", "speaking", ("podcast", "speaker"), for_me=True,
        status=Opportunity.Status.LOST, added_ago=45,
    ),
    Idea(
        "ML platform partnership", "deal", ("ml", "data"), for_me=True,
        status=Opportunity.Status.PURSUING, brought=False, added_ago=12,
    ),
)  # fmt: skip


def create_opportunities(
    demo: Demo, plans: list[PersonPlan], organizations: list[OrganizationPlan]
) -> int:
    """Write them; return how many opportunities were made."""
    if not plans:
        return 0
    rng = demo.rng
    tags = {tag.name: tag for tag in Tag.objects.filter(network=demo.network)}
    tagged: dict[str, list[int]] = {}
    for person_id, name in Person.tags.through.objects.filter(
        person__network=demo.network, person__is_self=False
    ).values_list("person_id", "tag__name")[:TAGGED_PEOPLE_READ]:
        tagged.setdefault(name, []).append(person_id)
    companies = [o for o in organizations if o.kind == "company"] or organizations
    opportunities = []
    for idea in IDEAS:
        company = rng.choice(companies) if companies else None
        title = idea.title.format(org=company.name if company else "a startup")
        created = demo.instant(demo.today_ordinal - idea.added_ago, 10)
        opportunities.append(
            Opportunity(
                network=demo.network,
                kind=idea.kind,
                title=title,
                description="",
                organization_id=company.pk if company and "{org}" in idea.title else None,
                deadline=dt.date.fromordinal(demo.today_ordinal + idea.deadline_in)
                if idea.deadline_in is not None
                else None,
                status=idea.status,
                for_me=idea.for_me,
                source_id=rng.choice(plans).pk if idea.brought else None,
                created_at=created,
                updated_at=created,
            )
        )
    Opportunity.objects.bulk_create(opportunities)
    Opportunity.tags.through.objects.bulk_create(
        Opportunity.tags.through(opportunity_id=item.pk, tag_id=tags[name].pk)
        for item, idea in zip(opportunities, IDEAS, strict=True)
        for name in idea.tags
        if name in tags
    )
    _share(demo, opportunities, tagged)
    return len(opportunities)


def _share(demo: Demo, opportunities: list[Opportunity], tagged: dict[str, list[int]]) -> None:
    """The shares each idea lists, with people who carry one of its tags, each logged as an
    outbound message a few days after the opportunity came in."""
    rng = demo.rng
    shares, interactions, people = [], [], []
    for item, idea in zip(opportunities, IDEAS, strict=True):
        pool = sorted({pk for name in idea.tags for pk in tagged.get(name, [])} - {item.source_id})
        chosen = rng.sample(pool, min(len(idea.shares), len(pool)))
        for person_id, outcome in zip(chosen, idea.shares, strict=False):
            when = demo.instant(demo.today_ordinal - max(idea.added_ago - 1, 0), 11)
            interactions.append(
                Interaction(
                    network=demo.network,
                    kind=Interaction.Kind.MESSAGE,
                    direction=Interaction.Direction.OUTBOUND,
                    occurred_at=when,
                    summary=f"Shared: {item.title}",
                    source=Interaction.Source.MANUAL,  # as kith share logs it
                    created_by=demo.actor,
                )
            )
            people.append(person_id)
            shares.append(
                OpportunityShare(
                    opportunity=item,
                    person_id=person_id,
                    shared_at=when,
                    note="Thought of you",
                    outcome=outcome,
                )
            )
    Interaction.objects.bulk_create(interactions)
    InteractionParticipant.objects.bulk_create(
        InteractionParticipant(interaction=interaction, person_id=person_id)
        for interaction, person_id in zip(interactions, people, strict=True)
    )
    for share, interaction in zip(shares, interactions, strict=True):
        share.interaction = interaction
    OpportunityShare.objects.bulk_create(shares)
