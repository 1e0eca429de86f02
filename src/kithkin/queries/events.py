"""Reads about events: resolving a typed event name, the events list, one event's page,
people I met recently without a follow-up (the agenda's ``met`` section), the events panel
on a person page, and the people a typed name may already mean."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from kithkin import clock, normalize, refs
from kithkin.errors import Ambiguous, InvalidInput, NotFound
from kithkin.fulltext import fold, words
from kithkin.models import (
    Attendance,
    ContactPoint,
    Event,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
)
from kithkin.queries.agenda_items import AgendaItem, PersonRef, Section

MET_WINDOW_DAYS = 14  # the agenda reminds me of people met in the last two weeks
MET_SHOWN = 10
MET_ROWS_READ = 500  # meetings read for the section: far more than two weeks ever hold
LIST_LIMIT = 200
NEAR_SCORE = 85  # rapidfuzz WRatio from which a name may be someone already known
NEAR_LIMIT = 5
EVENT_MATCH_SCORE = 88


# -- people a typed name may mean ------------------------------------------------------


def _known(network: Network) -> QuerySet[Person]:
    return Person.objects.filter(network=network, archived_at__isnull=True, is_self=False)


def exact_people(network: Network, full_name: str) -> list[Person]:
    """People whose full name is ``full_name`` (case and accents aside)."""
    wanted = fold(" ".join(full_name.split()))
    ids = [
        pk for pk, name in _known(network).values_list("pk", "full_name") if fold(name) == wanted
    ]
    return list(_known(network).filter(pk__in=ids).order_by("full_name", "pk"))


def people_by_email(network: Network, email: str) -> list[Person]:
    try:
        _, key = normalize.email(email)
    except InvalidInput:  # an invalid address finds no one; add_person reports it
        return []
    return list(
        _known(network)
        .filter(contact_points__kind=ContactPoint.Kind.EMAIL, contact_points__normalized=key)
        .distinct()[:NEAR_LIMIT]
    )


def similar_people(network: Network, full_name: str) -> list[Person]:
    """People already known whose name is close to ``full_name`` ('Grace Hoper', 'Grace'
    for 'Grace Hopper'), closest first."""
    names = dict(_known(network).values_list("pk", "full_name"))
    query_words = words(full_name)
    prefix = [
        pk
        for pk, name in names.items()
        if query_words and all(any(w.startswith(q) for w in words(name)) for q in query_words)
    ]
    close = [
        pk
        for _, _, pk in normalize.closest(
            full_name, names, limit=NEAR_LIMIT, score_cutoff=NEAR_SCORE, processed=True
        )
    ]
    ranked = list(dict.fromkeys(close + prefix))[:NEAR_LIMIT]
    found = {p.pk: p for p in _known(network).filter(pk__in=ranked)}
    return [found[pk] for pk in ranked if pk in found]


# -- resolving an event ----------------------------------------------------------------


def describe_event(event: Event) -> str:
    """'PyCon US 2027 (#3, 14 May 2027, Long Beach)': enough to tell events apart."""
    where = f", {event.location}" if event.location else ""
    return f"{event.name} ({refs.EVENT(event.pk)}, {event.starts_on:%-d %b %Y}{where})"


def resolve_event(network: Network, text: str) -> Event:
    """The one event ``text`` names: its exact name, a unique start of its words, or a
    unique close spelling. (A number, '#12', is loaded through access.event_for.)"""
    query = " ".join(text.split())
    if not query:
        raise InvalidInput("event", "must not be empty")
    events = list(Event.objects.filter(network=network).values_list("pk", "name"))
    wanted = fold(query)
    for matches in (
        [pk for pk, name in events if fold(name) == wanted],
        [
            pk
            for pk, name in events
            if all(any(w.startswith(q) for w in words(name)) for q in words(query))
        ],
        [
            pk
            for _, _, pk in normalize.closest(
                query, dict(events), limit=10, score_cutoff=EVENT_MATCH_SCORE, processed=True
            )
        ],
    ):
        if len(matches) == 1:
            return Event.objects.get(pk=matches[0])
        if matches:
            candidates = Event.objects.filter(pk__in=matches[:10]).order_by("-starts_on", "name")
            raise Ambiguous(
                f"{query!r} matches {len(matches)} events; say which (a name or e12):",
                [describe_event(event) for event in candidates],
            )
    nearest = normalize.closest(query, dict(events), score_cutoff=60, processed=True)
    raise NotFound(f"No event called {query!r}.", suggestions=[name for name, _, _ in nearest])


# -- the events list -------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    event: Event
    met_count: int


@dataclass(frozen=True)
class EventList:
    upcoming: list[EventRow]  # soonest first, ongoing ones included
    past: list[EventRow]  # latest first
    upcoming_total: int
    past_total: int


def _upcoming(today: dt.date) -> Q:
    return Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today)


def events_of(network: Network, today: dt.date, when: str = "") -> QuerySet[Event]:
    """The network's events with how many people I met at each (``met_count``), unordered:
    ``when`` "upcoming" (to come or going on), "past" (over), or "" for all."""
    events = (
        Event.objects.filter(network=network)
        .select_related("organizer")
        .annotate(met_count=Count("attendances"))
    )
    if when == "upcoming":
        return events.filter(_upcoming(today))
    if when == "past":
        return events.exclude(_upcoming(today))
    return events


def row_of(event: Event) -> EventRow:
    """An event of ``events_of`` as the list shows it."""
    return EventRow(event, getattr(event, "met_count", 0))


def list_events(network: Network, today: dt.date, *, limit: int = LIST_LIMIT) -> EventList:
    upcoming = events_of(network, today, "upcoming")
    past = events_of(network, today, "past")
    return EventList(
        upcoming=[row_of(e) for e in upcoming.order_by("starts_on", "name")[:limit]],
        past=[row_of(e) for e in past.order_by("-starts_on", "name")[:limit]],
        upcoming_total=upcoming.count(),
        past_total=past.count(),
    )


# -- one event -------------------------------------------------------------------------


@dataclass(frozen=True)
class MetRow:
    """Someone I met at the event, and where their follow-up stands."""

    attendance_id: int
    person: PersonRef
    note: str
    met_on: dt.date | None
    follow_up_status: str  # "open", "done" or "none"
    follow_up: FollowUp | None  # the open one (or the last done one)


@dataclass(frozen=True)
class EventPage:
    event: Event
    tags: list[str]
    met: list[MetRow] = field(default_factory=list)

    @property
    def to_follow_up(self) -> list[MetRow]:
        """Who I still owe a follow-up: open ones first, then those without any."""
        return [r for r in self.met if r.follow_up_status == "open"] + [
            r for r in self.met if r.follow_up_status == "none"
        ]


def event_page(network: Network, event: Event, *, limit: int = 500) -> EventPage:
    event = Event.objects.select_related("organizer").get(pk=event.pk, network=network)
    attendances = list(
        Attendance.objects.filter(event=event)
        .select_related("person")
        .order_by("person__full_name", "pk")[:limit]
    )
    # When I first met each of them there. Unordered on purpose, the earliest picked here:
    # ordering by date in the query makes the database walk the network's whole date
    # index (a million interactions) instead of the event's few through its own index.
    first_met: dict[int, dt.datetime] = {}
    for person_id, occurred_at in InteractionParticipant.objects.filter(
        interaction__event=event, interaction__network=network
    ).values_list("person_id", "interaction__occurred_at"):
        if person_id not in first_met or occurred_at < first_met[person_id]:
            first_met[person_id] = occurred_at
    met_on = {
        person_id: clock.local_date(occurred_at, network.time_zone)
        for person_id, occurred_at in first_met.items()
    }
    follow_ups: dict[int, list[FollowUp]] = defaultdict(list)
    owed = FollowUp.objects.filter(network=network, interaction__event=event).prefetch_related(
        "people"
    )
    for follow_up in owed.order_by("due_on", "id"):
        for person in follow_up.people.all():
            follow_ups[person.pk].append(follow_up)
    rows = []
    for attendance in attendances:
        person = attendance.person
        theirs = follow_ups.get(person.pk, [])
        open_ = [f for f in theirs if f.done_at is None]
        status = "open" if open_ else "done" if theirs else "none"
        rows.append(
            MetRow(
                attendance_id=attendance.pk,
                person=PersonRef(person.pk, person.full_name),
                note=attendance.note,
                met_on=met_on.get(person.pk),
                follow_up_status=status,
                follow_up=open_[0] if open_ else (theirs[-1] if theirs else None),
            )
        )
    return EventPage(event=event, tags=[tag.name for tag in event.tags.all()], met=rows)


# -- the agenda: met recently, no follow-up yet ---------------------------------------


def _days_ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def met_without_follow_up(network: Network, today: dt.date) -> Section:
    """People I met at an event in the last 14 days with no follow-up for them created
    since the day we met (open or done) and no outbound interaction with them since.
    Oldest meeting first: the 48 hours ran out for them first. Four queries."""
    zone = clock.zone(network.time_zone)
    since = dt.datetime.combine(
        today - dt.timedelta(days=MET_WINDOW_DAYS), dt.time(0), tzinfo=zone
    ).astimezone(dt.UTC)
    meetings: dict[int, tuple[str, int, str, dt.datetime, str]] = {}
    for person_id, name, event_id, event_name, occurred_at, summary in (
        InteractionParticipant.objects.filter(
            interaction__network=network,
            interaction__kind=Interaction.Kind.EVENT,
            interaction__event__isnull=False,
            interaction__occurred_at__gte=since,
            person__archived_at__isnull=True,
            person__is_self=False,
        )
        .order_by("-interaction__occurred_at", "-interaction_id")
        .values_list(
            "person_id",
            "person__full_name",
            "interaction__event_id",
            "interaction__event__name",
            "interaction__occurred_at",
            "interaction__summary",
        )[:MET_ROWS_READ]
    ):
        meetings.setdefault(person_id, (name, event_id, event_name, occurred_at, summary))
    ids = list(meetings)
    followed: dict[int, list[dt.datetime]] = defaultdict(list)
    for person_id, created_at in FollowUp.people.through.objects.filter(
        person_id__in=ids, followup__network=network, followup__created_at__gte=since
    ).values_list("person_id", "followup__created_at"):
        followed[person_id].append(created_at)
    for person_id, occurred_at in InteractionParticipant.objects.filter(
        person_id__in=ids,
        interaction__network=network,
        interaction__direction=Interaction.Direction.OUTBOUND,
        interaction__occurred_at__gte=since,
    ).values_list("person_id", "interaction__occurred_at"):
        followed[person_id].append(occurred_at)
    items = []
    for person_id, (name, event_id, event_name, occurred_at, summary) in sorted(
        meetings.items(), key=lambda entry: (entry[1][3], entry[0])
    ):
        met_day = clock.local_date(occurred_at, network.time_zone)
        if any(
            # a follow-up made on the day we met or later; an outbound touch after it
            when > occurred_at or clock.local_date(when, network.time_zone) >= met_day
            for when in followed.get(person_id, [])
        ):
            continue
        items.append(
            AgendaItem(
                key=f"met-{event_id}-{person_id}",
                title=f"Follow up with {name}",
                people=[PersonRef(person_id, name)],
                reason=f"met at {event_name} {_days_ago((today - met_day).days)}, no follow-up yet",
                on=met_day,
                record_id=event_id,
                draft_kind="follow-up",
                detail="" if summary == f"Met at {event_name}" else summary,
            )
        )
    return Section(
        key="met",
        title="Follow up after meeting",
        note="People you met at events in the last two weeks, with no follow-up yet.",
        items=items[:MET_SHOWN],
        total=len(items),
    )


# -- the person page -------------------------------------------------------------------


@dataclass(frozen=True)
class PersonEvent:
    event_id: int
    name: str
    starts_on: dt.date
    note: str


@dataclass(frozen=True)
class PersonEvents:
    events: list[PersonEvent]


def person_panel(network: Network, person: Person, today: dt.date) -> PersonEvents | None:
    """Events where I met them, latest first; None when there are none. One query."""
    rows = [
        PersonEvent(event_id, name, starts_on, note)
        for event_id, name, starts_on, note in Attendance.objects.filter(
            person=person, event__network=network
        )
        .order_by("-event__starts_on", "-pk")
        .values_list("event_id", "event__name", "event__starts_on", "note")[:20]
    ]
    return PersonEvents(rows) if rows else None
