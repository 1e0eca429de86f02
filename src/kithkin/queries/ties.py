"""Ties between people: who knows whom in a network, and the evidence for it, in words.

A tie between two people (neither of them *me*) is any of (docs/insights.md):

- a **relationship** recorded between them (friend, colleague, manager, mentor...);
- **co-participation**: both were in the same interactions (a meeting with both, an
  email to both), counted with the latest;
- **the same organization at the same time**: jobs, memberships, schools or volunteering
  at one organization whose dates overlap (unknown dates count as overlapping);
- **the ledger**: an introduction I made between them, or value one gave the other.

Each piece of evidence weighs 0-1 (``Evidence.weight``) and a tie's strength is
``1 - prod(1 - weight)`` as 0-100: more evidence never weakens a tie, and no single kind of
evidence reaches 100. Ties are read set-based, only for pairs with one end among the
people asked about (``ties_of``): four queries whatever their number, never the whole
network's pairs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q

from kithkin import clock
from kithkin.models import (
    Affiliation,
    InteractionParticipant,
    Network,
    Person,
    Relationship,
    ValueExchange,
)

# What one relationship between two people weighs, by kind.
RELATIONSHIP_WEIGHTS: dict[str, float] = {
    Relationship.Kind.FAMILY: 0.9,
    Relationship.Kind.PARTNER: 0.9,
    Relationship.Kind.FRIEND: 0.8,
    Relationship.Kind.MENTOR: 0.75,
    Relationship.Kind.MANAGER: 0.7,
    Relationship.Kind.COLLEAGUE: 0.6,
    Relationship.Kind.INTRODUCED: 0.5,
    Relationship.Kind.OTHER: 0.4,
}
# Shared interactions: each one adds, up to a ceiling; older than STALE_AFTER counts less.
TOGETHER_PER_INTERACTION = 0.2
TOGETHER_CEILING = 0.85
STALE_AFTER = dt.timedelta(days=3 * 365)
STALE_FACTOR = 0.6
# The same organization at the same time, by kind of affiliation.
AFFILIATION_WEIGHTS: dict[str, float] = {
    Affiliation.Kind.EMPLOYMENT: 0.4,
    Affiliation.Kind.EDUCATION: 0.3,
    Affiliation.Kind.VOLUNTEERING: 0.3,
    Affiliation.Kind.MEMBERSHIP: 0.2,
}
AFFILIATION_VERBS: dict[str, str] = {
    Affiliation.Kind.EMPLOYMENT: "worked at",
    Affiliation.Kind.EDUCATION: "studied at",
    Affiliation.Kind.VOLUNTEERING: "volunteered at",
    Affiliation.Kind.MEMBERSHIP: "were members of",
}
INTRODUCTION_WEIGHT = 0.5
VALUE_WEIGHT = 0.3
# An organization's people read for one query at most (current ones first, then the most
# recent): a company of thousands would otherwise pair each of them with everyone asked
# about, for evidence that weighs little.
ORGANIZATION_PEOPLE_READ = 100
ORGANIZATION_ROWS_READ = 1500

Names = dict[int, str]


@dataclass(frozen=True)
class Evidence:
    """One reason two people know each other; ``says`` puts it in words given their names
    (in the pair's order, ``Tie.a`` then ``Tie.b``)."""

    kind: str  # relationship, together, organization, introduction, value
    weight: float
    says: Callable[[str, str], str]


@dataclass
class Tie:
    a: int  # the lower id of the pair
    b: int
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def strength(self) -> int:
        """0-100: ``1 - prod(1 - weight)`` of its evidence."""
        return round(100 * (1 - math.prod(1 - e.weight for e in self.evidence)))

    def other(self, person_id: int) -> int:
        return self.b if person_id == self.a else self.a

    def reasons(self, names: Names) -> list[str]:
        """Its evidence in words, the weightiest first."""
        a, b = names.get(self.a, "someone"), names.get(self.b, "someone")
        ranked = sorted(self.evidence, key=lambda e: -e.weight)
        return [e.says(a, b) for e in ranked]


Ties = dict[tuple[int, int], Tie]


def pair(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def _add(ties: Ties, x: int, y: int, evidence: Evidence) -> None:
    key = pair(x, y)
    if key not in ties:
        ties[key] = Tie(*key)
    ties[key].evidence.append(evidence)


def ties_of(
    network: Network,
    person_ids: Collection[int],
    *,
    today: dt.date,
    skip_organizations: Collection[int] = (),
) -> Ties:
    """Every tie with at least one end among ``person_ids`` (*me* and archived people
    left out), keyed by ``pair(a, b)``; ``skip_organizations``: being at these is no
    evidence (the organization a path search is looking for)."""
    ids = list(set(person_ids))
    ties: Ties = {}
    if not ids:
        return ties
    _relationships(network, ids, ties)
    _together(network, ids, ties)
    _organizations(network, ids, ties, today, skip_organizations)
    _ledger(network, ids, ties)
    left_out = set(
        Person.objects.filter(
            Q(is_self=True) | Q(archived_at__isnull=False),
            network=network,
            pk__in={i for key in ties for i in key},
        ).values_list("pk", flat=True)
    )
    return {key: tie for key, tie in ties.items() if not left_out & set(key)}


def _of_network(network: Network, ids: list[int]) -> list[int]:
    return list(Person.objects.filter(network=network, pk__in=ids).values_list("pk", flat=True))


def names_of(network: Network, person_ids: Iterable[int]) -> Names:
    return dict(
        Person.objects.filter(network=network, pk__in=set(person_ids)).values_list(
            "pk", "full_name"
        )
    )


# The evidence, one query each -------------------------------------------------------------


def _relationship_words(kind: str, forwards: bool) -> Callable[[str, str], str]:
    label = Relationship.Kind(kind).label.lower()

    def says(a: str, b: str) -> str:
        first, second = (a, b) if forwards else (b, a)
        if kind in Relationship.DIRECTIONAL:
            if kind == Relationship.Kind.INTRODUCED:
                return f"{first} was introduced by {second}"
            return f"{first} is {second}'s {label}"
        if kind == Relationship.Kind.OTHER:
            return f"{first} and {second} know each other"
        plural = "family" if kind == Relationship.Kind.FAMILY else f"{label}s"
        return f"{first} and {second} are {plural}"

    return says


def _relationships(network: Network, ids: list[int], ties: Ties) -> None:
    rows = Relationship.objects.filter(
        Q(from_person_id__in=ids) | Q(to_person_id__in=ids), network=network
    ).values_list("from_person_id", "to_person_id", "kind")
    for source, target, kind in rows:
        weight = RELATIONSHIP_WEIGHTS.get(kind, 0.4)
        _add(
            ties,
            source,
            target,
            Evidence("relationship", weight, _relationship_words(kind, source < target)),
        )


def _month(moment: dt.datetime, time_zone: str) -> str:
    return f"{clock.local_date(moment, time_zone):%B %Y}"


def _together(network: Network, ids: list[int], ties: Ties) -> None:
    # By the people only: their interactions are their network's, and naming the network
    # too led SQLite to walk every interaction of it once a few dozen people were asked.
    rows = (
        InteractionParticipant.objects.filter(person_id__in=_of_network(network, ids))
        .values("person_id", "interaction__interactionparticipant__person_id")
        .annotate(count=Count("interaction_id"), last=Max("interaction__occurred_at"))
        .order_by()
    )
    now = clock.now()
    seen: set[tuple[int, int]] = set()
    for row in rows:
        x, y = row["person_id"], row["interaction__interactionparticipant__person_id"]
        if x == y or pair(x, y) in seen:  # a pair with both ends asked about: once
            continue
        seen.add(pair(x, y))
        count, last = row["count"], row["last"]
        weight = min(TOGETHER_CEILING, TOGETHER_PER_INTERACTION * count)
        if now - last > STALE_AFTER:
            weight *= STALE_FACTOR
        month = _month(last, network.time_zone)
        times = "once" if count == 1 else f"{count} times"

        def says(a: str, b: str, times: str = times, month: str = month, count: int = count) -> str:
            last_word = "in" if count == 1 else "last in"
            return f"{a} and {b} were in your interactions together {times}, {last_word} {month}"

        _add(ties, x, y, Evidence("together", weight, says))


@dataclass(frozen=True)
class _Stint:
    person_id: int
    organization_id: int
    organization: str
    kind: str
    start: dt.date | None
    end: dt.date | None


def _overlap(one: _Stint, two: _Stint, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The time both were there, unknown starts as the earliest; None if they never were
    there together."""
    start = max(one.start or dt.date.min, two.start or dt.date.min)
    end = min(one.end or today, two.end or today)
    return (start, end) if start <= end else None


def _years(start: dt.date, end: dt.date, current: bool) -> str:
    if start == dt.date.min:
        return "" if current else f" until {end.year}"
    if current:
        return f" since {start.year}"
    return f" in {start.year}" if start.year == end.year else f" {start.year}-{end.year}"


def _organizations(
    network: Network,
    ids: list[int],
    ties: Ties,
    today: dt.date,
    skip_organizations: Collection[int] = (),
) -> None:
    fields = ("person_id", "organization_id", "organization__name", "kind", "start_on", "end_on")
    asked = [
        _Stint(*row)
        for row in Affiliation.objects.filter(
            person_id__in=ids, organization__network=network
        ).values_list(*fields)
    ]
    if not asked:
        return
    others = (
        Affiliation.objects.filter(organization_id__in={s.organization_id for s in asked})
        .exclude(organization_id__in=skip_organizations)
        .order_by(F("end_on").desc(nulls_first=True), "-start_on", "pk")
        .values_list(*fields)[:ORGANIZATION_ROWS_READ]
    )
    at: dict[int, list[_Stint]] = defaultdict(list)
    for row in others:
        stint = _Stint(*row)
        if len(at[stint.organization_id]) < ORGANIZATION_PEOPLE_READ:
            at[stint.organization_id].append(stint)
    done: set[tuple[int, int, int]] = set()
    for mine in asked:
        for theirs in at[mine.organization_id]:
            if theirs.person_id == mine.person_id:
                continue
            key = (*pair(mine.person_id, theirs.person_id), mine.organization_id)
            if key in done:
                continue
            both = _overlap(mine, theirs, today)
            if both is None:
                continue
            done.add(key)
            kind = mine.kind if mine.kind == theirs.kind else Affiliation.Kind.MEMBERSHIP
            current = mine.end is None and theirs.end is None
            verb = AFFILIATION_VERBS[kind]
            if current:
                verb = {"worked at": "work at", "studied at": "study at"}.get(verb, verb)
                verb = verb.replace("were", "are").replace("volunteered", "volunteer")
            when = _years(*both, current)
            where = mine.organization

            def says(a: str, b: str, verb: str = verb, where: str = where, when: str = when) -> str:
                return f"{a} and {b} both {verb} {where}{when}"

            _add(
                ties,
                mine.person_id,
                theirs.person_id,
                Evidence("organization", AFFILIATION_WEIGHTS[kind], says),
            )


def _ledger(network: Network, ids: list[int], ties: Ties) -> None:
    rows = ValueExchange.objects.filter(
        Q(giver_id__in=ids) | Q(receiver_id__in=ids) | Q(introduced_to_id__in=ids),
        network=network,
    ).values_list(
        "giver_id",
        "giver__is_self",
        "receiver_id",
        "receiver__is_self",
        "introduced_to_id",
        "kind",
        "occurred_on",
    )
    introduced: set[tuple[int, int]] = set()
    for giver, giver_is_me, receiver, receiver_is_me, introduced_to, kind, on in rows:
        if introduced_to is not None and not receiver_is_me and introduced_to != receiver:
            key = pair(receiver, introduced_to)
            if key in introduced:  # recorded once for each of the two: one tie
                continue
            introduced.add(key)
            month = f"{on:%B %Y}"
            if giver_is_me:

                def says(a: str, b: str, month: str = month) -> str:
                    return f"you introduced {a} and {b} to each other in {month}"

            else:

                def says(a: str, b: str, month: str = month) -> str:
                    return f"{a} and {b} were introduced to each other in {month}"

            _add(ties, receiver, introduced_to, Evidence("introduction", INTRODUCTION_WEIGHT, says))
        elif not giver_is_me and not receiver_is_me and introduced_to is None:
            label = ValueExchange.Kind(kind).label.lower()
            forwards = giver < receiver
            month = f"{on:%B %Y}"

            def gave(
                a: str, b: str, label: str = label, forwards: bool = forwards, month: str = month
            ) -> str:
                first, second = (a, b) if forwards else (b, a)
                return f"{first} gave {second} {label} in {month}"

            _add(ties, giver, receiver, Evidence("value", VALUE_WEIGHT, gave))
