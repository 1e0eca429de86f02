"""Reading people: resolve a typed name to one person, and the person card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet

from kithkin import refs
from kithkin.errors import Ambiguous, NotFound
from kithkin.fulltext import fold, words
from kithkin.models import (
    Affiliation,
    ContactPoint,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Network,
    Person,
    Relationship,
)
from kithkin.normalize import closest
from kithkin.queries.checkins import CheckInStatus, check_in_status
from kithkin.queries.search import at_url, matching_person_ids

MAX_CANDIDATES = 10


def describe(person: Person) -> str:
    """'Ada Lovelace (CTO at Analytical Engines)': enough to tell namesakes apart."""
    current = next((a for a in person.affiliations.all() if a.end_on is None), None)
    detail = str(current) if current else person.headline
    return f"{person.full_name} ({detail})" if detail else person.full_name


def me_in(network: Network) -> Person:
    """The network's *me* (every network has exactly one, made with it)."""
    return Person.objects.get(network=network, is_self=True)


# A name the index finds in more people than this is looked for among every name instead.
NAME_CANDIDATES = 500


def resolve_person(network: Network, text: str, *, include_archived: bool = False) -> Person:
    """The one person ``text`` names: their reference (``p12``, see kithkin.refs), a
    profile or web address, an email, an exact name, or a unique prefix of names.

    Raises Ambiguous with the candidates, or NotFound with the closest names.
    """
    query = text.strip()
    if not query:
        raise NotFound("No one named: give a name, an email or a reference (p12).")
    people = Person.objects.filter(network=network)
    if not include_archived:
        people = people.filter(archived_at__isnull=True)
    person_id = refs.id_of(query, refs.PERSON, "person", bare=False)
    if person_id is not None:
        found = people.filter(pk=person_id).first()
        if found is None:
            raise NotFound(f"No person {refs.PERSON(person_id)} in this network.")
        return found
    if query.lower() == "me":
        return people.get(is_self=True)
    by_url = list(at_url(people, query)[: MAX_CANDIDATES + 1])
    if len(by_url) == 1:
        return by_url[0]
    if by_url:
        _ambiguous(query, [p.pk for p in by_url])
    if "@" in query:
        by_email = list(
            people.filter(
                contact_points__kind=ContactPoint.Kind.EMAIL,
                contact_points__normalized=query.lower(),
            ).distinct()[: MAX_CANDIDATES + 1]
        )
        if len(by_email) == 1:
            return by_email[0]
        if by_email:
            _ambiguous(query, [p.pk for p in by_email])
    names = _name_candidates(network, people, query, include_archived)
    wanted = fold(" ".join(query.split()))
    exact = [pk for pk, full, nick in names if wanted in (fold(full), fold(nick) or None)]
    if len(exact) == 1:
        return people.get(pk=exact[0])
    if exact:
        _ambiguous(query, exact)
    query_words = words(query)
    if query_words:
        prefix = [
            pk
            for pk, full, nick in names
            if _words_prefix_match(query_words, words(f"{full} {nick}"))
        ]
        if len(prefix) == 1:
            return people.get(pk=prefix[0])
        if prefix:
            _ambiguous(query, prefix)
    raise NotFound(
        f"No one called {query!r}.", suggestions=_closest(network, people, query, include_archived)
    )


# Suggestions for a name not found are looked for among the names sharing the first
# letters of one of its words (a typo is seldom in them): matching every name of the
# network cost 130 ms at 90,000 people.
SUGGESTION_STEM = 3
SUGGESTION_CANDIDATES = 200


def _closest(
    network: Network, people: QuerySet[Person], query: str, include_archived: bool
) -> list[str]:
    """The (at most three) names closest to ``query``."""
    stems = " ".join(word[:SUGGESTION_STEM] for word in words(query) if len(word) > 1)
    if not stems:
        return []
    found = matching_person_ids(
        network,
        stems,
        limit=SUGGESTION_CANDIDATES,
        include_archived=include_archived,
        any_word=True,
    )
    names = dict(people.filter(pk__in=found, is_self=False).values_list("pk", "full_name"))
    return [name for name, _, _ in closest(query, names)]


def _name_candidates(
    network: Network, people: QuerySet[Person], query: str, include_archived: bool
) -> list[tuple[int, str, str]]:
    """(id, name, nickname) of everyone whose name the query could name exactly or by
    prefix: those the full-text index finds (every word of a name is in it), unless it
    finds more than NAME_CANDIDATES, when the names are read whole as before."""
    found = matching_person_ids(
        network, query, limit=NAME_CANDIDATES + 1, include_archived=include_archived
    )
    if len(found) <= NAME_CANDIDATES:
        people = people.filter(pk__in=found)
    return list(people.filter(is_self=False).values_list("pk", "full_name", "nickname"))


