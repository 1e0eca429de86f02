"""``generate_network``: fill a network with a believable, seeded professional network,
for ``kith demo`` (about 250 people) and the benchmarks (30,000 people, a million
interactions).

Everything is drawn from one ``random.Random(seed)`` and dated relative to ``today``, so
the same seed, day and sizes give the same data. Rows are written with bulk inserts in
batches inside one transaction; derived state (check-in due dates, search documents) is
computed once at the end by the same services the rest of Kithkin uses.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.db import transaction

from kithkin import access, clock
from kithkin.demo.generate_events import create_events
from kithkin.demo.generate_follow_ups import create_follow_ups
from kithkin.demo.generate_interactions import create_interactions
from kithkin.demo.generate_ledger import create_ledger
from kithkin.demo.generate_memberships import create_memberships
from kithkin.demo.generate_mentorships import create_mentorships
from kithkin.demo.generate_milestones import create_milestones
from kithkin.demo.generate_opportunities import create_opportunities
from kithkin.demo.generate_organizations import create_organizations
from kithkin.demo.generate_people import create_people
from kithkin.demo.generate_relationships import introduce_people, relate_people
from kithkin.demo.plan import Demo, Progress
from kithkin.errors import InvalidInput
from kithkin.models import (
    FollowUp,
    Network,
    User,
)
from kithkin.services import opportunity_matches, strength
from kithkin.services.checkins import refresh_check_ins
from kithkin.services.query_planner import refresh_statistics
from kithkin.services.search_index import reindex_people

MIN_ORGANIZATIONS = 8
PEOPLE_PER_ORGANIZATION = 12


@dataclass(frozen=True)
class DemoStats:
    people: int
    organizations: int
    interactions: int
    follow_ups: int
    seconds: float


def _check_sizes(people: int, interactions: int) -> None:
    if people < 0:
        raise InvalidInput("people", "must not be negative")
    if interactions < 0:
        raise InvalidInput("interactions", "must not be negative")
    if interactions and not people:
        raise InvalidInput("interactions", "need at least one person to interact with")


def _organization_count(people: int) -> int:
    return max(MIN_ORGANIZATIONS, people // PEOPLE_PER_ORGANIZATION) if people else 0


def _refresh_derived_state(demo: Demo) -> None:
    demo.report("indexing", 0, 3)
    refresh_statistics()
    refresh_check_ins(demo.network)
    demo.report("indexing", 1, 3)
    reindex_people(demo.network)
    demo.report("indexing", 2, 3)
    strength.refresh(demo.network)
    opportunity_matches.refresh(demo.network)  # after the documents it reads
    demo.report("indexing", 3, 3)


def generate_network(
    network: Network,
    actor: User,
    *,
    people: int = 250,
    interactions: int = 3000,
    seed: int = 7,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoStats:
    """Add ``people`` people and ``interactions`` interactions (plus organizations,
    relationships and follow-ups) to ``network``. The network's *me* is left alone."""
    access.require_write(actor, network)
    _check_sizes(people, interactions)
    started = time.perf_counter()
    demo = Demo(
        network=network,
        actor=actor,
        rng=random.Random(seed),
        today=today or clock.today_in(network.time_zone),
    )
    if progress is not None:
        demo.progress = progress
    follow_ups_before = FollowUp.objects.filter(network=network).count()
    with transaction.atomic():
        organizations = create_organizations(demo, _organization_count(people))
        plans = create_people(demo, organizations, people)
        introduce_people(demo, plans)
        relate_people(demo, plans)
        interaction_count = create_interactions(demo, plans, interactions)
        create_follow_ups(demo, plans)
        # The practices beyond keeping in touch, so a new user sees each of them at once.
        for create_practice in (
            create_events,
            create_memberships,
            create_mentorships,
            create_ledger,
            create_milestones,
            create_opportunities,
        ):
            create_practice(demo, plans, organizations)
        follow_up_count = FollowUp.objects.filter(network=network).count() - follow_ups_before
        _refresh_derived_state(demo)
    return DemoStats(
        people=len(plans),
        organizations=len(organizations),
        interactions=interaction_count,
        follow_ups=follow_up_count,
        seconds=round(time.perf_counter() - started, 3),
    )
