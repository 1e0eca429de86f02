"""Occasions: the birthdays, work anniversaries and milestones to celebrate and the
challenges to offer help with, read for any window of days. The agenda, the Milestones
page, ``kith milestone list`` and the person page (``queries.milestones``) all read them
here.
The occasion rules:

- A *yearly* occasion falls on its month and day every year: a birthday (Person
  ``birthday_*``, year optional), a work anniversary (the start of a current job, once a
  whole year has passed), a milestone marked yearly. A 29 February falls on 28 February
  in years without one.
- The agenda's ``celebrate`` section shows yearly occasions from today to today + the
  network's ``celebrate_within_days``, and once-only milestones from that many days
  before their date until ``CELEBRATE_AFTER_DAYS`` after it (a recent promotion is still
  worth congratulating). Its ``support`` section shows challenges (support kinds) for
  ``SUPPORT_DAYS`` from their date.
- An occasion is *celebrated* when an interaction with the person carries its occasion
  key ("birthday:2026", "anniversary:<affiliation id>:2026", "milestone:<id>:2026"), so
  a yearly one comes back next year; a once-only milestone or a challenge when any
  interaction is linked to it. Celebrated occasions leave the agenda.

Every read filters in SQL by the (month, day) pairs of its window, so it reads only the
few rows that can fall in it, whatever the size of the network: a bounded number of
queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from django.db.models import F, Q, QuerySet

from kithkin.models import (
    Affiliation,
    Interaction,
    InteractionParticipant,
    Milestone,
    Network,
    Person,
)
from kithkin.models.functions import MonthDay
from kithkin.queries.agenda_items import PersonRef
from kithkin.queries.occasion_dates import (
    dates_q,
    each_day,
    month_days_q,
    nearest_occurrence,
    next_occurrence,
    occurrence_between,
    occurrence_in,
    yearly_q,
)

CELEBRATE_AFTER_DAYS = 7  # a once-only milestone stays on the agenda a week after its date
SUPPORT_DAYS = 30  # a challenge stays on the agenda for 30 days from its date

BIRTHDAY = "birthday"
ANNIVERSARY = "anniversary"
MILESTONE = "milestone"

_BIRTHDAY_KIND = Milestone.Kind.BIRTHDAY.value
_SUPPORT_KINDS = sorted(str(kind) for kind in Milestone.SUPPORT_KINDS)


# -- occasions --------------------------------------------------------------------------


def birthday_key(year: int) -> str:
    """The occasion key of a birthday in ``year`` (``Occasion.key``)."""
    return f"{BIRTHDAY}:{year}"


def anniversary_key(affiliation_id: int, year: int) -> str:
    return f"{ANNIVERSARY}:{affiliation_id}:{year}"


@dataclass(frozen=True)
class Occasion:
    """One birthday, work anniversary, milestone or challenge, on the day it falls."""

    source: str  # BIRTHDAY, ANNIVERSARY or MILESTONE
    person: PersonRef
    on: dt.date  # the day it falls on (for a yearly one: this occurrence)
    label: str  # "birthday", "work anniversary", "promotion", "job loss"...
    kind: str  # a Milestone.Kind value ("birthday", "work-anniversary" for the others)
    title: str = ""  # a milestone's title; the organization of an anniversary
    note: str = ""
    years: int | None = None  # turns N (a birthday), N years (an anniversary)
    yearly: bool = True
    support: bool = False
    milestone_id: int | None = None
    affiliation_id: int | None = None
    moved_from_leap_day: bool = False  # 29 February, on the 28th this year
    celebrated: bool = False

    @property
    def key(self) -> str:
        """The occasion key an interaction celebrating it carries; "" for a once-only
        milestone or a challenge (the interaction links to the milestone instead)."""
        if self.source == BIRTHDAY:
            return birthday_key(self.on.year)
        if self.source == ANNIVERSARY:
            assert self.affiliation_id is not None
            return anniversary_key(self.affiliation_id, self.on.year)
        if self.yearly:
            return f"milestone:{self.milestone_id}:{self.on.year}"
        return ""

    @property
    def html_id(self) -> str:
        ident = self.milestone_id if self.source == MILESTONE else self.affiliation_id
        return f"{self.source}-{ident or self.person.id}-{self.on.year}"

    @property
    def is_birthday(self) -> bool:
        return self.kind == _BIRTHDAY_KIND

    @property
    def draft_kind(self) -> str:
        return "offer-help" if self.support else "congratulations"

    @property
    def what(self) -> str:
        """What it is, for a draft or a summary: "their birthday", "the promotion: VP"."""
        if self.is_birthday:
            return "your birthday"
        if self.source == ANNIVERSARY:
            return f"{_years(self.years or 0)} at {self.title}"
        if self.kind == Milestone.Kind.CUSTOM and self.title:
            return self.title
        return f"the {self.label}" + (f": {self.title}" if self.title else "")

    def due(self, today: dt.date, within_days: int) -> bool:
        """Whether the agenda shows it on ``today`` (celebrated or not)."""
        if self.support:
            return 0 <= (today - self.on).days < SUPPORT_DAYS
        if self.yearly:
            return 0 <= (self.on - today).days <= within_days
        return -CELEBRATE_AFTER_DAYS <= (self.on - today).days <= within_days


def kind_label(kind: str) -> str:
    """How a kind reads in a sentence: "promotion", "new job", "job loss", "milestone"."""
    if kind == Milestone.Kind.CUSTOM:
        return "milestone"
    return str(Milestone.Kind(kind).label).lower()


def kind_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The kinds, as a form offers them: to celebrate, then to offer help with."""
    celebrate = [(str(k.value), kind_label(k.value).capitalize()) for k in Milestone.Kind]
    return [
        ("Celebrate", [c for c in celebrate if c[0] not in _SUPPORT_KINDS]),
        ("Offer help", [c for c in celebrate if c[0] in _SUPPORT_KINDS]),
    ]


