"""Insights: warm-intro paths (`kith path`) and the practice's figures (`kith stats`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import OrganizationRef, PersonRef, Shape

if TYPE_CHECKING:
    from kithkin.queries.insights import Chart, Stats
    from kithkin.queries.paths import Hop, Path, PathSearch


class HopOut(Shape):
    """One step of a path: to ``person``, its strength 0-100 and why, in words."""

    person: PersonRef
    strength: int
    reasons: list[str]

    @classmethod
    def of(cls, hop: Hop) -> Self:
        return cls(person=PersonRef.of(hop.person), strength=hop.strength, reasons=hop.reasons)


class PathOut(Shape):
    """``score``: the product of the hops' strengths, 0-100; ``there``: what the last
    person does at the organization asked about ("CTO at Babbage & Co"), else empty."""

    hops: list[HopOut]
    score: int
    there: str

    @classmethod
    def of(cls, path: Path) -> Self:
        return cls(hops=[HopOut.of(h) for h in path.hops], score=path.percent, there=path.there)


class PathSearchOut(Shape):
    """`kith path TARGET`: the best paths from ``member`` (a username) to a person or to
    anyone at an organization now, best first, one per first hop."""

    person: PersonRef | None
    organization: OrganizationRef | None
    member: str
    paths: list[PathOut]

    @classmethod
    def of(cls, search: PathSearch) -> Self:
        target = search.target
        return cls(
            person=PersonRef.maybe(target.person),
            organization=None
            if target.organization is None
            else OrganizationRef.of(target.organization),
            member=search.member.get_username(),
            paths=[PathOut.of(p) for p in search.paths],
        )


class SeriesOut(Shape):
    name: str
    values: list[int]


class ChartOut(Shape):
    """One chart's numbers: ``labels`` along its x axis (months as YYYY-MM, or
    outcomes), one ``series`` per bar colour or line; ``kind`` bars or lines."""

    key: str
    title: str
    summary: str
    kind: str
    unit: str
    labels: list[str]
    series: list[SeriesOut]

    @classmethod
    def of(cls, chart: Chart) -> Self:
        return cls(
            key=chart.key,
            title=chart.title,
            summary=chart.summary,
            kind=chart.kind,
            unit=chart.unit,
            labels=chart.labels,
            series=[SeriesOut(name=s.name, values=s.values) for s in chart.series],
        )


class StatsOut(Shape):
    """`kith stats`: the Dashboard's charts, as numbers."""

    network: str
    today: dt.date
    charts: list[ChartOut]

    @classmethod
    def of(cls, stats: Stats) -> Self:
        return cls(
            network=stats.network, today=stats.today, charts=[ChartOut.of(c) for c in stats.charts]
        )
