"""The prep brief: what to remember before meeting someone, readable in thirty seconds.

Who they are and what matters to them, how we met, the last few conversations and what I
learned, the questions I meant to ask, what I owe them, what is coming up in their life,
what we share and who we both know, and how value has gone between us. Every list shows
at most ``SHOWN`` items and says how many more there are; a fixed number of queries
whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from kithkin import access
from kithkin.models import (
    Affiliation,
    Attendance,
    Event,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Milestone,
    Network,
    Organization,
    Person,
    Relationship,
)
from kithkin.queries.ledger import NO_BALANCE, Balance, balance_with
from kithkin.queries.occasion_dates import next_occurrence
from kithkin.queries.occasions import milestone_date
from kithkin.queries.strength import PersonStrength, stored_strength

SHOWN = 3
MILESTONE_DAYS = 60

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Some(Generic[T]):
    """The first few of a list, and how many more there are."""

    items: list[T] = field(default_factory=list)
    more: int = 0

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _some(items: list[T], total: int | None = None) -> Some[T]:
    total = len(items) if total is None else total
    return Some(items=items[:SHOWN], more=max(0, total - SHOWN))


BOUND = 50  # rows read for a list; past it, one more query counts them


def _bounded(rows: QuerySet[M]) -> tuple[list[M], int]:
    """The first rows of a list and how many there are, in one query when it is short."""
    found = list(rows[:BOUND])
    return found, len(found) if len(found) < BOUND else rows.count()


@dataclass(frozen=True)
class Conversation:
    on: dt.date
    kind: str  # as displayed: "call", "video call"
    summary: str
    learned: str


@dataclass(frozen=True)
class Question:
    asked_on: dt.date  # when I noted it
    text: str


@dataclass(frozen=True)
class Upcoming:
    on: dt.date
    title: str  # "Birthday (turns 40)", "Promotion: VP Engineering"
    days: int  # from today


@dataclass(frozen=True)
class Connection:
    person: Person
    why: str  # "their colleague, your friend", "introduced us", "they introduced them"


@dataclass(frozen=True)
class Brief:
    person: Person
    today: dt.date
    roles: list[str]  # current jobs: "CTO at Analytical Engines"
    circle: str | None
    tags: Some[str]
    introduced_by: Person | None
    conversations: list[Conversation]  # the last three
    interaction_count: int
    questions: Some[Question]
    follow_ups: Some[FollowUp]
    upcoming: Some[Upcoming]
    organizations: Some[Organization]
    events: Some[Event]
    connections: Some[Connection]
    balance: Balance  # queries.ledger's one definition
    strength: PersonStrength | None = None  # stored (queries.strength); None: nothing counts


def prep_brief(network: Network, person: Person, today: dt.date) -> Brief:
    access.require_in_network(network, person)
    # Who *me* is comes with the person (a query less: on PostgreSQL each costs a round trip).
    person = (
        Person.objects.filter(network=network, pk=person.pk)
        .select_related("circle", "introduced_by", "strength")
        .annotate(
            me_id=Subquery(Person.objects.filter(network=network, is_self=True).values("pk")[:1])
        )
        .get()
    )
    me_id: int | None = person.me_id
    tags = list(person.tags.order_by("name").values_list("name", flat=True))
    roles, organizations = _jobs(network, person, me_id)
    conversations, count, questions = _history(network, person)
    return Brief(
        person=person,
        today=today,
        roles=roles,
        circle=person.circle.name if person.circle else None,
        tags=_some(tags),
        introduced_by=person.introduced_by,
        conversations=conversations,
        interaction_count=count,
        questions=questions,
        follow_ups=_follow_ups(network, person),
        upcoming=_upcoming(network, person, today),
        organizations=organizations,
        events=_shared_events(network, person),
        connections=_connections(network, person, me_id),
        balance=balance_with(network, person, me_id) if me_id is not None else NO_BALANCE,
        strength=stored_strength(person),
    )


def _local_day(instant: dt.datetime, network: Network) -> dt.date:
    from kithkin import clock

    return clock.local_date(instant, network.time_zone)


def _history(network: Network, person: Person) -> tuple[list[Conversation], int, Some[Question]]:
    """The last conversations, how many there were, and the questions still to ask.

    Through the participant table's (person, interaction) index first: filtering
    interactions on the network and a participant while ordering by date makes the
    database walk the network's whole date index (a million rows) looking for theirs.
    So one query lists their interactions by primary key, newest first, each with
    whether a question is still open (the network is checked on the rows, not in the
    query, so the date index is not a candidate); a second loads the few shown."""
    theirs = InteractionParticipant.objects.filter(person=person).values("interaction_id")
    timeline = [
        (pk, open_question)
        for pk, network_id, open_question in Interaction.objects.filter(pk__in=theirs)
        .annotate(
            open_question=ExpressionWrapper(
                Q(questions_answered_at__isnull=True) & ~Q(next_questions=""),
                output_field=BooleanField(),
            )
        )
        .order_by("-occurred_at", "-id")
        .values_list("pk", "network_id", "open_question")
        if network_id == network.pk
    ]
    latest = [pk for pk, _ in timeline[:SHOWN]]
    asked = [pk for pk, open_question in timeline if open_question]
    loaded = Interaction.objects.in_bulk(latest + asked[:SHOWN])
    conversations = [
        Conversation(
            on=_local_day(loaded[pk].occurred_at, network),
            kind=loaded[pk].get_kind_display(),
            summary=_line(loaded[pk].summary),
            learned=_line(loaded[pk].learned),
        )
        for pk in latest
    ]
    questions = [
        Question(
            asked_on=_local_day(loaded[pk].occurred_at, network),
            text=_line(loaded[pk].next_questions),
        )
        for pk in asked[:SHOWN]
    ]
    return conversations, len(timeline), _some(questions, len(asked))


def _follow_ups(network: Network, person: Person) -> Some[FollowUp]:
    rows, total = _bounded(
        FollowUp.objects.filter(network=network, people=person, done_at__isnull=True).order_by(
            "due_on", "id"
        )
    )
    return _some(rows, total)


def _upcoming(network: Network, person: Person, today: dt.date) -> Some[Upcoming]:
    horizon = today + dt.timedelta(days=MILESTONE_DAYS)
    found: list[Upcoming] = []
    if person.birthday_month and person.birthday_day:
        on = next_occurrence(person.birthday_month, person.birthday_day, today)
        if on <= horizon:
            age = f" (turns {on.year - person.birthday_year})" if person.birthday_year else ""
            found.append(Upcoming(on=on, title=f"Birthday{age}", days=(on - today).days))
    for milestone in Milestone.objects.filter(network=network, person=person):
        when = (
            next_occurrence(milestone.month, milestone.day, today)
            if milestone.recurs_yearly
            else milestone_date(milestone)
        )
        if when is not None and today <= when <= horizon:
            label = milestone.get_kind_display().capitalize()
            title = f"{label}: {milestone.title}" if milestone.title else label
            found.append(Upcoming(on=when, title=title, days=(when - today).days))
    found.sort(key=lambda item: (item.on, item.title))
    return _some(found)


def _jobs(
    network: Network, person: Person, me_id: int | None
) -> tuple[list[str], Some[Organization]]:
    """Their current jobs (the latest few) and the organizations we were both part of, in
    one query over their affiliations, each marked with whether I was part of it too."""
    mine = Affiliation.objects.filter(person_id=me_id or 0, organization=OuterRef("organization"))
    rows = list(
        Affiliation.objects.filter(person=person, organization__network=network)
        .select_related("organization")
        .annotate(shared=Exists(mine) if me_id is not None else Value(False))
        .order_by("-start_on", "id")
    )
    roles = [str(a) for a in rows if a.end_on is None and a.kind == Affiliation.Kind.EMPLOYMENT][
        :SHOWN
    ]
    shared: dict[int, Organization] = {}
    for affiliation in rows:
        if affiliation.shared:
            shared.setdefault(affiliation.organization_id, affiliation.organization)
    organizations = sorted(shared.values(), key=lambda org: (org.name, org.pk))
    return roles, _some(organizations)


def _shared_events(network: Network, person: Person) -> Some[Event]:
    """Events I attended (my status) where I met or saw them, newest first."""
    rows, total = _bounded(
        Attendance.objects.filter(
            person=person, event__network=network, event__status=Event.Status.ATTENDED
        )
        .select_related("event")
        .order_by("-event__starts_on", "-id")
    )
    return _some([attendance.event for attendance in rows], total)


_REVERSED: dict[str, str] = {
    Relationship.Kind.MENTOR: "mentee",
    Relationship.Kind.MANAGER: "report",
    Relationship.Kind.INTRODUCED: "introducer",
}


def _tie(relationship: Relationship, other_id: int) -> str:
    """What ``other_id`` is to the person on the other side of ``relationship``."""
    return _tie_of(relationship.kind, relationship.to_person_id, other_id)


def _tie_of(kind: str, to_person_id: int, other_id: int) -> str:
    if kind in _REVERSED and to_person_id == other_id:
        return _REVERSED[kind]
    if kind == Relationship.Kind.INTRODUCED:
        return "introduced"
    return str(dict(Relationship.Kind.choices).get(kind, kind)).lower()


def _connections(network: Network, person: Person, me_id: int | None) -> Some[Connection]:
    """People we both know: related to them and to me, who introduced us, whom they
    introduced to me.

    Their relationships come in one query, each with my own relationship to the person on
    the other side (its kind and direction, the first one's), read by subqueries."""
    rels = (
        Relationship.objects.filter(network=network)
        .filter(Q(from_person=person) | Q(to_person=person))
        .annotate(
            other=Case(
                When(from_person_id=person.pk, then=F("to_person_id")),
                default=F("from_person_id"),
            )
        )
    )
    if me_id is not None:
        with_me = (
            Relationship.objects.filter(network=network)
            .filter(
                Q(from_person_id=me_id, to_person_id=OuterRef("other"))
                | Q(to_person_id=me_id, from_person_id=OuterRef("other"))
            )
            .order_by("pk")
        )
        rels = rels.annotate(
            my_kind=Subquery(with_me.values("kind")[:1]),
            my_to=Subquery(with_me.values("to_person_id")[:1]),
        )
    theirs: dict[int, str] = {}
    mine: dict[int, str] = {}
    for rel in rels:
        other = rel.other
        if other == me_id:
            continue
        theirs.setdefault(other, _tie(rel, other))
        my_kind = getattr(rel, "my_kind", None)
        if my_kind:
            mine.setdefault(other, _tie_of(my_kind, rel.my_to, other))  # type: ignore[attr-defined]
    whys: dict[int, str] = {
        pk: f"their {theirs[pk]}, your {mine[pk]}" for pk in theirs if pk in mine
    }
    if person.introduced_by_id and person.introduced_by_id != me_id:
        whys[person.introduced_by_id] = "introduced you two"
    # By introducer alone (its index); with the network too, the database would rather
    # walk the network's people by name.
    introduced = Person.objects.filter(introduced_by=person, is_self=False).values_list(
        "pk", "network_id"
    )
    for pk, network_id in introduced[:BOUND]:
        if network_id == network.pk:
            whys.setdefault(pk, "introduced to you by them")
    people = Person.objects.filter(network=network, pk__in=list(whys)[:BOUND]).order_by("full_name")
    return _some([Connection(person=p, why=whys[p.pk]) for p in people], total=len(whys))


def _line(text: str, limit: int = 140) -> str:
    """The first line of a note, cut to fit one line of the brief."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