def _words_prefix_match(query_words: list[str], name_words: list[str]) -> bool:
    """Every query word starts some name word ('ada love' names 'Ada Lovelace')."""
    return all(any(name.startswith(q) for name in name_words) for q in query_words)


def _ambiguous(query: str, ids: list[int]) -> None:
    candidates = (
        Person.objects.filter(pk__in=ids[:MAX_CANDIDATES])
        .prefetch_related(
            Prefetch("affiliations", Affiliation.objects.select_related("organization"))
        )
        .order_by("full_name")
    )
    more = f" (and {len(ids) - MAX_CANDIDATES} more)" if len(ids) > MAX_CANDIDATES else ""
    raise Ambiguous(
        f"{query!r} matches {len(ids)} people{more}; say which:",
        [describe(person) for person in candidates],
    )


@dataclass
class TimelineEntry:
    interaction: Interaction
    others: list[str]  # the other participants' names


@dataclass
class PersonCard:
    person: Person
    circle: str | None
    check_in: CheckInStatus
    contact_points: list[ContactPoint]
    affiliations: list[Affiliation]
    tags: list[str]
    relationships: list[str]
    timeline: list[TimelineEntry]
    interaction_count: int
    open_follow_ups: list[FollowUp]


def latest_interaction_ids(network: Network, person: Person, limit: int) -> list[int]:
    """The ids of the person's ``limit`` latest interactions, newest first.

    Read through the person's participant rows first, then sorted: walking the network's
    interactions newest first until enough of them are the person's (the plan PostgreSQL
    picks from average selectivity) read 364k rows for someone last seen a year ago. So
    the plan is fixed: a materialised CTE on PostgreSQL, CROSS JOIN's order on SQLite, and
    the network check (a guard: a person's interactions are in their network) written as
    ``network_id + 0`` so that no index on it tempts either planner."""
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH mine AS {materialized} (
                    SELECT interaction_id FROM kithkin_interactionparticipant WHERE person_id = %s)
                SELECT i.id FROM mine CROSS JOIN kithkin_interaction i
                WHERE i.id = mine.interaction_id AND i.network_id + 0 = %s
                ORDER BY i.occurred_at DESC, i.id DESC LIMIT %s""",
            [person.pk, network.pk, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def person_card(
    network: Network, person: Person, today: dt.date, *, timeline_limit: int = 20
) -> PersonCard:
    person = (
        Person.objects.filter(network=network, pk=person.pk)
        .select_related("circle", "introduced_by")
        .prefetch_related(
            "contact_points",
            "tags",
            Prefetch("affiliations", Affiliation.objects.select_related("organization")),
        )
        .get()
    )
    latest = latest_interaction_ids(network, person, timeline_limit)
    interactions = (
        Interaction.objects.filter(network=network, pk__in=latest)
        .prefetch_related("participants")
        .order_by("-occurred_at", "-id")
    )
    timeline = [
        TimelineEntry(
            interaction=interaction,
            others=[p.full_name for p in interaction.participants.all() if p.pk != person.pk],
        )
        for interaction in interactions
    ]
    relationships = [
        f"{rel.get_kind_display()} of {rel.to_person.full_name}"
        for rel in Relationship.objects.filter(from_person=person).select_related("to_person")
    ] + [
        f"{rel.from_person.full_name} is their {rel.get_kind_display()}"
        if rel.kind in Relationship.DIRECTIONAL
        else f"{rel.get_kind_display()} of {rel.from_person.full_name}"
        for rel in Relationship.objects.filter(to_person=person).select_related("from_person")
    ]
    if person.introduced_by:
        relationships.append(f"introduced by {person.introduced_by.full_name}")
    return PersonCard(
        person=person,
        circle=person.circle.name if person.circle else None,
        check_in=check_in_status(person, today, network.time_zone),
        contact_points=list(person.contact_points.all()),
        affiliations=sorted(
            person.affiliations.all(),
            key=lambda a: (a.end_on is not None, -(a.start_on or dt.date.min).toordinal()),
        ),
        tags=[tag.name for tag in person.tags.all()],
        relationships=relationships,
        timeline=timeline,
        # Through the (person, interaction) index: joining from the interaction table
        # makes SQLite walk a million rows for one busy person.
        interaction_count=InteractionParticipant.objects.filter(person=person).count(),
        open_follow_ups=list(
            FollowUp.objects.filter(network=network, people=person, done_at__isnull=True)
            .prefetch_related("people")
            .order_by("due_on", "id")
        ),
    )
