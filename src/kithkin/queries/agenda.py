"""The agenda ("today", DESIGN.md §3): what to do today, each row ranked and explained.

Follow-ups due (all of them: they are promises), and check-ins due, ranked by lateness
relative to cadence, closest circle first among equals. Check-ins are capped by the
network's daily outreach budget; the backlog beyond it is spread over the coming days
instead of one wall.

The other sections (met recently, say thanks, celebrate, offer help, mentoring sessions,
opportunities to share, renewals, fading ties) each come from their subject's query module and share
one shape, ``kithkin.queries.agenda_items.Section``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import DateField, F, FloatField, Func, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from kithkin.models import Affiliation, FollowUp, Network, Person
from kithkin.queries import (
    events,
    ledger,
    memberships,
    mentorships,
    milestones,
    opportunities,
    strength,
)
from kithkin.queries.agenda_items import PersonRef, Section
from kithkin.queries.checkins import CheckInStatus, check_in_status

UPCOMING_DAYS = 7
SCHEDULE_PREVIEW_DAYS = 7


__all__ = ["Agenda", "PersonRef", "Section", "agenda", "agenda_section"]


class SectionQuery(Protocol):
    def __call__(self, network: Network, today: dt.date) -> Section: ...


# By key, in the order Today shows them: the time-bound ones before check-ins, the rest
# after.
SECTIONS_BEFORE_CHECK_INS: dict[str, SectionQuery] = {
    "met": events.met_without_follow_up,
    "thanks": ledger.thanks_due,
    "celebrate": milestones.celebrations,
    "support": milestones.support_needed,
    "mentoring": mentorships.sessions_due,
}
SECTIONS_AFTER_CHECK_INS: dict[str, SectionQuery] = {
    "opportunities": opportunities.opportunities_to_share,
    "renewals": memberships.renewals_due,
    "fading": strength.fading_ties,
}
SECTIONS = SECTIONS_BEFORE_CHECK_INS | SECTIONS_AFTER_CHECK_INS


def agenda_section(network: Network, today: dt.date, key: str) -> Section:
    """One section on its own (a deferred one, loaded after the page)."""
    return SECTIONS[key](network, today)


def _sections(
    queries: dict[str, SectionQuery], network: Network, today: dt.date, defer: frozenset[str]
) -> list[Section]:
    return [
        Section(key=key, title=key, note="", deferred=True)
        if key in defer
        else query(network, today)
        for key, query in queries.items()
    ]


@dataclass(frozen=True)
class FollowUpItem:
    id: int
    title: str
    due_on: dt.date
    recurrence: str
    people: list[PersonRef]
    days_overdue: int  # negative: due in that many days
    reason: str


@dataclass(frozen=True)
class CheckInItem:
    person: Person
    circle: str | None
    status: CheckInStatus
    lateness: float  # days overdue / cadence: 1.0 means a whole cadence late


@dataclass(frozen=True)
class Backlog:
    """Check-ins due beyond today's budget, and how the budget spreads them."""

    budget: int
    due_total: int
    later: int
    days_to_clear: int
    schedule: list[tuple[dt.date, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Agenda:
    today: dt.date
    follow_ups_due: list[FollowUpItem]
    check_ins: list[CheckInItem]
    backlog: Backlog
    follow_ups_upcoming: list[FollowUpItem]
    sections_first: list[Section] = field(default_factory=list)
    sections_later: list[Section] = field(default_factory=list)
    # How many follow-ups are due in all, when ``follow_ups_due`` holds only the oldest.
    follow_ups_due_count: int | None = None

    @property
    def follow_ups_due_total(self) -> int:
        if self.follow_ups_due_count is not None:
            return self.follow_ups_due_count
        return len(self.follow_ups_due)

    @property
    def sections(self) -> list[Section]:
        return self.sections_first + self.sections_later

    @property
    def is_empty(self) -> bool:
        return not (self.follow_ups_due or self.check_ins or any(s.items for s in self.sections))


def _follow_up_reason(days_overdue: int, due_on: dt.date) -> str:
    if days_overdue > 1:
        return f"overdue by {days_overdue} days (due {due_on.isoformat()})"
    if days_overdue == 1:
        return f"overdue by 1 day (due {due_on.isoformat()})"
    if days_overdue == 0:
        return "due today"
    if days_overdue == -1:
        return "due tomorrow"
    return f"due in {-days_overdue} days ({due_on.isoformat()})"


def follow_up_items(
    network: Network,
    today: dt.date,
    until: dt.date,
    *,
    since: dt.date | None = None,
    limit: int | None = None,
) -> list[FollowUpItem]:
    """Open follow-ups due on or before ``until`` (and after ``since``), oldest first, the
    first ``limit`` of them.

    Read as plain rows: a backlog can hold a thousand of them, and model instances with
    their related managers cost ten times more than the query.
    """
    query = FollowUp.objects.filter(network=network, done_at__isnull=True, due_on__lte=until)
    if since is not None:
        query = query.filter(due_on__gt=since)
    ordered = query.order_by("due_on", "id").values_list("id", "title", "due_on", "recurrence")
    rows = list(ordered[:limit] if limit is not None else ordered)
    people: dict[int, list[PersonRef]] = defaultdict(list)
    links = (
        FollowUp.people.through.objects.filter(followup_id__in=[row[0] for row in rows])
        .order_by("person__full_name", "person_id")
        .values_list("followup_id", "person_id", "person__full_name")
    )
    for follow_up_id, person_id, name in links:
        people[follow_up_id].append(PersonRef(person_id, name))
    return [
        FollowUpItem(
            id=pk,
            title=title,
            due_on=due_on,
            recurrence=recurrence,
            people=people[pk],
            days_overdue=(overdue := (today - due_on).days),
            reason=_follow_up_reason(overdue, due_on),
        )
        for pk, title, due_on, recurrence in rows
    ]


class DaysSince(Func):
    """Whole days from a date column to ``day``, in each database's own date arithmetic."""

    output_field = FloatField()

    def __init__(self, day: dt.date, column: str) -> None:
        super().__init__(Value(day, output_field=DateField()), F(column))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)::float", arg_joiner=" - ", **extra
        )


