"""Relationship strength (docs/strength.md): one person's, with its words and factors, and
the network's strongest and fading ties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.queries.strength import PersonStrength


class StrengthFactorsOut(Shape):
    """The counts a score is computed from, as of today (docs/strength.md)."""

    days_since_last: int | None
    interactions: int
    deep: int
    months: int
    they_reached_out: int
    given_weight: int
    given_count: int
    introductions: int
    received_weight: int
    received_count: int


class StrengthOut(Shape):
    """A person's strength from me: 0-100, what it was 90 days ago, the points gained or
    lost since, and the words that explain it (one phrase per factor that counted)."""

    id: int
    name: str
    score: int
    before: int
    trend: int
    explanation: str
    words: list[str]
    factors: StrengthFactorsOut

    @classmethod
    def of(cls, found: PersonStrength) -> Self:
        return cls(
            id=found.person_id,
            name=found.name,
            score=found.score,
            before=found.before,
            trend=found.trend,
            explanation=found.explanation,
            words=list(found.words),
            factors=StrengthFactorsOut(**found.factors.as_dict()),  # type: ignore[arg-type]
        )


def nothing_yet(person_id: int, name: str) -> StrengthOut:
    """Someone with nothing that counts: 0, no words."""
    from kithkin.strength import Factors

    return StrengthOut(
        id=person_id,
        name=name,
        score=0,
        before=0,
        trend=0,
        explanation="no contact in the past year",
        words=[],
        factors=StrengthFactorsOut(**Factors().as_dict()),  # type: ignore[arg-type]
    )


class StrengthListOut(Shape):
    """`kith strength`: the strongest relationships, and strong ones fading fastest."""

    strongest: list[StrengthOut]
    fading: list[StrengthOut]
