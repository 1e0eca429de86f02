from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kithkin.dates import Every, every_from_rrule, parse_date, parse_every
from kithkin.errors import InvalidInput

TODAY = dt.date(2026, 2, 20)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-01-10", dt.date(2026, 1, 10)),
        ("today", TODAY),
        ("Tomorrow", dt.date(2026, 2, 21)),
        ("yesterday", dt.date(2026, 2, 19)),
        ("+3d", dt.date(2026, 2, 23)),
        ("-2w", dt.date(2026, 2, 6)),
        ("+1m", dt.date(2026, 3, 20)),
        ("+1y", dt.date(2027, 2, 20)),
        ("-40d", dt.date(2026, 1, 11)),
        # In words, read by parsedatetime relative to the frozen Friday 20 February 2026.
        ("next friday", dt.date(2026, 2, 27)),
        ("Next  Friday", dt.date(2026, 2, 27)),
        ("monday", dt.date(2026, 2, 23)),
        ("in 2 weeks", dt.date(2026, 3, 6)),
        ("in 3 days", dt.date(2026, 2, 23)),
        ("2 weeks ago", dt.date(2026, 2, 6)),
        ("3 march", dt.date(2026, 3, 3)),
        ("2026-3-5", dt.date(2026, 3, 5)),
    ],
)
def test_parse_date(typed, day):
    assert parse_date(typed, TODAY) == day


@pytest.mark.parametrize(
    "typed", ["2026-02-30", "", "+3x", "20/02/2026", "11-20", "soon", "friday banana", "3pm"]
)
def test_bad_dates_name_the_field_and_the_value(typed):
    with pytest.raises(InvalidInput, match="--due") as caught:
        parse_date(typed, TODAY, "--due")
    assert repr(typed) in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "every", "days"),
    [
        ("30d", Every(30, "d"), 30),
        ("2w", Every(2, "w"), 14),
        ("3m", Every(3, "m"), 90),
        ("monthly", Every(1, "m"), 30),
        ("1y", Every(1, "y"), 365),
    ],
)
def test_parse_every(typed, every, days):
    assert parse_every(typed) == every
    assert every.approx_days == days
    assert every_from_rrule(every.rrule) == every


@pytest.mark.parametrize("typed", ["0d", "often", "3", "-1w"])
def test_bad_intervals(typed):
    with pytest.raises(InvalidInput):
        parse_every(typed)


def test_monthly_from_the_31st_keeps_its_day_when_it_can():
    every = Every(1, "m")
    start = dt.date(2026, 1, 31)
    assert [every.after(start, n) for n in (1, 2, 3)] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
    ]


@given(st.text(max_size=30))
def test_parsers_raise_only_invalid_input(text):
    for call in (lambda: parse_date(text, TODAY), lambda: parse_every(text)):
        with contextlib.suppress(InvalidInput):
            call()