def _years(count: int) -> str:
    return "1 year" if count == 1 else f"{count} years"


def _day_words(on: dt.date, today: dt.date, *, relative: bool) -> str:
    if relative and on == today:
        return "today"
    if relative and on == today + dt.timedelta(days=1):
        return "tomorrow"
    return f"on {on:%-d %B}" + (f" {on.year}" if not relative and on.year != today.year else "")


def reason(occasion: Occasion, today: dt.date) -> str:
    """Why it is on the agenda: "birthday tomorrow (turns 40)", "3 years at Babbage & Co
    on 2 March", "promotion on 20 February: VP Engineering", "job loss on 10 February"."""
    when = _day_words(occasion.on, today, relative=occasion.yearly)
    if occasion.is_birthday:
        return f"birthday {when}" + (f" (turns {occasion.years})" if occasion.years else "")
    if occasion.source == ANNIVERSARY:
        return f"{_years(occasion.years or 0)} at {occasion.title} {when}"
    text = f"{occasion.label} {when}" + (f": {occasion.title}" if occasion.title else "")
    return text + (f" ({_years(occasion.years)})" if occasion.years else "")


def title(occasion: Occasion) -> str:
    """What to do: "Wish Ada Lovelace a happy birthday", "Offer help to Ada Lovelace"."""
    name = occasion.person.name
    if occasion.support:
        return f"Offer help to {name}"
    if occasion.is_birthday:
        return f"Wish {name} a happy birthday"
    if occasion.source == ANNIVERSARY:
        return f"Congratulate {name} on {_years(occasion.years or 0)} at {occasion.title}"
    if occasion.kind == Milestone.Kind.CUSTOM:
        return f"Congratulate {name}" + (f": {occasion.title}" if occasion.title else "")
    return f"Congratulate {name} on their {occasion.label}"


def detail(occasion: Occasion) -> str:
    lines = []
    if occasion.moved_from_leap_day:
        lines.append("29 February: celebrated on 28 February in other years.")
    if occasion.note:
        lines.append(occasion.note.strip().splitlines()[0])
    return " ".join(lines)


def birthday_occasion(
    person_id: int, name: str, year: int | None, month: int, day: int, on: dt.date
) -> Occasion:
    return Occasion(
        source=BIRTHDAY,
        person=PersonRef(person_id, name),
        on=on,
        label="birthday",
        kind=_BIRTHDAY_KIND,
        years=on.year - year if year and on.year > year else None,
        moved_from_leap_day=(month, day) != (on.month, on.day),
    )


