"""Relationship strength: the formula, pure (no database), so it can be read, documented
(docs/strength.md) and tested by properties (tests/test_strength_formula.py).

A person's strength, from me, is a number from 0 to 100: a weighted mean of seven
factors, each a value between 0 and 1 computed from a few counts (:class:`Factors`)::

    strength = round(100 * sum weight_f * value_f / sum weight_f)

- ``recency``: 2^(-days since the last interaction / 60), none in the past year: 0;
- ``frequency``: interactions in the past year, n / (n + 6);
- ``depth``: meetings, calls, video calls, event conversations and mentoring sessions in
  the past year, n / (n + 3);
- ``continuity``: of the last twelve 30-day months, those with an interaction, n / 12;
- ``reciprocity``: interactions in the past year they reached out for, n / (n + 2);
- ``given``: the weights (1-5) of what I gave them in the past year, w / (w + 4);
- ``received``: the weights of what they gave me in the past year, w / (w + 4).

Every value grows with its count (a newer interaction or more of anything never lowers a
score), a factor of weight 0 is absent from both the score and the words, and the words
name exactly the factors that added something (:func:`score`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

FACTORS = (
    "recency",
    "frequency",
    "depth",
    "continuity",
    "reciprocity",
    "given",
    "received",
)

# How many days halve the recency; what makes half of each saturating factor.
RECENCY_HALF_LIFE_DAYS = 60
HALF = {"frequency": 6, "depth": 3, "reciprocity": 2, "given": 4, "received": 4}
MONTHS = 12  # continuity counts the last twelve 30-day months
MAX_WEIGHT = 10


@dataclass(frozen=True)
class Factors:
    """What one person's interactions and ledger add up to, as of one day."""

    days_since_last: int | None = None  # None: no interaction in the past year
    interactions: int = 0
    deep: int = 0  # meetings, calls, video, event conversations, mentoring sessions
    months: int = 0  # of the last 12 thirty-day months, those with an interaction
    they_reached_out: int = 0
    given_weight: int = 0
    given_count: int = 0
    introductions: int = 0  # of what I gave them: people I introduced them to
    received_weight: int = 0
    received_count: int = 0

    def as_dict(self) -> dict[str, int | None]:
        return dict(vars(self))

    @classmethod
    def of(cls, values: dict[str, int | None]) -> Factors:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})  # type: ignore[arg-type]


@dataclass(frozen=True)
class Weights:
    """How much each factor counts, 0 (not at all) to 10."""

    recency: int = 3
    frequency: int = 2
    depth: int = 2
    continuity: int = 2
    reciprocity: int = 1
    given: int = 1
    received: int = 1

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FACTORS}

    @classmethod
    def of(cls, values: dict[str, object]) -> Weights:
        """Weights from stored or typed values; a missing factor keeps its default."""
        chosen: dict[str, int] = {}
        for name in FACTORS:
            if name in values:
                value = values[name]
                if not isinstance(value, int) or isinstance(value, bool):
                    raise ValueError(f"the weight of {name} must be a whole number")
                if not 0 <= value <= MAX_WEIGHT:
                    raise ValueError(f"the weight of {name} must be between 0 and {MAX_WEIGHT}")
                chosen[name] = value
        return cls(**chosen)


PRESETS: dict[str, Weights] = {
    "balanced": Weights(),
    "meetings": Weights(recency=2, frequency=1, depth=5, continuity=2, reciprocity=1),
    "giving": Weights(recency=2, frequency=1, depth=1, continuity=1, given=4, received=3),
}
PRESET_LABELS = {
    "balanced": "Balanced",
    "meetings": "Meetings matter most",
    "giving": "Giving matters most",
}


@dataclass(frozen=True)
class Score:
    value: int  # 0-100
    points: dict[str, float]  # what each contributing factor added, out of 100
    words: tuple[str, ...]  # one phrase per contributing factor, in FACTORS' order

    @property
    def contributed(self) -> tuple[str, ...]:
        return tuple(self.points)

    @property
    def explanation(self) -> str:
        return "; ".join(self.words) if self.words else "no contact in the past year"


def _saturating(count: int, half: int) -> float:
    """count / (count + half), written so it never decreases as count grows."""
    if count <= 0:
        return 0.0
    return 1.0 - half / (count + half)


def values(factors: Factors) -> dict[str, float]:
    """Each factor's value, 0 to 1."""
    days = factors.days_since_last
    recency = (
        0.0 if days is None else math.exp(-max(days, 0) * math.log(2) / RECENCY_HALF_LIFE_DAYS)
    )
    return {
        "recency": recency,
        "frequency": _saturating(factors.interactions, HALF["frequency"]),
        "depth": _saturating(factors.deep, HALF["depth"]),
        "continuity": min(max(factors.months, 0), MONTHS) / MONTHS,
        "reciprocity": _saturating(factors.they_reached_out, HALF["reciprocity"]),
        "given": _saturating(factors.given_weight, HALF["given"]),
        "received": _saturating(factors.received_weight, HALF["received"]),
    }


def score(factors: Factors, weights: Weights, *, words: bool = True) -> Score:
    """The strength ``factors`` add up to under ``weights``, with its words (none when
    ``words`` is False: only the value is wanted)."""
    total = sum(weights.as_dict().values())
    if total == 0:
        return Score(0, {}, ())
    weighted = {name: getattr(weights, name) * value for name, value in values(factors).items()}
    points = {name: 100 * w / total for name, w in weighted.items() if w > 0}
    value = math.floor(100 * sum(weighted.values()) / total + 0.5)
    phrases = tuple(_phrase(name, factors) for name in points) if words else ()
    return Score(min(value, 100), points, phrases)


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _phrase(name: str, f: Factors) -> str:
    """The words for one contributing factor."""
    if name == "recency":
        days = f.days_since_last or 0
        when = {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")
        return f"last in touch {when}"
    if name == "frequency":
        return f"{_plural(f.interactions, 'interaction')} in the past year"
    if name == "depth":
        return f"met or spoke {_times(f.deep)} this year"
    if name == "continuity":
        return f"in touch in {f.months} of the last 12 months"
    if name == "reciprocity":
        return f"they reached out {_times(f.they_reached_out)}"
    if name == "given":
        others = f.given_count - f.introductions
        parts = []
        if f.introductions:
            people = "1 person" if f.introductions == 1 else f"{f.introductions} people"
            parts.append(f"you introduced them to {people}")
        if others > 0 or not parts:
            parts.append(f"you helped them {_times(max(others, 1))}")
        return " and ".join(parts)
    assert name == "received"
    return f"they helped you {_times(max(f.received_count, 1))}"


def trend(now: int, before: int) -> int:
    """Points gained (positive) or lost since 90 days ago."""
    return now - before
