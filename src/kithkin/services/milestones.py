"""Milestones: recording what happens in people's lives, celebrating it or offering help,
and how far ahead the agenda looks for occasions.

Celebrating (or helping) logs an interaction through ``log_interaction``, linked to the
milestone when there is one and carrying the occasion key of a yearly occasion
("birthday:2026"), so that this year's occasion leaves the agenda and next year's comes
back (see ``kithkin.queries.occasions``).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Affiliation, Interaction, Milestone, Network, Person, User
from kithkin.queries import occasion_dates, occasions
from kithkin.queries.milestones import person_occasions
from kithkin.queries.occasions import Occasion
from kithkin.services import changes, undo
from kithkin.services.interactions import log_interaction

MAX_WINDOW_DAYS = 365
EARLIEST_YEAR = 1900
LATEST_YEARS_AHEAD = 10

# A date as typed: a full date is parsed by kithkin.dates; these are the month-day forms.
_MONTH_DAY = re.compile(r"^(?:--)?(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_OCCASION_KEY = re.compile(
    r"^(?:birthday:(?P<birthday>\d{4})"
    r"|anniversary:(?P<affiliation>\d+):(?P<anniversary>\d{4})"
    r"|milestone:(?P<milestone>\d+):(?P<year>\d{4}))$"
)

PartialDate = tuple[int | None, int, int]  # (year or None, month, day)


def parse_on(text: str, today: dt.date, field: str = "on") -> PartialDate:
    """'2026-11-20', 'today', '-3d', or a month and day without a year: '03-14', '--03-14'."""
    from kithkin.dates import parse_date

    value = text.strip()
    match = _MONTH_DAY.match(value)
    if match:
        return None, int(match["month"]), int(match["day"])
    day = parse_date(value, today, field)
    return day.year, day.month, day.day


def kind_of(text: str) -> str:
    """A Milestone.Kind value from what a person types: 'promotion', 'new job', 'job-loss'."""
    wanted = "-".join(text.strip().lower().replace("_", " ").split())
    for value, label in Milestone.Kind.choices:
        if wanted in (value, "-".join(str(label).split())):
            return value
    raise InvalidInput("kind", f"{text!r} is not one of: {', '.join(Milestone.Kind.values)}")


def _check_date(on: PartialDate, yearly: bool, today: dt.date) -> None:
    year, month, day = on
    shown = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    if year is None and not yearly:
        raise InvalidInput("on", "a date without a year needs --yearly (or the kind birthday)")
    try:
        # Without a year, check against a leap year: 29 February is someone's birthday.
        dt.date(2000 if year is None else year, month, day)
    except ValueError:
        raise InvalidInput("on", f"{shown} is not a date") from None
    if year is not None and not EARLIEST_YEAR <= year <= today.year + LATEST_YEARS_AHEAD:
        raise InvalidInput(
            "on", f"the year must be between {EARLIEST_YEAR} and {today.year + LATEST_YEARS_AHEAD}"
        )


@transaction.atomic
def add_milestone(
    network: Network,
    actor: User,
    *,
    person: Person,
    kind: str,
    on: PartialDate,
    recurs_yearly: bool = False,
    title: str = "",
    note: str = "",
) -> Milestone:
    """Record a milestone (or, for a support kind, a challenge). Birthdays and work
    anniversaries recur yearly whatever ``recurs_yearly`` says; challenges happen once."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    kind = kind_of(kind)
    today = clock.today_in(network.time_zone)
    if kind in (Milestone.Kind.BIRTHDAY, Milestone.Kind.WORK_ANNIVERSARY):
        recurs_yearly = True
    if kind in Milestone.SUPPORT_KINDS and recurs_yearly:
        raise InvalidInput("yearly", "a challenge (job loss, illness, move, loss) happens once")
    _check_date(on, recurs_yearly, today)
    if kind == Milestone.Kind.BIRTHDAY and person.birthday_month and person.birthday_day:
        recorded = occasion_dates.occurrence_in(2000, person.birthday_month, person.birthday_day)
        raise InvalidInput(
            "kind",
            f"{person.full_name}'s birthday is already on record ({recorded:%-d %B}); "
            "it is celebrated without a milestone",
        )
    title = " ".join(title.split())
    if len(title) > 200:
        raise InvalidInput("title", "is longer than 200 characters")
    if kind == Milestone.Kind.CUSTOM and not title:
        raise InvalidInput("title", "a custom milestone needs a title")
    year, month, day = on
    milestone = Milestone.objects.create(
        network=network,
        person=person,
        kind=kind,
        title=title,
        year=year,
        month=month,
        day=day,
        recurs_yearly=recurs_yearly,
        note=note.strip(),
    )
    changes.record(
        network,
        "milestone.recorded",
        actor=actor,
        record_id=milestone.pk,
        person_ids=[person.pk],
        data={"kind": kind, "recurs_yearly": recurs_yearly},
    )
    return milestone


@transaction.atomic
def remove_milestone(network: Network, actor: User, milestone: Milestone) -> None:
    """Delete a milestone; interactions that celebrated it stay, unlinked."""
    access.require_write(actor, network)
    if milestone.network_id != network.pk:
        raise InvalidInput("milestone", f"#{milestone.pk} is not in this network")
    deleted, person = milestone.pk, milestone.person_id
    milestone.delete()
    changes.record(
        network, "milestone.deleted", actor=actor, record_id=deleted, person_ids=[person]
    )


