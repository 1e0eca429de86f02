"""The strength formula's promises (issue 17), as properties over any factors and weights:
a newer interaction never lowers a score, more of anything never lowers it, a weight of
zero removes its factor, and the words name exactly the factors that contributed."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from kithkin import strength
from kithkin.strength import FACTORS, Factors, Weights

counts = st.integers(min_value=0, max_value=5000)
COUNTED = [f.name for f in dataclasses.fields(Factors) if f.name != "days_since_last"]

factors = st.builds(
    Factors,
    days_since_last=st.none() | st.integers(min_value=0, max_value=360),
    interactions=counts,
    deep=counts,
    months=st.integers(min_value=0, max_value=12),
    they_reached_out=counts,
    given_weight=counts,
    given_count=counts,
    introductions=counts,
    received_weight=counts,
    received_count=counts,
)
weights = st.builds(Weights, **{name: st.integers(min_value=0, max_value=10) for name in FACTORS})


@given(factors, weights)
def test_a_score_is_between_0_and_100(f: Factors, w: Weights) -> None:
    assert 0 <= strength.score(f, w).value <= 100


@given(factors, weights, st.integers(min_value=0, max_value=360))
def test_a_newer_interaction_never_lowers_a_score(f: Factors, w: Weights, days: int) -> None:
    """The last contact moved closer (or a first one in the year) scores at least as high."""
    newer = days if f.days_since_last is None else min(days, f.days_since_last)
    assert (
        strength.score(dataclasses.replace(f, days_since_last=newer), w).value
        >= strength.score(f, w).value
    )


@given(factors, weights, st.sampled_from(COUNTED), st.integers(min_value=1, max_value=500))
def test_more_of_anything_never_lowers_a_score(
    f: Factors, w: Weights, name: str, more: int
) -> None:
    value = getattr(f, name) + more
    if name == "months":
        value = min(value, 12)
    assert (
        strength.score(dataclasses.replace(f, **{name: value}), w).value
        >= strength.score(f, w).value
    )


def _inputs_of(name: str) -> list[str]:
    return {
        "recency": ["days_since_last"],
        "frequency": ["interactions"],
        "depth": ["deep"],
        "continuity": ["months"],
        "reciprocity": ["they_reached_out"],
        "given": ["given_weight", "given_count", "introductions"],
        "received": ["received_weight", "received_count"],
    }[name]


@given(factors, factors, weights, st.sampled_from(FACTORS))
def test_a_weight_of_zero_removes_its_factor(
    f: Factors, other: Factors, w: Weights, name: str
) -> None:
    """With its weight at zero, a factor's inputs change neither the score nor the words."""
    w = dataclasses.replace(w, **{name: 0})
    changed = dataclasses.replace(f, **{field: getattr(other, field) for field in _inputs_of(name)})
    a, b = strength.score(f, w), strength.score(changed, w)
    assert a.value == b.value
    assert name not in a.contributed
    assert a.words == b.words


@given(factors, weights)
def test_the_words_name_exactly_the_factors_that_contributed(f: Factors, w: Weights) -> None:
    found = strength.score(f, w)
    value = strength.values(f)
    contributed = {name for name in FACTORS if getattr(w, name) > 0 and value[name] > 0}
    assert set(found.contributed) == contributed
    assert len(found.words) == len(contributed)
    for name, words in zip(found.contributed, found.words, strict=True):
        assert words == strength._phrase(name, f)


def test_the_words_read_as_the_issue_says() -> None:
    found = strength.score(
        Factors(
            days_since_last=12,
            interactions=5,
            deep=3,
            months=4,
            they_reached_out=2,
            given_weight=4,
            given_count=2,
            introductions=2,
        ),
        Weights(),
    )
    assert found.explanation == (
        "last in touch 12 days ago; 5 interactions in the past year; met or spoke 3 times "
        "this year; in touch in 4 of the last 12 months; they reached out twice; "
        "you introduced them to 2 people"
    )


def test_nothing_in_the_past_year_scores_zero_and_says_so() -> None:
    found = strength.score(Factors(), Weights())
    assert (found.value, found.words, found.explanation) == (0, (), "no contact in the past year")


def test_the_presets_weigh_what_their_names_say() -> None:
    meetings, giving = strength.PRESETS["meetings"], strength.PRESETS["giving"]
    deep = Factors(days_since_last=30, interactions=4, deep=4, months=4)
    generous = Factors(days_since_last=30, interactions=4, months=4, given_weight=8, given_count=4)
    assert strength.score(deep, meetings).value > strength.score(generous, meetings).value
    assert strength.score(generous, giving).value > strength.score(deep, giving).value


def test_weights_outside_0_to_10_are_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="between 0 and 10"):
        Weights.of({"depth": 11})
    with pytest.raises(ValueError, match="whole number"):
        Weights.of({"depth": "3"})
