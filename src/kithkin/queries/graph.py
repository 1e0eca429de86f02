"""The ties around one person, two hops out and bounded: their strongest ``FIRST`` ties,
and for each of those up to ``SECOND`` more people not shown yet (``queries.ties``:
what counts as a tie and how strong it is). Two reads of ties, whatever the network."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kithkin import access
from kithkin.models import Network, Person, User
from kithkin.queries.agenda_items import PersonRef
from kithkin.queries.ties import Tie, names_of, ties_of

FIRST = 12
SECOND = 5


@dataclass(frozen=True)
class Tied:
    person: PersonRef
    strength: int
    reasons: list[str]
    via: int | None = None  # the first-hop person a second-hop one is tied through


@dataclass
class Around:
    person: PersonRef
    first: list[Tied] = field(default_factory=list)
    second: list[Tied] = field(default_factory=list)

    def second_of(self, person_id: int) -> list[Tied]:
        return [t for t in self.second if t.via == person_id]


def around(
    network: Network,
    user: User,
    person: Person,
    *,
    today: dt.date,
    first: int = FIRST,
    second: int = SECOND,
) -> Around:
    access.membership(user, network)
    access.require_in_network(network, person, "person")
    found = Around(PersonRef(person.pk, person.full_name))
    near_ties = ties_of(network, [person.pk], today=today)
    ranked = sorted(near_ties.values(), key=lambda t: (-t.strength, t.other(person.pk)))
    near = [(t.other(person.pk), t) for t in ranked[:first]]
    shown = {person.pk, *(pk for pk, _ in near)}
    far_ties = ties_of(network, [pk for pk, _ in near], today=today) if near else {}
    far: list[tuple[int, int, Tie]] = []
    for pk, _ in near:
        mine = [t for t in far_ties.values() if pk in (t.a, t.b) and t.other(pk) not in shown]
        mine.sort(key=lambda t: (-t.strength, t.other(pk)))
        for tie in mine[:second]:
            other = tie.other(pk)
            shown.add(other)
            far.append((other, pk, tie))
    names = names_of(network, shown)
    found.first = [
        Tied(PersonRef(pk, names.get(pk, "")), tie.strength, tie.reasons(names)) for pk, tie in near
    ]
    for other, via, tie in far:
        found.second.append(
            Tied(PersonRef(other, names.get(other, "")), tie.strength, tie.reasons(names), via)
        )
    return found