@transaction.atomic
def set_celebrate_window(network: Network, actor: User, days: int) -> Network:
    """How many days ahead the agenda shows birthdays, anniversaries and milestones."""
    access.require_write(actor, network)
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise InvalidInput("window", f"must be between 1 and {MAX_WINDOW_DAYS} days")
    network.celebrate_within_days = days
    network.save(update_fields=["celebrate_within_days"])
    changes.network_updated(network, actor, ["celebrate_within_days"])
    return network


# -- celebrating and helping -------------------------------------------------------------


def _summary(occasion: Occasion, note: str) -> str:
    if note.strip():
        return note
    if occasion.support:
        return f"Offered help: {occasion.label}" + (
            f" ({occasion.title})" if occasion.title else ""
        )
    if occasion.is_birthday:
        turns = f" (turned {occasion.years})" if occasion.years else ""
        return f"Wished a happy birthday{turns}"
    return f"Congratulations on {occasion.what}"


def _celebrate(
    network: Network,
    actor: User,
    occasion: Occasion,
    person: Person,
    *,
    note: str,
    kind: str,
) -> Interaction:
    if occasion.celebrated and not occasion.support:
        raise InvalidInput(
            "occasion", f"{person.full_name}'s {occasion.label} is already celebrated"
        )
    milestone = None
    if occasion.milestone_id is not None:
        milestone = Milestone.objects.get(pk=occasion.milestone_id, network=network)
    verb = "Offered help to" if occasion.support else "Celebrated"
    summary = f"{verb} {person.full_name}: {occasion.label}"
    with undo.action(network, actor, "celebrate", summary):
        return log_interaction(
            network,
            actor,
            kind=kind,
            people=[person],
            occurred_at=clock.now(),
            summary=_summary(occasion, note),
            direction=Interaction.Direction.OUTBOUND,
            milestone=milestone,
            occasion=occasion.key,
        )


def celebrate_milestone(
    network: Network,
    actor: User,
    milestone: Milestone,
    *,
    today: dt.date,
    note: str = "",
    kind: str = Interaction.Kind.MESSAGE,
) -> Interaction:
    """Congratulate someone on a milestone (a yearly one: its occurrence nearest today),
    or offer help with a challenge. A challenge may be helped with more than once."""
    access.require_write(actor, network)
    if milestone.network_id != network.pk:
        raise InvalidInput("milestone", f"#{milestone.pk} is not in this network")
    occasion = occasions.milestone_occasion(milestone, today, nearest=True)
    (occasion,) = occasions.mark_celebrated(network, [occasion])
    return _celebrate(network, actor, occasion, milestone.person, note=note, kind=kind)


def _occasion_for_key(network: Network, person: Person, key: str, today: dt.date) -> Occasion:
    """The person's occasion an occasion key names, checked against what is on record."""
    match = _OCCASION_KEY.match(key.strip())
    unknown = InvalidInput("occasion", f"{key!r} is not an occasion of {person.full_name}")
    if not match:
        raise unknown
    year = int(match["birthday"] or match["anniversary"] or match["year"])
    if abs(year - today.year) > 1:
        raise unknown
    if match["birthday"]:
        if not (person.birthday_month and person.birthday_day):
            raise unknown
        on = occasion_dates.occurrence_in(year, person.birthday_month, person.birthday_day)
        found = occasions.birthdays_between(network, on, on, person_id=person.pk, include_self=True)
    elif match["affiliation"]:
        job = Affiliation.objects.filter(
            pk=int(match["affiliation"]), person=person, start_on__isnull=False
        ).first()
        if job is None or job.start_on is None:
            raise unknown
        on = occasion_dates.occurrence_in(year, job.start_on.month, job.start_on.day)
        found = [
            o
            for o in occasions.anniversaries_between(
                network, on, on, person_id=person.pk, include_self=True
            )
            if o.affiliation_id == job.pk
        ]
    else:
        milestone = Milestone.objects.filter(
            pk=int(match["milestone"]), person=person, network=network, recurs_yearly=True
        ).first()
        if milestone is None:
            raise unknown
        milestone.person = person
        on = occasion_dates.occurrence_in(year, milestone.month, milestone.day)
        found = [occasions.milestone_occasion(milestone, on)]
    if not found:
        raise unknown
    return occasions.mark_celebrated(network, found)[0]


def celebrate_occasion(
    network: Network,
    actor: User,
    person: Person,
    key: str,
    *,
    today: dt.date,
    note: str = "",
    kind: str = Interaction.Kind.MESSAGE,
) -> Interaction:
    """Celebrate the yearly occasion ``key`` names ("birthday:2026",
    "anniversary:<affiliation id>:2026", "milestone:<id>:2026") with ``person``."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    occasion = _occasion_for_key(network, person, key, today)
    return _celebrate(network, actor, occasion, person, note=note, kind=kind)


def celebrate_person(
    network: Network,
    actor: User,
    person: Person,
    *,
    today: dt.date,
    note: str = "",
    kind: str = Interaction.Kind.MESSAGE,
) -> tuple[Interaction, Occasion]:
    """Celebrate (or offer help with) the person's nearest occasion on the agenda now."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    panel = person_occasions(network, person, today)
    due = panel.due
    if not due:
        upcoming = [
            o
            for o in (panel.next_birthday, *panel.anniversaries)
            if o is not None and not o.celebrated
        ] + [row.occasion for row in panel.milestones if row.occasion.on >= today]
        nearest = min(upcoming, key=lambda o: o.on, default=None)
        hint = f"; next: {occasions.reason(nearest, today)}" if nearest else ""
        raise InvalidInput("person", f"{person.full_name} has nothing to celebrate now{hint}")
    occasion = due[0]
    return _celebrate(network, actor, occasion, person, note=note, kind=kind), occasion