def _anniversary(
    affiliation_id: int, person_id: int, name: str, organization: str, start: dt.date, on: dt.date
) -> Occasion | None:
    years = on.year - start.year
    if years < 1:
        return None  # a job that started this year, or has not started yet
    return Occasion(
        source=ANNIVERSARY,
        person=PersonRef(person_id, name),
        on=on,
        label="work anniversary",
        kind=Milestone.Kind.WORK_ANNIVERSARY.value,
        title=organization,
        years=years,
        affiliation_id=affiliation_id,
        moved_from_leap_day=(start.month, start.day) != (on.month, on.day),
    )


def _milestone(milestone: Milestone, name: str, on: dt.date) -> Occasion:
    years = on.year - milestone.year if milestone.recurs_yearly and milestone.year else None
    return Occasion(
        source=MILESTONE,
        person=PersonRef(milestone.person_id, name),
        on=on,
        label=kind_label(milestone.kind),
        kind=milestone.kind,
        title=milestone.title,
        note=milestone.note,
        years=years if years and years > 0 else None,
        yearly=milestone.recurs_yearly,
        support=milestone.is_support,
        milestone_id=milestone.pk,
        moved_from_leap_day=milestone.recurs_yearly
        and (milestone.month, milestone.day) != (on.month, on.day),
    )


def milestone_date(milestone: Milestone) -> dt.date | None:
    """The date of a once-only milestone (None for a yearly one without a year)."""
    if milestone.year is None:
        return None
    try:
        return dt.date(milestone.year, milestone.month, milestone.day)
    except ValueError:
        return occurrence_in(milestone.year, milestone.month, milestone.day)


def milestone_occasion(milestone: Milestone, today: dt.date, *, nearest: bool = False) -> Occasion:
    """A milestone as an occasion: a once-only one on its date, a yearly one on its next
    occurrence (``nearest``: the one closest to today, before or after)."""
    name = milestone.person.full_name
    if milestone.recurs_yearly:
        pick = nearest_occurrence if nearest else next_occurrence
        return _milestone(milestone, name, pick(milestone.month, milestone.day, today))
    on = milestone_date(milestone)
    assert on is not None  # the database requires a year unless yearly
    return _milestone(milestone, name, on)


def _people(network: Network, include_self: bool, person_id: int | None) -> Q:
    query = Q(person__network=network, person__archived_at__isnull=True)
    if not include_self:
        query &= Q(person__is_self=False)
    if person_id is not None:
        query &= Q(person_id=person_id)
    return query


_Key = tuple[dt.date, str, int, str]  # an occasion's _order


class Unbuilt(NamedTuple):
    """An occasion not built yet: its ``occasion_order``, what builds it, and what says
    whether it was celebrated (its person and ``Occasion.key``, or a once-only milestone's
    id), so a thousand can be sorted, counted and flagged and only the few shown built."""

    order: _Key
    build: Callable[..., Occasion | None]
    args: tuple[Any, ...]
    person_id: int
    key: str
    milestone_id: int | None = None


def unbuilt(occasion: Occasion) -> Unbuilt:
    """An occasion already built, as a row among unbuilt ones."""
    return Unbuilt(
        occasion_order(occasion),
        _same,
        (occasion,),
        occasion.person.id,
        occasion.key,
        occasion.milestone_id,
    )


def _same(occasion: Occasion) -> Occasion:
    return occasion


def birthday_people(
    network: Network,
    start: dt.date,
    end: dt.date,
    person_id: int | None = None,
    include_self: bool = False,
) -> QuerySet[Person]:
    """The people whose birthday falls from ``start`` to ``end`` (the ``person_birthday``
    index). ``network_id + 0`` is no index's column, so the network's own index is not
    walked instead."""
    months = sorted({day.month for day in each_day(start, min(end, start + dt.timedelta(366)))})
    people = (
        Person.objects.alias(in_network=F("network_id") + 0)
        .filter(
            yearly_q(start, end, "birthday_month", "birthday_day"),
            in_network=network.pk,
            birthday_month__in=months,  # cheaper to test first than the (month, day) pairs
            archived_at__isnull=True,
        )
        .order_by()
    )
    if not include_self:
        people = people.filter(is_self=False)
    if person_id is not None:
        people = people.filter(pk=person_id)
    return people


BIRTHDAY_COLUMNS = ("pk", "full_name", "birthday_year", "birthday_month", "birthday_day")