def due_check_ins(network: Network, today: dt.date) -> QuerySet[Person]:
    """Everyone due for a check-in on ``today``, most overdue relative to their cadence
    first, then the closest circle, the oldest due date. Each row carries ``lateness``
    (days overdue / cadence: 1.0 is a whole cadence late)."""
    cadence = Coalesce("cadence_days", "circle__cadence_days")
    return (
        Person.objects.filter(
            network=network, check_in_due_on__lte=today, archived_at__isnull=True, is_self=False
        )
        .annotate(cadence=cadence)
        .filter(cadence__isnull=False)
        .annotate(lateness=DaysSince(today, "check_in_due_on") / F("cadence"))
        .order_by(
            F("lateness").desc(), Coalesce("circle__rank", Value(99)), "check_in_due_on", "pk"
        )
    )


def agenda(
    network: Network,
    today: dt.date,
    *,
    defer: frozenset[str] = frozenset(),
    follow_ups_shown: int | None = None,
) -> Agenda:
    """The agenda of ``today``. Sections whose key is in ``defer`` are left uncomputed
    (``Section.deferred``), for a page that loads them afterwards. ``follow_ups_shown``:
    read only the oldest follow-ups due (and as many upcoming), and count the rest."""
    due = due_check_ins(network, today)
    due_total = due.count()
    budget = max(network.daily_outreach_budget, 1)
    # Ranked from the ``person_due`` index alone (the subquery); only the budget's
    # people are then read whole.
    todays = (
        due.filter(pk__in=due.values("pk")[:budget])
        .defer("search_text", "notes", "what_matters", "how_we_met")
        .select_related("circle")
        .prefetch_related(
            Prefetch("affiliations", Affiliation.objects.select_related("organization"))
        )
    )
    check_ins = [
        CheckInItem(
            person=person,
            circle=person.circle.name if person.circle else None,
            status=check_in_status(person, today, network.time_zone),
            lateness=round(person.lateness, 2),  # type: ignore[attr-defined]
        )
        for person in todays
    ]
    later = max(due_total - budget, 0)
    schedule = []
    remaining = later
    for offset in range(1, SCHEDULE_PREVIEW_DAYS + 1):
        if remaining <= 0:
            break
        schedule.append((today + dt.timedelta(days=offset), min(budget, remaining)))
        remaining -= budget
    until = today + dt.timedelta(days=UPCOMING_DAYS)
    due_count = None
    if follow_ups_shown is None:
        follow_ups = follow_up_items(network, today, until)
    else:
        follow_ups = follow_up_items(network, today, today, limit=follow_ups_shown)
        follow_ups += follow_up_items(network, today, until, since=today, limit=follow_ups_shown)
        due_count = FollowUp.objects.filter(
            network=network, done_at__isnull=True, due_on__lte=today
        ).count()
    return Agenda(
        today=today,
        follow_ups_due_count=due_count,
        follow_ups_due=[item for item in follow_ups if item.days_overdue >= 0],
        check_ins=check_ins,
        backlog=Backlog(
            budget=budget,
            due_total=due_total,
            later=later,
            days_to_clear=math.ceil(later / budget),
            schedule=schedule,
        ),
        follow_ups_upcoming=[item for item in follow_ups if item.days_overdue < 0],
        sections_first=_sections(SECTIONS_BEFORE_CHECK_INS, network, today, defer),
        sections_later=_sections(SECTIONS_AFTER_CHECK_INS, network, today, defer),
    )
