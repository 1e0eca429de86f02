"""Triage: a circle suggested for everyone not placed in one yet, with the evidence for it.

*Who is triaged.* People of the network, not *me*, not archived, with no cadence of
their own and no circle (:func:`untriaged`). Placing someone in a circle, even one that is
never due (acquaintance), is a decision: it takes them off the list.

*The evidence* is read in a fixed number of queries, whatever the size of the network:
their stored interaction tallies (counted when interactions change, see
``kithkin.services.tallies``: grouping a million interactions here took seconds), one
GROUP BY over value they gave me, one over value I gave them, one join for organizations
we share, plus the people themselves and the circles. Never a query per person. Each joins
the person row and filters on it (never ``person_id IN (subquery)``, which SQLite plans as
a probe per row and person).

*The rules*, all here, deterministic: each piece of evidence earns points, and the points
pick the circle.

==========================================================  ======
Evidence                                                    Points
==========================================================  ======
last interaction within 90 days / a year / three years       3 / 2 / 1
interactions (LinkedIn invitations not counted): 20+ / 5+ / 1+   3 / 2 / 1
meetings (meeting, call, video call, event conversation): 3+ / 1+   3 / 2
they reached out more often than I did                      1
they recommended me                                         2
they endorsed me                                            1
I gave them value (advice, an introduction...)              1
we are both at an organization now                         1
connected within the last 90 days / three years             3 / 2
==========================================================  ======

7 points or more: the closest circle (close); 4 or more: the second (regular); 2 or more:
the third (occasional); fewer: the fourth (acquaintance). Circles are taken by rank, so a
network that renamed its circles gets the same tiers; with fewer circles, the last one.
Invitations only say who reached out first ("they invited you to connect").

A connection of the last three years with nothing else known lands in the third circle
(occasional): a bare LinkedIn export then becomes a plan the daily budget spreads out,
instead of a network of acquaintances that is never due. Older silent connections stay
acquaintances until something shows they matter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from kithkin import clock
from kithkin.models import (
    Affiliation,
    Circle,
    InteractionTally,
    Network,
    Person,
    ValueExchange,
)

# A connection this recent earns points by itself (see the table above).
RECENT_CONNECTION_DAYS = 3 * 365
# Score thresholds for the closest circle, the second and the third; below: the fourth.
TIER_THRESHOLDS = (7, 4, 2)


def _untriaged(network: Network, prefix: str = "") -> Q:
    """The rule, for Person (or, with ``person__``, for rows joined to a person)."""
    return Q(
        **{
            f"{prefix}network": network,
            f"{prefix}is_self": False,
            f"{prefix}archived_at__isnull": True,
            f"{prefix}circle__isnull": True,
            f"{prefix}cadence_days__isnull": True,
        }
    )


def untriaged(network: Network) -> QuerySet[Person]:
    """Everyone who still needs a circle: no circle, no cadence of their own, not *me*,
    not archived."""
    return Person.objects.filter(_untriaged(network))


def untriaged_count(network: Network) -> int:
    return untriaged(network).count()


def has_untriaged(network: Network) -> bool:
    """Cheap enough for every page: the ``person_untriaged`` partial index holds just them."""
    return untriaged(network).exists()


@dataclass
class Evidence:
    """What is known about one person, as counted by the grouped queries."""

    interactions: int = 0
    messages: int = 0
    meetings: int = 0
    inbound: int = 0
    outbound: int = 0
    last_at: dt.datetime | None = None
    last_meeting_at: dt.datetime | None = None
    they_invited: bool = False
    i_invited: bool = False
    recommendations: int = 0
    endorsements: int = 0
    other_value_received: int = 0
    value_given: int = 0
    shared_organizations: list[tuple[str, bool]] = field(default_factory=list)  # (name, now)


@dataclass(frozen=True)
class PersonRef:
    """The little triage shows of a person: reading 30,000 whole Person rows as models
    would cost more than every other step."""

    pk: int
    full_name: str
    connected_on: dt.date | None


@dataclass(frozen=True)
class Suggestion:
    person: PersonRef
    circle: Circle | None  # None only in a network without circles
    score: int
    evidence: list[str]


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def score(evidence: Evidence, *, connected_on: dt.date | None, today: dt.date, zone: str) -> int:
    points = 0
    if evidence.last_at is not None:
        days = (today - clock.local_date(evidence.last_at, zone)).days
        points += 3 if days <= 90 else 2 if days <= 365 else 1 if days <= 3 * 365 else 0
    n = evidence.interactions
    points += 3 if n >= 20 else 2 if n >= 5 else 1 if n >= 1 else 0
    m = evidence.meetings
    points += 3 if m >= 3 else 2 if m >= 1 else 0
    if evidence.inbound > evidence.outbound:
        points += 1
    if evidence.recommendations:
        points += 2
    if evidence.endorsements:
        points += 1
    if evidence.value_given:
        points += 1
    if any(now for _, now in evidence.shared_organizations):
        points += 1
    if connected_on is not None and 0 <= (today - connected_on).days <= RECENT_CONNECTION_DAYS:
        points += 3 if (today - connected_on).days <= 90 else 2
    return points


def tier(points: int) -> int:
    """0 for the closest circle, 3 for the fourth."""
    return next((i for i, floor in enumerate(TIER_THRESHOLDS) if points >= floor), 3)


def describe(
    evidence: Evidence, *, connected_on: dt.date | None, today: dt.date, zone: str
) -> list[str]:
    """The evidence as short sentences, strongest first."""

    def ago(instant: dt.datetime) -> str:
        return _ago((today - clock.local_date(instant, zone)).days)

    lines = []
    e = evidence
    if e.interactions and e.last_at is not None:
        if e.messages == e.interactions:
            noun = "message" if e.interactions == 1 else "messages"
        else:
            noun = "interaction" if e.interactions == 1 else "interactions"
        line = f"{e.interactions} {noun}, last {ago(e.last_at)}"
        if e.inbound or e.outbound:
            if e.inbound > e.outbound:
                line += ", mostly they reached out" if e.outbound else ", they reached out"
            elif e.outbound > e.inbound:
                line += ", mostly you reached out" if e.inbound else ", you reached out"
            else:
                line += ", both of you reached out"
        lines.append(line)
    if e.meetings and e.last_meeting_at is not None:
        lines.append(f"met {_times(e.meetings)}, last {ago(e.last_meeting_at)}")
    if e.recommendations:
        lines.append(
            "recommended you"
            if e.recommendations == 1
            else f"recommended you {_times(e.recommendations)}"
        )
    if e.endorsements:
        skills = "1 skill" if e.endorsements == 1 else f"{e.endorsements} skills"
        lines.append(f"endorsed you for {skills}")
    if e.other_value_received:
        lines.append(f"helped you {_times(e.other_value_received)}")
    if e.value_given:
        lines.append(f"you helped them {_times(e.value_given)}")
    for name, now in e.shared_organizations:
        lines.append(f"both at {name}" if now else f"both were at {name}")
    if e.they_invited:
        lines.append("they invited you to connect")
    elif e.i_invited:
        lines.append("you invited them to connect")
    if connected_on is not None:
        lines.append(f"connected {_ago((today - connected_on).days)}")
    if not e.interactions and not e.meetings:
        lines.append("no conversation recorded")
    return lines


def _interaction_evidence(network: Network) -> dict[int, Evidence]:
    """The untriaged people's stored tallies: one row each, counted when their interactions
    changed (``kithkin.services.tallies``), not a million participant rows grouped now."""
    rows = InteractionTally.objects.filter(_untriaged(network, "person__")).values_list(
        "person_id", *InteractionTally.FIELDS
    )
    return {
        pk: Evidence(
            interactions=talks,
            messages=messages,
            meetings=meetings,
            inbound=inbound,
            outbound=outbound,
            last_at=last_talk_at,
            last_meeting_at=last_meeting_at,
            they_invited=they_invited,
            i_invited=i_invited,
        )
        for (
            pk,
            talks,
            messages,
            meetings,
            inbound,
            outbound,
            last_talk_at,
            last_meeting_at,
            they_invited,
            i_invited,
        ) in rows
    }


def _value_evidence(network: Network, me: Person | None, evidence: dict[int, Evidence]) -> None:
    if me is None:
        return
    received = (
        ValueExchange.objects.filter(_untriaged(network, "giver__"), receiver=me)
        .values("giver_id")
        .annotate(
            recommendations=Count("pk", filter=Q(kind=ValueExchange.Kind.RECOMMENDATION)),
            endorsements=Count("pk", filter=Q(kind=ValueExchange.Kind.ENDORSEMENT)),
            other=Count(
                "pk",
                filter=~Q(
                    kind__in=[ValueExchange.Kind.RECOMMENDATION, ValueExchange.Kind.ENDORSEMENT]
                ),
            ),
        )
    )
    for row in received:
        e = evidence.setdefault(row["giver_id"], Evidence())
        e.recommendations = row["recommendations"]
        e.endorsements = row["endorsements"]
        e.other_value_received = row["other"]
    given = (
        ValueExchange.objects.filter(_untriaged(network, "receiver__"), giver=me)
        .values("receiver_id")
        .annotate(count=Count("pk"))
        .values_list("receiver_id", "count")
    )
    for receiver_id, count in given:
        evidence.setdefault(receiver_id, Evidence()).value_given = count


def _organization_evidence(
    network: Network, me: Person | None, evidence: dict[int, Evidence]
) -> None:
    if me is None:
        return
    mine = Affiliation.objects.filter(person=me)
    my_current = set(mine.filter(end_on__isnull=True).values_list("organization_id", flat=True))
    shared = (
        Affiliation.objects.filter(
            _untriaged(network, "person__"),
            organization_id__in=list(mine.values_list("organization_id", flat=True)),
        )
        .values_list("person_id", "organization_id", "organization__name", "end_on")
        .order_by("person_id", "organization__name")
    )
    seen: dict[int, dict[str, bool]] = {}
    for person_id, organization_id, name, end_on in shared:
        now = end_on is None and organization_id in my_current
        by_name = seen.setdefault(person_id, {})
        by_name[name] = by_name.get(name, False) or now
    for person_id, by_name in seen.items():
        evidence.setdefault(person_id, Evidence()).shared_organizations = sorted(by_name.items())


def suggestions(network: Network, today: dt.date, *, limit: int | None = None) -> list[Suggestion]:
    """Everyone :func:`untriaged`, closest suggestion first (then by points, then name)."""
    people = untriaged(network)
    me = Person.objects.filter(network=network, is_self=True).first()
    evidence = _interaction_evidence(network)
    _value_evidence(network, me, evidence)
    _organization_evidence(network, me, evidence)
    circles = circles_by_rank(network)
    zone = network.time_zone
    found = []
    for pk, full_name, connected_on in people.order_by("full_name", "pk").values_list(
        "pk", "full_name", "connected_on"
    ):
        person = PersonRef(pk, full_name, connected_on)
        e = evidence.get(pk, Evidence())
        points = score(e, connected_on=person.connected_on, today=today, zone=zone)
        circle = circles[min(tier(points), len(circles) - 1)] if circles else None
        found.append(
            Suggestion(
                person=person,
                circle=circle,
                score=points,
                evidence=describe(e, connected_on=person.connected_on, today=today, zone=zone),
            )
        )
    found.sort(key=lambda s: (s.circle.rank if s.circle else 0, -s.score))  # stable: by name
    return found[:limit] if limit is not None else found


def circles_by_rank(network: Network) -> list[Circle]:
    """The network's circles, closest first: the tiers triage suggests, in order."""
    return list(Circle.objects.filter(network=network).order_by("rank", "pk"))


def by_circle(found: Sequence[Suggestion]) -> dict[Circle, list[int]]:
    """The suggested people's ids, grouped by their suggested circle."""
    grouped: dict[Circle, list[int]] = {}
    for suggestion in found:
        if suggestion.circle is not None:
            grouped.setdefault(suggestion.circle, []).append(suggestion.person.pk)
    return grouped


@dataclass(frozen=True)
class Standing:
    """How much of the network is on a rhythm: people with a cadence, people untriaged."""

    with_cadence: int
    untriaged: int


def standing(network: Network) -> Standing:
    active = Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
    counts = active.aggregate(
        with_cadence=Count(
            "pk", filter=Q(cadence_days__isnull=False) | Q(circle__cadence_days__isnull=False)
        ),
        untriaged=Count("pk", filter=Q(circle__isnull=True, cadence_days__isnull=True)),
    )
    return Standing(with_cadence=counts["with_cadence"], untriaged=counts["untriaged"])