def birthday_row(
    row: tuple[int, str, int | None, int, int], start: dt.date, end: dt.date
) -> Unbuilt | None:
    """One row of ``BIRTHDAY_COLUMNS``, unbuilt, if its birthday falls in the window."""
    pk, name, year, month, day = row
    on = occurrence_between(month, day, start, end) if month and day else None
    if on is None:
        return None
    key = (on, name, pk, f"{BIRTHDAY}-{pk}-{on.year}")
    args = (pk, name, year, month, day, on)
    return Unbuilt(key, birthday_occasion, args, pk, birthday_key(on.year))


def birthday_rows(
    network: Network,
    start: dt.date,
    end: dt.date,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Unbuilt]:
    """The birthdays from ``start`` to ``end``, unbuilt."""
    people = birthday_people(network, start, end, person_id, include_self)
    rows = (birthday_row(row, start, end) for row in people.values_list(*BIRTHDAY_COLUMNS))
    return [row for row in rows if row is not None]


def anniversary_jobs(
    network: Network,
    start: dt.date,
    end: dt.date,
    person_id: int | None = None,
    include_self: bool = False,
    *,
    started_before: dt.date | None = None,
) -> QuerySet[Affiliation]:
    """The current jobs whose anniversary falls from ``start`` to ``end``, a whole year
    after they began (``started_before``, else ``start``): the ``affiliation_anniversary``
    index on the start's "MM-DD". ``network_id + 0`` is no index's column, so SQLite does
    not start from the network's 30,000 people and look each one's jobs up."""
    jobs = (
        Affiliation.objects.alias(
            person_network=F("person__network_id") + 0, start_month_day=MonthDay("start_on")
        )
        .filter(
            month_days_q(start, end, "start_month_day"),
            person_network=network.pk,
            person__archived_at__isnull=True,
            kind=Affiliation.Kind.EMPLOYMENT,
            end_on__isnull=True,
            start_on__isnull=False,
            start_on__lt=started_before or start,
        )
        .order_by()
    )
    if not include_self:
        jobs = jobs.filter(person__is_self=False)
    if person_id is not None:
        jobs = jobs.filter(person_id=person_id)
    return jobs


ANNIVERSARY_COLUMNS = ("pk", "person_id", "person__full_name", "organization__name", "start_on")


def anniversary_row(
    row: tuple[int, int, str, str, dt.date], start: dt.date, end: dt.date
) -> Unbuilt | None:
    """One row of ``ANNIVERSARY_COLUMNS``, unbuilt, if a whole year has passed by the day
    it falls in the window (as ``_anniversary``)."""
    pk, owner, name, organization, start_on = row
    on = occurrence_between(start_on.month, start_on.day, start, end)
    if on is None or on.year <= start_on.year:
        return None
    key = (on, name, owner, f"{ANNIVERSARY}-{pk}-{on.year}")
    args = (pk, owner, name, organization, start_on, on)
    return Unbuilt(key, _anniversary, args, owner, anniversary_key(pk, on.year))


def anniversary_rows(
    network: Network,
    start: dt.date,
    end: dt.date,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Unbuilt]:
    """The work anniversaries of current jobs from ``start`` to ``end``, unbuilt."""
    jobs = anniversary_jobs(network, start, end, person_id, include_self)
    rows = (anniversary_row(row, start, end) for row in jobs.values_list(*ANNIVERSARY_COLUMNS))
    return [row for row in rows if row is not None]


def built(rows: list[Unbuilt]) -> list[Occasion]:
    return [occasion for row in rows if (occasion := row.build(*row.args)) is not None]


def birthdays_between(
    network: Network,
    start: dt.date,
    end: dt.date,
    *,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Occasion]:
    """Birthdays (from the people's profiles) falling from ``start`` to ``end``. One query."""
    return built(birthday_rows(network, start, end, person_id, include_self))


def anniversaries_between(
    network: Network,
    start: dt.date,
    end: dt.date,
    *,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Occasion]:
    """Work anniversaries of current jobs falling from ``start`` to ``end``. One query."""
    return built(anniversary_rows(network, start, end, person_id, include_self))


@dataclass(frozen=True)
class Window:
    """Which days each sort of occasion must fall on to be read (both ends included)."""

    yearly: tuple[dt.date, dt.date] | None = None  # birthdays, anniversaries, yearly ones
    once: tuple[dt.date, dt.date] | None = None  # once-only milestones to celebrate
    support: tuple[dt.date, dt.date] | None = None  # challenges

    @classmethod
    def agenda(cls, network: Network, today: dt.date) -> Window:
        ahead = today + dt.timedelta(days=network.celebrate_within_days)
        return cls(
            yearly=(today, ahead),
            once=(today - dt.timedelta(days=CELEBRATE_AFTER_DAYS), ahead),
            support=(today - dt.timedelta(days=SUPPORT_DAYS - 1), today),
        )


