"""What a calendar feed holds (docs/feeds.md): the entries of one network for one user,
read through the queries the agenda and the practices' pages already use.

Entries, by kind (``KINDS``):

- ``follow-up``: open follow-ups on their due date;
- ``check-in``: the check-ins the daily budget plans, as the agenda computes them: today's
  (``Agenda.check_ins``) and, for the backlog beyond the budget, the next ones in the
  agenda's order on the days its schedule spreads them over (``Backlog.schedule``);
- ``birthday`` and ``anniversary``: yearly, on the day they fall (29 February on the 28th
  in a year without one; a birthday without a year too, without an age);
- ``milestone``: milestones to celebrate and challenges, yearly ones on each day they fall;
- ``renewal``: my memberships on their renewal date;
- ``deadline``: opportunities still open, shared or pursued, on their deadline;
- ``event``: events on their days (Kithkin stores an event's dates, not its hours, so they
  are all-day and span every day of a multi-day event);
- ``mentoring``: the next session each active mentorship with a rhythm is due (all-day),
  and the sessions logged (timed: the instant logged, an hour long).

The window is ``BACK_DAYS`` before today to ``AHEAD_DAYS`` after it ("today" in the user's
zone). Its size is bounded: at most ``PER_KIND`` entries of a kind, ``MAX_ENTRIES`` in
all; birthdays and work anniversaries (a 30,000-person network has about 2,000 a month) fill
what room is left, soonest first (``Feed.yearly_until`` says where they were cut).

Titles only (``titles_only``): an entry keeps its title, its days and its link, nothing
else: no description (notes, what I learned, goals, drafts, reasons, ages), no location.
Each entry's ``uid`` names its kind and record ("follow-up-12", "birthday-7-2026"), so it
is the same on every fetch.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field, replace

from django.db.models import Q

from kithkin import clock
from kithkin.models import Event, Interaction, Mentorship, Network, Opportunity, User
from kithkin.queries import agenda as agenda_query
from kithkin.queries.events import events_of
from kithkin.queries.memberships import my_memberships
from kithkin.queries.mentorships import (
    goal_lines,
    mentorship_title,
    mentorships_of,
    session_title,
    summary_of,
)
from kithkin.queries.occasion_pages import first_occasions
from kithkin.queries.occasions import (
    ANNIVERSARY,
    BIRTHDAY,
    Occasion,
    Window,
    detail,
    milestones_between,
    title,
)
from kithkin.queries.opportunities import SHAREABLE

BACK_DAYS = 30
AHEAD_DAYS = 365
PER_KIND = 300
MAX_ENTRIES = 1000
DESCRIPTION_CHARS = 1000  # a long note or draft is cut here in the feed
SESSION_MINUTES = 60  # a logged session is an instant; calendars show it an hour long
# A window of yearly occasions shorter than a year holds each of them at most once
# (``occasion_pages.first_occasions`` reads longer ones whole).
_YEARLY_SPAN = dt.timedelta(days=363)
# Birthdays and anniversaries are read up to these days ahead in turn, until the room
# left is filled (each span shorter than a year).
YEARLY_SPANS = (31, 120, 363)

KINDS = (
    "follow-up",
    "check-in",
    "birthday",
    "anniversary",
    "milestone",
    "renewal",
    "deadline",
    "event",
    "mentoring",
)


@dataclass(frozen=True)
class FeedEntry:
    uid: str  # kind and record: "follow-up-12", the same on every fetch
    kind: str  # one of KINDS
    title: str
    page: tuple[str, tuple[int, ...]]  # the web page it is about: URL name and arguments
    on: dt.date | None = None  # all-day: its first day
    last_day: dt.date | None = None  # all-day: its last day (``on`` for one day)
    starts_at: dt.datetime | None = None  # timed: the instant it starts
    minutes: int = 0  # timed: how long
    description: str = ""  # empty when titles only
    location: str = ""  # empty when titles only
    tentative: bool = False  # an event I am only interested in

    @property
    def is_timed(self) -> bool:
        return self.starts_at is not None


@dataclass(frozen=True)
class Feed:
    network: Network
    time_zone: str  # the user's: timed entries are shown in it
    today: dt.date
    start: dt.date
    end: dt.date
    titles_only: bool
    entries: list[FeedEntry] = field(default_factory=list)
    # Birthdays and anniversaries were cut at MAX_ENTRIES: the last day through which
    # none is left out (None: all are in).
    yearly_until: dt.date | None = None


def _text(*lines: str) -> str:
    text = "\n".join(line.strip() for line in lines if line and line.strip())
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


class _Builder:
    """The entries so far; with titles only, each is kept without its description and
    location (the one place the privacy option is applied)."""

    def __init__(self, titles_only: bool) -> None:
        self.titles_only = titles_only
        self.entries: list[FeedEntry] = []

    def add(self, entry: FeedEntry) -> None:
        if self.titles_only:
            entry = replace(entry, description="", location="")
        self.entries.append(entry)

    def day(
        self,
        uid: str,
        kind: str,
        text: str,
        on: dt.date,
        page: tuple[str, tuple[int, ...]],
        *,
        description: str = "",
    ) -> None:
        """An all-day entry of one day."""
        self.add(
            FeedEntry(
                uid=uid,
                kind=kind,
                title=text,
                page=page,
                on=on,
                last_day=on,
                description=description,
            )
        )


def calendar_feed(
    network: Network, user: User, *, titles_only: bool, today: dt.date | None = None
) -> Feed:
    """The feed of ``network`` as ``user`` sees it (the caller checked they may)."""
    today = today or clock.today_in(user.time_zone)
    start, end = today - dt.timedelta(days=BACK_DAYS), today + dt.timedelta(days=AHEAD_DAYS)
    built = _Builder(titles_only)
    _follow_ups(built, network, today, start, end)
    _check_ins(built, network, today)
    _milestones(built, network, today, start, end)
    _renewals(built, network, start, end)
    _deadlines(built, network, start, end)
    _events(built, network, today, start, end)
    _mentoring(built, network, start, end)
    yearly_until = _yearly(built, network, today, start, end)
    return Feed(
        network=network,
        time_zone=user.time_zone,
        today=today,
        start=start,
        end=end,
        titles_only=titles_only,
        entries=built.entries,
        yearly_until=yearly_until,
    )


def _follow_ups(
    built: _Builder, network: Network, today: dt.date, start: dt.date, end: dt.date
) -> None:
    """Open follow-ups due in the window, read as the agenda reads them (plain rows)."""
    since = start - dt.timedelta(days=1)
    for item in agenda_query.follow_up_items(network, today, end, since=since, limit=PER_KIND):
        people = sorted(item.people, key=lambda ref: (ref.name, ref.id))
        built.day(
            f"follow-up-{item.id}",
            "follow-up",
            item.title,
            item.due_on,
            ("person", (people[0].id,)) if people else ("today", ()),
            description=_text(
                "With " + ", ".join(ref.name for ref in people) + "." if people else ""
            ),
        )


def _check_ins(built: _Builder, network: Network, today: dt.date) -> None:
    """Today's check-ins and the backlog's, on the days the agenda spreads them over."""
    computed = agenda_query.agenda(
        network, today, defer=frozenset(agenda_query.SECTIONS), follow_ups_shown=0
    )
    planned: list[tuple[int, str, dt.date, str]] = [
        (item.person.pk, item.person.full_name, today, item.status.reason)
        for item in computed.check_ins
    ]
    backlog = computed.backlog
    later = sum(count for _, count in backlog.schedule)
    if later:
        due = agenda_query.due_check_ins(network, today).values_list("pk", "full_name")
        rows = iter(due[backlog.budget : backlog.budget + later])
        for day, count in backlog.schedule:
            for _ in range(count):
                person_id, name = next(rows, (0, ""))
                if person_id:
                    planned.append((person_id, name, day, "due, planned from the backlog"))
    for person_id, name, day, reason in planned[:PER_KIND]:
        built.day(
            f"check-in-{person_id}",
            "check-in",
            f"Check in with {name}",
            day,
            ("person", (person_id,)),
            description=_text(reason),
        )


def _occasion(built: _Builder, occasion: Occasion) -> None:
    if occasion.source == BIRTHDAY:
        kind, uid = "birthday", f"birthday-{occasion.person.id}-{occasion.on.year}"
        about = f"Turns {occasion.years}." if occasion.years else ""
    elif occasion.source == ANNIVERSARY:
        kind, uid = "anniversary", f"anniversary-{occasion.affiliation_id}-{occasion.on.year}"
        about = ""
    else:
        kind = "milestone"
        uid = f"milestone-{occasion.milestone_id}"
        uid += f"-{occasion.on.year}" if occasion.yearly else ""
        about = f"{occasion.label.capitalize()}" + (f": {occasion.title}" if occasion.title else "")
    built.day(
        uid,
        kind,
        title(occasion),
        occasion.on,
        ("person", (occasion.person.id,)),
        description=_text(about, detail(occasion)),
    )


def _yearly(
    built: _Builder, network: Network, today: dt.date, start: dt.date, end: dt.date
) -> dt.date | None:
    """Birthdays and work anniversaries in what room is left, soonest first: read in
    spans of growing length (a large network fills the room within weeks, and counting a
    whole year of its occasions costs more than the rest of the feed), then the days
    before today. Returns the last day through which none was left out, or None."""
    room = max(MAX_ENTRIES - len(built.entries), 0)
    spans = [(today + dt.timedelta(days=days), days) for days in YEARLY_SPANS]
    windows, first = [], today
    for last, _ in spans:
        windows.append((first, min(last, end)))
        first = last + dt.timedelta(days=1)
    if first <= end:
        windows.append((first, end))
    windows.append((start, today - dt.timedelta(days=1)))
    for first, last in windows:
        shown, total = first_occasions(network, first, last, room, open_only=False)
        for occasion in shown:
            _occasion(built, occasion)
        room -= len(shown)
        if total > len(shown):
            return (shown[-1].on if shown else first) - dt.timedelta(days=1)
    return None


def _milestones(
    built: _Builder, network: Network, today: dt.date, start: dt.date, end: dt.date
) -> None:
    """Milestones and challenges: once-only ones on their date, yearly ones on each day
    they fall in the window (read in spans shorter than a year: each falls once in one)."""
    found = milestones_between(
        network,
        Window(yearly=(today, today + _YEARLY_SPAN), once=(start, end), support=(start, end)),
    )
    found += milestones_between(network, Window(yearly=(start, today - dt.timedelta(days=1))))
    if end > today + _YEARLY_SPAN:
        found += milestones_between(
            network, Window(yearly=(today + _YEARLY_SPAN + dt.timedelta(days=1), end))
        )
    found.sort(key=lambda o: (o.on, o.person.name, o.html_id))
    for occasion in found[:PER_KIND]:
        _occasion(built, occasion)


def _renewals(built: _Builder, network: Network, start: dt.date, end: dt.date) -> None:
    renewing = [m for m in my_memberships(network) if m.renews_on and start <= m.renews_on <= end]
    for membership in renewing[:PER_KIND]:
        assert membership.renews_on is not None
        built.day(
            f"renewal-{membership.pk}",
            "renewal",
            f"Renew my membership of {membership.organization.name}",
            membership.renews_on,
            ("organization", (membership.organization_id,)),
            description=_text(membership.title),
        )


def _deadlines(built: _Builder, network: Network, start: dt.date, end: dt.date) -> None:
    active = (*SHAREABLE, Opportunity.Status.PURSUING)
    rows = (
        Opportunity.objects.filter(
            network=network, status__in=active, deadline__gte=start, deadline__lte=end
        )
        .select_related("organization")
        .order_by("deadline", "pk")[:PER_KIND]
    )
    for opportunity in rows:
        assert opportunity.deadline is not None
        where = f" at {opportunity.organization.name}" if opportunity.organization else ""
        built.day(
            f"deadline-{opportunity.pk}",
            "deadline",
            f"Deadline: {opportunity.title}{where}",
            opportunity.deadline,
            ("opportunity", (opportunity.pk,)),
            description=_text(
                f"{opportunity.get_kind_display().capitalize()}, "
                f"{'for me' if opportunity.for_me else 'to share'}, {opportunity.status}.",
                opportunity.description,
            ),
        )


def _events(
    built: _Builder, network: Network, today: dt.date, start: dt.date, end: dt.date
) -> None:
    rows = (
        events_of(network, today)
        .filter(starts_on__lte=end)
        .filter(Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start))
        .order_by("starts_on", "pk")[:PER_KIND]
    )
    for event in rows:
        built.add(
            FeedEntry(
                uid=f"event-{event.pk}",
                kind="event",
                title=event.name,
                page=("event", (event.pk,)),
                on=event.starts_on,
                last_day=event.last_day,
                description=_text(
                    f"{event.get_kind_display().capitalize()}, {event.get_status_display()}.",
                    event.url,
                    event.notes,
                ),
                location=event.location,
                tentative=event.status == Event.Status.INTERESTED,
            )
        )


def _mentoring(built: _Builder, network: Network, start: dt.date, end: dt.date) -> None:
    """The next session of each active mentorship with a rhythm, and the sessions logged."""
    for mentorship in mentorships_of(network).filter(
        status=Mentorship.Status.ACTIVE, cadence_days__isnull=False
    )[:PER_KIND]:
        row = summary_of(mentorship, network.time_zone)
        if row.next_session_on and start <= row.next_session_on <= end:
            built.day(
                f"mentoring-{row.pk}",
                "mentoring",
                session_title(row),
                row.next_session_on,
                ("mentorship", (row.pk,)),
                description=_text("Goals: " + "; ".join(row.goals) if row.goals else ""),
            )
    zone = zoneinfo.ZoneInfo(network.time_zone)
    since = dt.datetime.combine(start, dt.time(), tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    sessions = (
        Interaction.objects.filter(
            network=network,
            mentorship__isnull=False,
            occurred_at__gte=since,
            occurred_at__lt=until,
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .order_by("occurred_at", "pk")[:PER_KIND]
    )
    for session in sessions:
        assert session.mentorship is not None
        built.add(
            FeedEntry(
                uid=f"session-{session.pk}",
                kind="mentoring",
                title=f"Mentoring session: {mentorship_title(session.mentorship)}",
                page=("mentorship", (session.mentorship.pk,)),
                starts_at=session.occurred_at,
                minutes=SESSION_MINUTES,
                description=_text(
                    session.summary,
                    f"Learned: {session.learned}" if session.learned else "",
                    "Goals: " + "; ".join(goal_lines(session.mentorship))
                    if session.mentorship.goals
                    else "",
                ),
            )
        )
