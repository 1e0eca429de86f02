"""Reads about mentorships: the list (mine both ways, and between others), one
mentorship with its sessions, which sessions are due (the agenda's "mentoring" section),
the person page panel, and resolving what a user typed to one mentorship."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from kithkin import access, clock, refs
from kithkin.errors import Ambiguous, NotFound
from kithkin.models import Interaction, Mentorship, Network, Person, User
from kithkin.queries.agenda_items import AgendaItem, PersonRef, Section
from kithkin.queries.people import resolve_person

Status = Mentorship.Status

SECTION_ITEMS = 10
PANEL_ITEMS = 10
_STATUS_ORDER = {Status.ACTIVE: 0, Status.PAUSED: 1, Status.ENDED: 2}


@dataclass(frozen=True)
class MentorshipSummary:
    """One mentorship as lists show it, seen from *me*."""

    mentorship: Mentorship
    role: str  # "mentor": they mentor me; "mentee": I mentor them; "others": neither is me
    goals: list[str]
    session_count: int
    last_session_on: dt.date | None
    next_session_on: dt.date | None  # None: no cadence, or not active

    @property
    def pk(self) -> int:
        return self.mentorship.pk

    @property
    def other(self) -> Person:
        """The person on the other side from me (the mentor when neither is me)."""
        return self.mentorship.mentee if self.role == "mentee" else self.mentorship.mentor

    @property
    def title(self) -> str:
        return mentorship_title(self.mentorship)

    def days_overdue(self, today: dt.date) -> int | None:
        return None if self.next_session_on is None else (today - self.next_session_on).days


@dataclass(frozen=True)
class MentorshipDetail:
    summary: MentorshipSummary
    sessions: list[Interaction]


@dataclass(frozen=True)
class MentorshipPanel:
    """The person page panel: their mentorships with me."""

    person: Person
    rows: list[MentorshipSummary] = field(default_factory=list)


def mentorship_title(mentorship: Mentorship) -> str:
    """'Barbara Liskov mentors you', 'You mentor Alan Turing', 'Ada mentors Alan'."""
    mentor, mentee = mentorship.mentor, mentorship.mentee
    if mentee.is_self:
        return f"{mentor.full_name} mentors you"
    if mentor.is_self:
        return f"You mentor {mentee.full_name}"
    return f"{mentor.full_name} mentors {mentee.full_name}"


def _role(mentorship: Mentorship) -> str:
    if mentorship.mentor.is_self:
        return "mentee"
    if mentorship.mentee.is_self:
        return "mentor"
    return "others"


def next_session_on(mentorship: Mentorship, last_session_on: dt.date | None) -> dt.date | None:
    """The last session (else the start) plus the cadence; None when not active or no
    cadence."""
    if mentorship.status != Status.ACTIVE or not mentorship.cadence_days:
        return None
    since = max(last_session_on or mentorship.started_on, mentorship.started_on)
    return since + dt.timedelta(days=mentorship.cadence_days)


def _with_sessions(queryset: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Each mentorship's last session and session count, read per mentorship through the
    sessions' index. Not a join grouped over the interactions: sessions are a few among a
    million interactions, so PostgreSQL's sample sees none, it plans the join for a million
    rows and took 50 ms (300 ms with JIT) for six mentorships."""
    sessions = Interaction.objects.filter(mentorship=OuterRef("pk")).order_by()
    per_mentorship = sessions.values("mentorship")
    return queryset.select_related("mentor", "mentee").annotate(
        last_session_at=Subquery(per_mentorship.annotate(at=Max("occurred_at")).values("at")),
        session_count=Coalesce(
            Subquery(per_mentorship.annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        ),
    )


def _summary(mentorship: Mentorship, time_zone: str) -> MentorshipSummary:
    last_at: dt.datetime | None = getattr(mentorship, "last_session_at", None)
    last_on = clock.local_date(last_at, time_zone) if last_at else None
    return MentorshipSummary(
        mentorship=mentorship,
        role=_role(mentorship),
        goals=goal_lines(mentorship),
        session_count=getattr(mentorship, "session_count", 0),
        last_session_on=last_on,
        next_session_on=next_session_on(mentorship, last_on),
    )


def goal_lines(mentorship: Mentorship) -> list[str]:
    return [line.strip() for line in mentorship.goals.splitlines() if line.strip()]


def _ordered(rows: list[MentorshipSummary]) -> list[MentorshipSummary]:
    """Active first, the next session soonest first; then paused, then ended."""
    far = dt.date.max
    return sorted(
        rows,
        key=lambda row: (
            _STATUS_ORDER[Status(row.mentorship.status)],
            row.next_session_on or far,
            row.title,
            row.pk,
        ),
    )


def mentorships_of(network: Network, *, include_ended: bool = False) -> QuerySet[Mentorship]:
    """The network's mentorships (ended ones only when asked), unordered, each with what
    ``summary_of`` needs (its sessions counted, the last one's date)."""
    queryset = Mentorship.objects.filter(network=network)
    if not include_ended:
        queryset = queryset.exclude(status=Status.ENDED)
    return _with_sessions(queryset)


def summary_of(mentorship: Mentorship, time_zone: str) -> MentorshipSummary:
    """A mentorship of ``mentorships_of`` as lists show it."""
    return _summary(mentorship, time_zone)


def list_mentorships(network: Network, *, include_ended: bool = False) -> list[MentorshipSummary]:
    """Every mentorship in the network (ended ones only when asked), active first."""
    found = mentorships_of(network, include_ended=include_ended)
    return _ordered([_summary(m, network.time_zone) for m in found])


def mentorship_detail(network: Network, mentorship: Mentorship) -> MentorshipDetail:
    loaded = _with_sessions(Mentorship.objects.filter(network=network, pk=mentorship.pk)).get()
    # Sorted here, newest first: ordering by date in the query makes the database walk
    # the network's whole date index (a million interactions) instead of the
    # mentorship's few sessions through its own index.
    sessions = sorted(
        Interaction.objects.filter(network=network, mentorship=loaded).order_by(),
        key=lambda session: (session.occurred_at, session.pk),
        reverse=True,
    )
    return MentorshipDetail(summary=_summary(loaded, network.time_zone), sessions=sessions)


def _ago(days: int) -> str:
    return {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")


def _every(days: int) -> str:
    return "every day" if days == 1 else f"every {days} days"


def _day(day: dt.date, today: dt.date) -> str:
    return f"{day:%-d %B}" if day.year == today.year else f"{day:%-d %B %Y}"


def due_reason(row: MentorshipSummary, today: dt.date) -> str:
    """'last session 40 days ago, every 30 days' / 'no session yet since 1 January'."""
    cadence = row.mentorship.cadence_days or 0
    if row.last_session_on is not None:
        return f"last session {_ago((today - row.last_session_on).days)}, {_every(cadence)}"
    return f"no session yet since {_day(row.mentorship.started_on, today)}, {_every(cadence)}"


def session_title(row: MentorshipSummary) -> str:
    """What the next session is: "Mentoring session with Barbara Liskov"."""
    m = row.mentorship
    if row.role == "mentor":
        return f"Mentoring session with {m.mentor.full_name}"
    if row.role == "mentee":
        return f"Session with your mentee {m.mentee.full_name}"
    return f"Mentoring session: {m.mentor.full_name} with {m.mentee.full_name}"


def _people(row: MentorshipSummary) -> list[PersonRef]:
    m = row.mentorship
    return [PersonRef(p.pk, p.full_name) for p in (m.mentor, m.mentee) if not p.is_self]


def sessions_due(network: Network, today: dt.date) -> Section:
    """Active mentorships with a cadence whose next session (last session, else the
    start, plus the cadence) is today or past, most overdue first.

    One query: only active mentorships with a cadence are read, a few dozen even in a
    large network, each with its last session's date aggregated in the database."""
    active = Mentorship.objects.filter(
        network=network, status=Status.ACTIVE, cadence_days__isnull=False
    )
    rows = [_summary(m, network.time_zone) for m in _with_sessions(active)]
    due = [row for row in rows if row.next_session_on and row.next_session_on <= today]
    due.sort(key=lambda row: (-(row.days_overdue(today) or 0), row.next_session_on, row.pk))
    return Section(
        key="mentoring",
        title="Mentoring sessions",
        note="Mentorships whose next session is due, on their own rhythm.",
        items=[
            AgendaItem(
                key=f"mentoring-{row.pk}",
                title=session_title(row),
                people=_people(row),
                reason=due_reason(row, today),
                on=row.next_session_on,
                record_id=row.pk,
                draft_kind="check-in" if row.role != "others" else "",
                detail=f"Goals: {'; '.join(row.goals)}" if row.goals else "",
            )
            for row in due[:SECTION_ITEMS]
        ],
        total=len(due),
    )


def person_panel(network: Network, person: Person, today: dt.date) -> MentorshipPanel | None:
    """The person's mentorships with me (for *me*: all of mine), or None for none."""
    if person.is_self:
        involving = Q(mentor=person) | Q(mentee=person)
    else:
        involving = Q(mentor=person, mentee__is_self=True) | Q(mentee=person, mentor__is_self=True)
    queryset = Mentorship.objects.filter(involving, network=network)
    rows = _ordered([_summary(m, network.time_zone) for m in _with_sessions(queryset)])
    if not rows:
        return None
    return MentorshipPanel(person=person, rows=rows[:PANEL_ITEMS])


def _describe(mentorship: Mentorship) -> str:
    return (
        f"{refs.MENTORSHIP(mentorship.pk)} {mentorship_title(mentorship)} "
        f"({mentorship.status}, since {mentorship.started_on.isoformat()})"
    )


def resolve_mentorship(user: User, network: Network, text: str) -> Mentorship:
    """What ``PERSON|REF`` names: a mentorship by its reference (``mt3``, ``#3`` or ``3``),
    else the person's one active mentorship (else their one paused, else their one ended).
    Several at the first status that has any: Ambiguous, listing them."""
    query = text.strip()
    number = refs.id_of(query, refs.MENTORSHIP, "mentorship")
    if number is not None:
        return access.mentorship_for(user, network, number)
    person = resolve_person(network, query, include_archived=True)
    theirs = list(
        Mentorship.objects.filter(Q(mentor=person) | Q(mentee=person), network=network)
        .select_related("mentor", "mentee")
        .order_by("-started_on", "-id")
    )
    for status in (Status.ACTIVE, Status.PAUSED, Status.ENDED):
        found = [m for m in theirs if m.status == status]
        if len(found) == 1:
            return found[0]
        if found:
            raise Ambiguous(
                f"{person.full_name} is in {len(found)} {status} mentorships; "
                "name one by its reference (mt12):",
                [_describe(m) for m in found],
            )
    raise NotFound(f"{person.full_name} is in no mentorship.")
