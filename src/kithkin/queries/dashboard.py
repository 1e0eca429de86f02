"""The "who you know" report (DESIGN.md §1, know why relationships matter): how many
opportunities came through the network (someone brought them) and how many did not, by
kind and by status; who brought the most; and what came of the ones I shared.

A handful of aggregate queries, whatever the size of the network."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from kithkin.models import Network, Opportunity, OpportunityShare
from kithkin.queries.agenda_items import PersonRef

TOP_SOURCES = 10
# Share outcomes that mean it helped: they took it up.
LED_SOMEWHERE = (
    OpportunityShare.Outcome.INTERESTED,
    OpportunityShare.Outcome.APPLIED,
    OpportunityShare.Outcome.WON,
)


@dataclass(frozen=True)
class Split:
    """How many came through the network (a source person) and how many did not."""

    label: str
    through_network: int = 0
    direct: int = 0

    @property
    def total(self) -> int:
        return self.through_network + self.direct


@dataclass(frozen=True)
class Source:
    person: PersonRef
    brought: int
    won: int


@dataclass(frozen=True)
class OutcomeCount:
    outcome: str
    label: str
    count: int


@dataclass
class Report:
    total: Split
    by_kind: list[Split] = field(default_factory=list)
    by_status: list[Split] = field(default_factory=list)
    top_sources: list[Source] = field(default_factory=list)
    shares: int = 0
    share_outcomes: list[OutcomeCount] = field(default_factory=list)
    shares_taken_up: int = 0  # interested, applied or won

    @property
    def won(self) -> Split:
        return next(
            (s for s in self.by_status if s.label == Opportunity.Status.WON),
            Split(Opportunity.Status.WON),
        )


def report(network: Network) -> Report:
    counts: dict[tuple[str, str], list[int]] = {}
    rows = (
        Opportunity.objects.filter(network=network)
        .values("kind", "status")
        .annotate(
            through=Count("pk", filter=Q(source__isnull=False)),
            direct=Count("pk", filter=Q(source__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        counts[(row["kind"], row["status"])] = [row["through"], row["direct"]]

    def split(label: str, keep: int, value: str) -> Split:
        through = sum(c[0] for key, c in counts.items() if key[keep] == value)
        direct = sum(c[1] for key, c in counts.items() if key[keep] == value)
        return Split(label, through, direct)

    by_kind = [split(kind, 0, kind) for kind in Opportunity.Kind.values]
    by_status = [split(status, 1, status) for status in Opportunity.Status.values]
    total = Split(
        "all",
        sum(c[0] for c in counts.values()),
        sum(c[1] for c in counts.values()),
    )
    sources = (
        Opportunity.objects.filter(network=network, source__isnull=False)
        .values("source_id", "source__full_name")
        .annotate(brought=Count("pk"), won=Count("pk", filter=Q(status=Opportunity.Status.WON)))
        .order_by("-brought", "-won", "source__full_name", "source_id")[:TOP_SOURCES]
    )
    outcomes = dict(
        OpportunityShare.objects.filter(opportunity__network=network)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("outcome", "count")
    )
    return Report(
        total=total,
        by_kind=[s for s in by_kind if s.total],
        by_status=by_status,
        top_sources=[
            Source(
                PersonRef(row["source_id"], row["source__full_name"]), row["brought"], row["won"]
            )
            for row in sources
        ],
        shares=sum(outcomes.values()),
        share_outcomes=[
            OutcomeCount(value, str(label), outcomes.get(value, 0))
            for value, label in OpportunityShare.Outcome.choices
        ],
        shares_taken_up=sum(outcomes.get(value, 0) for value in LED_SOMEWHERE),
    )
