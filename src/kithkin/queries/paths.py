"""Warm-intro paths: the best ways from a member of the network to a person, or to anyone
at an organization now, through people who know them (docs/insights.md).

*Me* and members. Every network has exactly one *me* (``Person.is_self``, made with the
network: its owner's own card); a member of a shared network has no card of their own.
So a path starts at the member who asks (or the member chosen with ``member``): its
first hop goes to someone that member knows, weighed by their relationship strength
(``strength.scores(network, member, ...)``: 0-100, absent for people they do not know);
every further hop goes along a tie between two people (``queries.ties``), weighed by its
evidence. *Me*'s card is never a hop: what I know of people is what strength measures.

The search runs backwards from the target, bounded: the people tied to the target (the
best ``BEAM`` of them), then the people tied to those (the best ``BEAM`` again), then one
call to ``scores`` for all of them: at most ``MAX_HOPS`` hops, a dozen queries whatever the
size of the network. A path's score is the product of its hops' strengths (each 0-1), so
a longer path scores lower unless its hops are stronger; ties are broken by fewer hops,
then by name. Each first hop appears once, on its best path, so the answer names
different people: "who knows Babbage & Co best" is the same query with the organization
as the target.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kithkin import access, clock
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import Affiliation, Membership, Network, Organization, Person, User
from kithkin.queries import strength
from kithkin.queries.agenda_items import PersonRef
from kithkin.queries.ties import Names, Ties, names_of, pair, ties_of

MAX_HOPS = 3
BEAM = 40  # people kept at each step back from the target
TARGETS_READ = 150  # people at an organization the search starts from
SHOWN = 10  # paths answered


@dataclass(frozen=True)
class Hop:
    """One step of a path: to ``person``, with the strength of that step and why."""

    person: PersonRef
    strength: int  # 0-100
    reasons: list[str]


@dataclass(frozen=True)
class Path:
    hops: list[Hop]
    score: float  # product of the hops' strengths, 0-1
    # For an organization: what the last person does there ("Engineer at Babbage & Co").
    there: str = ""

    @property
    def through(self) -> PersonRef:
        return self.hops[0].person

    @property
    def reaches(self) -> PersonRef:
        return self.hops[-1].person

    @property
    def percent(self) -> int:
        return round(100 * self.score)


@dataclass(frozen=True)
class Target:
    """A person, or an organization (its people now)."""

    person: Person | None = None
    organization: Organization | None = None

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.full_name
        assert self.organization is not None
        return self.organization.name


@dataclass
class PathSearch:
    target: Target
    member: User
    paths: list[Path] = field(default_factory=list)
    people_reached: int = 0  # people tied to the target, within the bounds

    @property
    def member_name(self) -> str:
        return self.member.get_full_name() or self.member.get_username()


def member_of(user: User, network: Network, name: str | None) -> User:
    """The member a path starts from: ``user`` themself, or the member of ``network``
    named by ``name`` (username, email or full name, case aside). ``user`` must be a
    member (else NotFound); a name no member has is NotFound too."""
    access.membership(user, network)
    if not name:
        return user
    wanted = " ".join(name.split()).casefold()
    members = Membership.objects.filter(network=network).select_related("user")
    for membership in members:
        member = membership.user
        if wanted in {
            member.get_username().casefold(),
            (member.email or "").casefold(),
            " ".join(member.get_full_name().split()).casefold(),
        }:
            return member
    raise NotFound(f"No member {name!r} in {network.name}.")


def member_by_id(user: User, network: Network, member_id: int | None) -> User:
    """As ``member_of``, by the member's user id (the web's choice)."""
    access.membership(user, network)
    if member_id is None:
        return user
    found = Membership.objects.filter(network=network, user_id=member_id).select_related("user")
    membership = found.first()
    if membership is None:
        raise NotFound(f"No such member in {network.name}.")
    return membership.user


def _targets(network: Network, target: Target) -> dict[int, str]:
    """The people a path may end at, with what they do there for an organization."""
    if target.person is not None:
        access.require_in_network(network, target.person, "person")
        if target.person.is_self:
            raise InvalidInput("target", "that is you: ask for a path to someone else")
        return {target.person.pk: ""}
    assert target.organization is not None
    access.require_in_network(network, target.organization, "organization")
    rows = (
        Affiliation.objects.filter(
            organization=target.organization,
            end_on__isnull=True,
            person__archived_at__isnull=True,
            person__is_self=False,
        )
        .order_by("person_id")
        .values_list("person_id", "title")[:TARGETS_READ]
    )
    name = target.organization.name
    return {pk: f"{title} at {name}" if title else f"at {name}" for pk, title in rows}


def _best_by(ties: Ties, asked: Iterable[int], score: Callable[[int, int], float]) -> dict:
    """For each person tied to one of ``asked`` (not asked themself): their best score
    through any of them, and the best ``BEAM`` of those."""
    asked = set(asked)
    best: dict[int, float] = {}
    for (a, b), tie in ties.items():
        for near, far in ((a, b), (b, a)):
            if near in asked and far not in asked:
                value = score(near, tie.strength)
                if value > best.get(far, -1.0):
                    best[far] = value
    kept = sorted(best, key=lambda pk: (-best[pk], pk))[:BEAM]
    return {pk: best[pk] for pk in kept}


def paths_to(
    network: Network,
    user: User,
    target: Target,
    *,
    member: User | None = None,
    today: dt.date | None = None,
    shown: int = SHOWN,
) -> PathSearch:
    """The best paths from ``member`` (default: ``user``) to ``target``; ``user`` must be
    a member of ``network`` (NotFound otherwise), and so must ``member``."""
    access.membership(user, network)
    member = member or user
    access.membership(member, network)
    today = today or clock.today_in(network.time_zone)
    targets = _targets(network, target)
    search = PathSearch(target=target, member=member)
    if not targets:
        return search

    # Back from the target: its ties, then the ties of the best of those.
    skip = [target.organization.pk] if target.organization is not None else []
    near_ties = ties_of(network, targets, today=today, skip_organizations=skip)
    near = _best_by(near_ties, targets, lambda _t, s: s / 100)
    far_ties = ties_of(network, near, today=today, skip_organizations=skip) if near else {}
    far = _best_by(
        {k: t for k, t in far_ties.items() if not set(k) & set(targets)},
        near,
        lambda n, s: near[n] * s / 100,
    )
    search.people_reached = len(near)
    ties = {**far_ties, **near_ties}
    known = strength.scores(network, member, {*targets, *near, *far})

    tied: dict[int, list[int]] = defaultdict(list)
    for a, b in ties:
        tied[a].append(b)
        tied[b].append(a)

    def hop_strength(x: int, y: int) -> int:
        return ties[pair(x, y)].strength

    chains: list[tuple[float, list[int]]] = []
    for first, score in known.items():
        if score <= 0:
            continue
        s = score / 100
        if first in targets:
            chains.append((s, [first]))
        if first in near:
            for t in tied[first]:
                if t in targets:
                    chains.append((s * hop_strength(first, t) / 100, [first, t]))
        if first in far:
            for n in tied[first]:
                if n not in near or n in targets:
                    continue
                for t in tied[n]:
                    if t in targets:
                        value = s * hop_strength(first, n) / 100 * hop_strength(n, t) / 100
                        chains.append((value, [first, n, t]))

    names = names_of(network, {pk for _, chain in chains for pk in chain})

    def order(item: tuple[float, list[int]]) -> tuple[float, int, str, int]:
        value, chain = item
        return (-value, len(chain), names.get(chain[0], ""), chain[0])

    seen: set[int] = set()
    for value, chain in sorted(chains, key=order):
        if chain[0] in seen or len(chain) > MAX_HOPS:
            continue
        seen.add(chain[0])
        search.paths.append(
            _path(
                value,
                chain,
                known,
                ties,
                names,
                member_name=search.member_name,
                is_user=member == user,
                there=targets[chain[-1]],
            )
        )
        if len(search.paths) == shown:
            break
    return search


def _path(
    value: float,
    chain: list[int],
    known: dict[int, int],
    ties: Ties,
    names: Names,
    *,
    member_name: str,
    is_user: bool,
    there: str,
) -> Path:
    first = chain[0]
    who = "you know" if is_user else f"{member_name} knows"
    hops = [
        Hop(
            PersonRef(first, names.get(first, "")),
            known[first],
            [f"{who} {names.get(first, '')} (strength {known[first]})"],
        )
    ]
    for before, after in itertools.pairwise(chain):
        tie = ties[pair(before, after)]
        hops.append(Hop(PersonRef(after, names.get(after, "")), tie.strength, tie.reasons(names)))
    return Path(hops=hops, score=value, there=there)


def resolve_target(user: User, network: Network, text: str) -> Target:
    """``text`` as a person (their reference, name, email...) or else an organization
    (``o12``, its name or a unique prefix): a person is looked for first."""
    from kithkin import refs
    from kithkin.queries.memberships import resolve_organization
    from kithkin.queries.people import resolve_person

    access.membership(user, network)
    parsed = refs.parse(text.strip())
    if parsed is not None and parsed[0] == refs.ORGANIZATION:
        return Target(organization=resolve_organization(user, network, text))
    if parsed is not None:  # a person's reference (or another kind's: refused there)
        return Target(person=resolve_person(network, text))
    try:
        return Target(person=resolve_person(network, text))
    except NotFound:
        try:
            return Target(organization=resolve_organization(user, network, text))
        except NotFound:
            raise NotFound(f"No one and no organization called {text.strip()!r}.") from None
