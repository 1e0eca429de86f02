"""Opportunities, their shares, who would want one, and the who-you-know report."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from pydantic import Field

from kithkin.schemas.base import Input, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.models import Opportunity, OpportunityShare, Person
    from kithkin.queries.dashboard import Report, Split
    from kithkin.queries.matching import Match
    from kithkin.services.opportunities import NewOpportunity


class ShareOut(Shape):
    """``outcome``: pending, interested, applied, declined, won or lost."""

    id: int
    opportunity: int
    person: PersonRef
    shared_on: dt.date
    note: str
    outcome: str

    @classmethod
    def of(cls, share: OpportunityShare, time_zone: str) -> Self:
        from kithkin import clock

        return cls(
            id=share.pk,
            opportunity=share.opportunity_id,
            person=PersonRef.of(share.person),
            shared_on=clock.local_date(share.shared_at, time_zone),
            note=share.note,
            outcome=share.outcome,
        )


class OpportunityOut(Shape):
    """`kith opp list`. ``status``: open, shared, pursuing, won, lost, closed; ``source``
    who brought it; ``added_on`` in the time zone given."""

    id: int
    kind: str
    title: str
    organization: str | None
    tags: list[str]
    url: str | None
    deadline: dt.date | None
    status: str
    for_me: bool
    source: PersonRef | None
    description: str
    added_on: dt.date

    @classmethod
    def of(cls, item: Opportunity, time_zone: str, *, tags: list[str] | None = None) -> Self:
        from kithkin import clock

        return cls(
            id=item.pk,
            kind=item.kind,
            title=item.title,
            organization=item.organization.name if item.organization else None,
            tags=tags if tags is not None else [tag.name for tag in item.tags.all()],
            url=item.url or None,
            deadline=item.deadline,
            status=item.status,
            for_me=item.for_me,
            source=PersonRef.maybe(item.source),
            description=item.description,
            added_on=clock.local_date(item.created_at, time_zone),
        )


class OpportunityDetailOut(OpportunityOut):
    """`kith opp show`, `kith opp add`: whom it was shared with too."""

    shares: list[ShareOut]

    @classmethod
    def of_detail(
        cls,
        item: Opportunity,
        time_zone: str,
        *,
        tags: list[str] | None = None,
        shares: list[OpportunityShare],
    ) -> Self:
        return cls(
            **OpportunityOut.of(item, time_zone, tags=tags).model_dump(),
            shares=[ShareOut.of(share, time_zone) for share in shares],
        )


class OpportunityRef(Shape):
    id: int
    title: str


class MatchOut(Shape):
    person: PersonRef
    score: float
    reasons: list[str]
    already_shared: bool

    @classmethod
    def of(cls, match: Match) -> Self:
        return cls(
            person=PersonRef.of(match.person),
            score=match.score,
            reasons=match.reasons,
            already_shared=match.already_shared,
        )


class MatchesOut(Shape):
    """`kith opp match`: who would most want it, best first."""

    opportunity: OpportunityRef
    matches: list[MatchOut]

    @classmethod
    def of(cls, item: Opportunity, matches: list[Match]) -> Self:
        return cls(
            opportunity=OpportunityRef(id=item.pk, title=item.title),
            matches=[MatchOut.of(m) for m in matches],
        )


class SplitOut(Shape):
    """How many came through the network (someone brought them) and how many did not."""

    through_network: int
    direct: int
    total: int

    @classmethod
    def of(cls, split: Split) -> Self:
        return cls(through_network=split.through_network, direct=split.direct, total=split.total)


class SourceOut(Shape):
    person: PersonRef
    brought: int
    won: int


class SharesReportOut(Shape):
    """``taken_up``: shares that led to interest, an application or a win."""

    total: int
    taken_up: int
    by_outcome: dict[str, int]


class ReportOut(Shape):
    """`kith opp report`: ``by_kind`` the kinds that have any, ``by_status`` every status."""

    total: SplitOut
    by_kind: dict[str, SplitOut]
    by_status: dict[str, SplitOut]
    top_sources: list[SourceOut]
    shares: SharesReportOut

    @classmethod
    def of(cls, result: Report) -> Self:
        return cls(
            total=SplitOut.of(result.total),
            by_kind={s.label: SplitOut.of(s) for s in result.by_kind},
            by_status={s.label: SplitOut.of(s) for s in result.by_status},
            top_sources=[
                SourceOut(person=PersonRef.of(s.person), brought=s.brought, won=s.won)
                for s in result.top_sources
            ],
            shares=SharesReportOut(
                total=result.shares,
                taken_up=result.shares_taken_up,
                by_outcome={o.outcome: o.count for o in result.share_outcomes},
            ),
        )


class OpportunityIn(Input):
    """What recording an opportunity takes (`kith opp add`): ``source`` the id of who
    brought it."""

    title: str = Field(min_length=1)
    kind: str = "job"
    organization: str = ""
    tags: list[str] = []
    url: str = ""
    deadline: dt.date | None = None
    source: int | None = None
    for_me: bool = False
    description: str = ""

    def new_opportunity(self, source: Person | None) -> NewOpportunity:
        """What ``services.opportunities.add_opportunity`` takes, with ``source`` loaded
        (through access.py) by the interface."""
        from kithkin.services.opportunities import NewOpportunity

        return NewOpportunity(**{**self.model_dump(), "source": source})


class ShareIn(Input):
    """What sharing an opportunity with someone takes (`kith share`)."""

    person: int
    note: str = ""


class OpportunityChange(Input):
    """What changes on an opportunity (as the web's status form): its ``status``, one of
    open, shared, pursuing, won, lost, closed."""

    status: str


class ShareChange(Input):
    """What a share led to: ``outcome`` pending, interested, applied, declined, won or lost."""

    outcome: str