def milestones_between(
    network: Network,
    window: Window,
    *,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Occasion]:
    """Milestones and challenges falling in ``window``. One query."""
    query = Q(pk__in=[])
    if window.yearly:
        query |= Q(recurs_yearly=True) & yearly_q(*window.yearly, "month", "day")
    if window.once:
        query |= Q(recurs_yearly=False) & ~Q(kind__in=_SUPPORT_KINDS) & dates_q(*window.once)
    if window.support:
        query |= Q(recurs_yearly=False, kind__in=_SUPPORT_KINDS) & dates_q(*window.support)
    rows = (
        Milestone.objects.filter(_people(network, include_self, person_id), network=network)
        .filter(query)
        .select_related("person")
        .only("person__full_name", *(f.name for f in Milestone._meta.concrete_fields))
        .order_by()
    )
    found = []
    for milestone in rows:
        if milestone.recurs_yearly:
            assert window.yearly is not None
            on = occurrence_between(milestone.month, milestone.day, *window.yearly)
            if on is not None:
                found.append(_milestone(milestone, milestone.person.full_name, on))
        else:
            on = milestone_date(milestone)
            assert on is not None  # the database requires a year unless yearly
            found.append(_milestone(milestone, milestone.person.full_name, on))
    return found


def celebrated_flags(rows: list[Unbuilt]) -> list[bool]:
    """Whether each occasion was celebrated, for a thousand at once: by occasion key, on
    the ``interaction_occasion`` index of the few interactions that celebrated something,
    then their people (no filter on the network: it would steer the database to the
    network's index; only this network's people are among the occasions' people). A
    once-only milestone goes by the interactions linked to it. Three small queries."""
    done: set[tuple[int, str]] = set()
    keys = {row.key for row in rows if row.key}
    if keys:
        celebrating = dict(
            Interaction.objects.filter(occasion__in=keys)
            .exclude(occasion="")  # the index's condition, so the database uses it
            .order_by()
            .values_list("pk", "occasion")
        )
        done = participants(celebrating)
    linked_ids = {row.milestone_id for row in rows if not row.key and row.milestone_id}
    linked: set[int | None] = set()
    if linked_ids:
        linked = set(
            Interaction.objects.filter(milestone_id__in=linked_ids)  # by its index
            .order_by()
            .values_list("milestone_id", flat=True)
            .distinct()
        )
    return [
        (row.person_id, row.key) in done if row.key else row.milestone_id in linked for row in rows
    ]


def participants(celebrating: dict[int, str]) -> set[tuple[int, str]]:
    """(person, occasion key) for interactions id -> key."""
    if not celebrating:
        return set()
    return {
        (person_id, celebrating[interaction_id])
        for interaction_id, person_id in InteractionParticipant.objects.filter(
            interaction_id__in=list(celebrating)
        ).values_list("interaction_id", "person_id")
    }


def mark_celebrated(network: Network, occasions: list[Occasion]) -> list[Occasion]:
    """The same occasions (all of ``network``), each with ``celebrated`` set
    (:func:`celebrated_flags`)."""
    flags = celebrated_flags([unbuilt(o) for o in occasions])
    return [replace(o, celebrated=done) for o, done in zip(occasions, flags, strict=True)]


def occasion_order(occasion: Occasion) -> tuple[dt.date, str, int, str]:
    return (occasion.on, occasion.person.name, occasion.person.id, occasion.html_id)


def occasions_in(
    network: Network,
    window: Window,
    *,
    person_id: int | None = None,
    include_self: bool = False,
) -> list[Occasion]:
    """Every occasion in ``window``, celebrated or not, soonest first. At most five
    queries, whatever the size of the network."""
    found: list[Occasion] = []
    if window.yearly:
        found += birthdays_between(
            network, *window.yearly, person_id=person_id, include_self=include_self
        )
        found += anniversaries_between(
            network, *window.yearly, person_id=person_id, include_self=include_self
        )
    found += milestones_between(network, window, person_id=person_id, include_self=include_self)
    return sorted(mark_celebrated(network, found), key=occasion_order)
