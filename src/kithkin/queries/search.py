"""Full-text search over people: their names, organizations, contact points, tags and
notes, and what was said in interactions with them. One function, each database's own
engine (see kithkin.fulltext)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, QuerySet

from kithkin import fulltext, normalize
from kithkin.errors import InvalidInput
from kithkin.fulltext import words
from kithkin.models import Affiliation, ContactPoint, Interaction, Network, Organization, Person

INTERACTION_SCAN_LIMIT = 500
# A common word matches most conversations of a large network: only the newest this many
# matches are ranked (bm25 on SQLite, ts_rank on PostgreSQL), not all of them.
INTERACTION_CANDIDATES = 5000


@dataclass
class SearchHit:
    person: Person
    matched: list[str]  # which parts matched: name, organization, email, tag, notes...
    interaction: Interaction | None = None  # the best matching conversation, if any


@dataclass
class SearchResults:
    query: str
    people: list[SearchHit] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def _person_ids_sqlite(
    network: Network, match: str, limit: int, include_archived: bool = False
) -> list[int]:
    archived = "" if include_archived else "AND p.archived_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.id FROM kithkin_person_fts f JOIN kithkin_person p ON p.id = f.rowid
               WHERE kithkin_person_fts MATCH %s AND p.network_id = %s
                 {archived} AND NOT p.is_self
               ORDER BY bm25(kithkin_person_fts), p.full_name LIMIT %s""",
            [match, network.pk, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _interaction_hits_sqlite(network: Network, match: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ip.person_id, i.id FROM kithkin_interaction_fts f
               JOIN kithkin_interaction i ON i.id = f.rowid
               JOIN kithkin_interactionparticipant ip ON ip.interaction_id = i.id
               WHERE kithkin_interaction_fts MATCH %s AND f.rowid IN (
                   SELECT c.rowid FROM kithkin_interaction_fts c
                   JOIN kithkin_interaction ci ON ci.id = c.rowid
                   WHERE kithkin_interaction_fts MATCH %s AND ci.network_id = %s
                   ORDER BY c.rowid DESC LIMIT %s)
               ORDER BY bm25(kithkin_interaction_fts), i.occurred_at DESC LIMIT %s""",
            [match, match, network.pk, INTERACTION_CANDIDATES, INTERACTION_SCAN_LIMIT],
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _person_ids_postgres(
    network: Network, tsquery: str, limit: int, include_archived: bool = False
) -> list[int]:
    archived = "" if include_archived else "AND p.archived_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.id FROM kithkin_person p, to_tsquery('simple', %s) q
                WHERE p.{fulltext.SEARCH_VECTOR} @@ q AND p.network_id = %s
                  {archived} AND NOT p.is_self
                ORDER BY ts_rank(p.{fulltext.SEARCH_VECTOR}, q) DESC, p.full_name LIMIT %s""",
            [tsquery, network.pk, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _interaction_hits_postgres(network: Network, tsquery: str) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH q AS (SELECT to_tsquery('simple', %s) AS q),
                candidates AS MATERIALIZED (
                    SELECT i.id FROM kithkin_interaction i, q
                    WHERE i.{fulltext.SEARCH_VECTOR} @@ q.q AND i.network_id = %s
                    ORDER BY i.id DESC LIMIT %s)
                SELECT ip.person_id, i.id FROM candidates c
                JOIN kithkin_interaction i ON i.id = c.id
                JOIN kithkin_interactionparticipant ip ON ip.interaction_id = i.id, q
                ORDER BY ts_rank(i.{fulltext.SEARCH_VECTOR}, q.q) DESC, i.occurred_at DESC
                LIMIT %s""",
            [tsquery, network.pk, INTERACTION_CANDIDATES, INTERACTION_SCAN_LIMIT],
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def _interaction_hits(network: Network, text: str) -> list[tuple[int, int]]:
    """(person id, interaction id) of the conversations matching every word, best first."""
    if connection.vendor == "postgresql":
        tsquery = fulltext.postgres_tsquery(text)
        return _interaction_hits_postgres(network, tsquery) if tsquery else []
    match = fulltext.sqlite_match(text)
    return _interaction_hits_sqlite(network, match) if match else []


def _matched_parts(person: Person, query_words: list[str]) -> list[str]:
    def hit(*texts: str) -> bool:
        found = words(" ".join(texts))
        return any(any(w.startswith(q) for w in found) for q in query_words)

    parts = []
    if hit(person.full_name, person.nickname):
        parts.append("name")
    if hit(*(f"{a.organization.name} {a.title}" for a in person.affiliations.all())):
        parts.append("organization")
    if hit(*(c.value + " " + c.normalized for c in person.contact_points.all())):
        parts.append("contact")
    if hit(*(t.name for t in person.tags.all())):
        parts.append("tag")
    if hit(person.headline, person.location):
        parts.append("headline")
    if hit(person.notes, person.what_matters, person.how_we_met):
        parts.append("notes")
    return parts


def matching_person_ids(
    network: Network,
    text: str,
    *,
    limit: int,
    include_archived: bool = False,
    any_word: bool = False,
) -> list[int]:
    """Ids of people whose own document matches ``text``, best first (no conversations).
    Every word of ``text`` must match, or with ``any_word`` one of them (the documents
    matching more of them ranking first): one query for many words."""
    if not words(text):
        return []
    if connection.vendor == "postgresql":
        tsquery = fulltext.postgres_tsquery_any if any_word else fulltext.postgres_tsquery
        expression = tsquery(text)
        assert expression is not None
        return _person_ids_postgres(network, expression, limit, include_archived)
    match = fulltext.sqlite_match_any if any_word else fulltext.sqlite_match
    expression = match(text)
    assert expression is not None
    return _person_ids_sqlite(network, expression, limit, include_archived)


def at_url(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Those of ``people`` with the web address or profile ``text``, however it is written
    (percent-encoded or not, any scheme, locale subdomain...: kithkin.normalize.url); no
    one when ``text`` is not a URL with a path."""
    query = text.strip()
    if "/" not in query or any(char.isspace() for char in query):
        return people.none()
    try:
        _, key, _ = normalize.url(query)
    except InvalidInput:
        return people.none()
    return people.filter(
        contact_points__kind__in=(ContactPoint.Kind.URL, ContactPoint.Kind.SOCIAL),
        contact_points__normalized=key,
    ).distinct()


def search(network: Network, text: str, *, limit: int = 25) -> SearchResults:
    results = SearchResults(query=text)
    query_words = words(text)
    if not query_words:
        return results
    everyone = Person.objects.filter(network=network, archived_at__isnull=True, is_self=False)
    by_url = list(at_url(everyone, text).values_list("pk", flat=True)[:limit])
    person_ids = by_url + matching_person_ids(network, text, limit=limit)
    interaction_hits = _interaction_hits(network, text)

    best_interaction: dict[int, int] = {}
    for person_id, interaction_id in interaction_hits:
        best_interaction.setdefault(person_id, interaction_id)
    ordered = list(dict.fromkeys([*person_ids, *best_interaction]))[:limit]
    people = {
        person.pk: person
        for person in Person.objects.filter(
            pk__in=ordered, network=network, archived_at__isnull=True, is_self=False
        ).prefetch_related(
            "contact_points",
            "tags",
            Prefetch("affiliations", Affiliation.objects.select_related("organization")),
        )
    }
    interactions = Interaction.objects.in_bulk(
        [best_interaction[pk] for pk in ordered if pk in best_interaction]
    )
    for pk in ordered:
        if pk not in people:
            continue
        interaction = interactions.get(best_interaction[pk]) if pk in best_interaction else None
        matched = _matched_parts(people[pk], query_words)
        if interaction is not None:
            matched.append("interaction")
        results.people.append(SearchHit(people[pk], matched, interaction))
    # Organization names are few and short: fold them in Python, like the person index.
    matching = [
        pk
        for pk, name in Organization.objects.filter(network=network).values_list("pk", "name")
        if all(any(w.startswith(q) for w in words(name)) for q in query_words)
    ][:limit]
    results.organizations = list(Organization.objects.filter(pk__in=matching).order_by("name"))
    return results
