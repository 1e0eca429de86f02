"""Who in the network would most want an opportunity, and why, in words.

``match_people`` works in two steps so it stays fast on 30,000 people:

1. *Candidates*, from bounded queries only: people sharing one of the opportunity's tags
   (the best ``TAG_CANDIDATES`` by how many tags they share), people whose full-text
   document names all of its keywords, then any of them (SQLite FTS5 or PostgreSQL: a
   query each over at most ``MAX_KEYWORDS`` keywords, the ``FULLTEXT_CANDIDATES`` newest),
   people at its organization, and the people it was already shared with.

   The full-text candidates are capped *before* any ranking: a common keyword names a
   quarter of the network, and ranking every document that names it (bm25) cost 38 ms an
   opportunity at 90,000 people, three times what it cost at 30,000. The database reads
   the matching documents newest first and stops at the cap; scoring (below) ranks them.
   Those naming every keyword come first: they are what bm25 ranked first (someone with
   the opportunity's tags beyond the tag cap, whose title names it too).
   On a network with fewer matches than the cap every one of them is a candidate.
2. *Scores*, in Python, for those candidates only:

   - tags in common: ``TAG_POINTS`` each (the strongest signal) — "tags: rust, compilers";
   - their current title or headline sharing words with the opportunity's title:
     ``TITLE_POINTS`` a word, at most two — "title: Staff Engineer";
   - what matters to them naming one of its keywords: ``WHAT_MATTERS_POINTS`` —
     "what matters: 'Wants to move into compilers'"; else their notes or how we met:
     ``NOTES_POINTS`` — "notes mention compilers";
   - the organization: someone working there now is an insider for a client, a deal, a
     talk or a grant there (``ORGANIZATION_POINTS``, "works at Babbage") but is the least
     likely to want a *job* there, which they already have (``SAME_EMPLOYER_PENALTY``,
     "already at Babbage"); someone who used to work there knows the place
     (``FORMER_POINTS``, "used to work at Babbage");
   - their circle, as a tie-breaker only: ``CIRCLE_BONUS`` for the closest circle, less
     for each circle further out — "close circle".

   Someone with nothing but a circle bonus is no match. Never *me*, never an archived
   person, never the person who brought the opportunity.

People it was already shared with come after the others, marked ``already_shared``.
A score of ``STRONG_MATCH`` or more is a strong match (the agenda's bar).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import Count, Q

from kithkin import clock, fulltext
from kithkin.fulltext import words
from kithkin.models import Affiliation, Network, Opportunity, OpportunityShare, Person
from kithkin.models.rows import one_of

TAG_POINTS = 3.0
TITLE_POINTS = 1.5
MAX_TITLE_WORDS = 2
WHAT_MATTERS_POINTS = 2.0
NOTES_POINTS = 1.0
ORGANIZATION_POINTS = 1.5
FORMER_POINTS = 1.0
SAME_EMPLOYER_PENALTY = -2.0
CIRCLE_BONUS = 0.5  # closest circle; 0.2 less for each circle further out
STRONG_MATCH = 3.0  # one tag in common, or a title word and what matters to them...

MAX_KEYWORDS = 6
TAG_CANDIDATES = 500
FULLTEXT_CANDIDATES = 100  # the newest naming every keyword, then as many naming any
ORGANIZATION_CANDIDATES = 200
QUOTE_LENGTH = 60
LONG_TEXTS = ("search_text", "notes", "what_matters", "how_we_met")

# Words that say nothing about who would want it.
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of", "on",
    "or", "our", "the", "to", "we", "with", "you", "your", "new", "role", "job", "jobs",
    "position", "opening", "opportunity", "looking", "wanted", "team", "company", "remote",
})
# fmt: on


@dataclass(frozen=True)
class Match:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    already_shared: bool = False


def stem(word: str) -> str:
    """'compilers' and 'compiler' meet; short words stay as they are."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    """Cached: the same titles, headlines and notes come back for every opportunity."""
    return frozenset(stem(word) for word in words(text))


def keywords(opportunity: Opportunity, tag_names: list[str]) -> list[str]:
    """The opportunity's telling words: its title's (less the organization's name and
    stop words), then its tags', each once, stemmed."""
    organization = _stems(opportunity.organization.name) if opportunity.organization else set()
    found: dict[str, None] = {}
    for word in words(opportunity.title) + words(" ".join(tag_names)):
        if len(word) < 2 or word in STOP_WORDS or word.isdigit():
            continue
        if stem(word) in organization:
            continue
        found.setdefault(stem(word))
    return list(found)


def title_keywords(opportunity: Opportunity) -> set[str]:
    organization = _stems(opportunity.organization.name) if opportunity.organization else set()
    return {
        stem(word)
        for word in words(opportunity.title)
        if word not in STOP_WORDS and stem(word) not in organization and len(word) > 1
    }


def _quote(text: str, hits: AbstractSet[str]) -> str:
    """The line (or ';'-separated part) of ``text`` that names one of ``hits``, shortened."""
    parts = [part.strip() for line in text.splitlines() for part in line.split(";")]
    best = next((part for part in parts if _stems(part) & hits), text.strip())
    if len(best) > QUOTE_LENGTH:
        best = best[: QUOTE_LENGTH - 1].rstrip() + "…"
    return best


def _candidate_ids(
    network: Network,
    opportunity: Opportunity,
    tag_ids: list[int],
    terms: list[str],
    shared: set[int],
) -> list[int]:
    """Who might match, from bounded queries. Archived people and *me* are dropped when
    the candidates are read (``_candidates``): the tag query stays on the tag index."""
    ids: dict[int, None] = {}
    if tag_ids:  # the tags are the network's own, so their people are too
        by_tags = (
            Person.tags.through.objects.filter(tag_id__in=tag_ids)
            .values("person_id")
            .annotate(shared_tags=Count("tag_id"))
            .order_by("-shared_tags", "person_id")
        )
        ids.update((row["person_id"], None) for row in by_tags[:TAG_CANDIDATES])
    if terms:  # capped before any ranking: those naming every keyword, then any of them
        ids.update((pk, None) for pk in naming(network, terms, FULLTEXT_CANDIDATES, every=True))
        ids.update((pk, None) for pk in naming(network, terms, FULLTEXT_CANDIDATES))
    if opportunity.organization_id:
        at_organization = (
            Affiliation.objects.filter(organization_id=opportunity.organization_id)
            .order_by("end_on", "person_id")
            .values_list("person_id", flat=True)
        )
        ids.update((pk, None) for pk in at_organization[:ORGANIZATION_CANDIDATES])
    ids.update((pk, None) for pk in shared)
    ids.pop(opportunity.source_id or 0, None)
    return list(ids)


def naming(network: Network, terms: list[str], limit: int, *, every: bool = False) -> list[int]:
    """The ``limit`` newest people of ``network`` (not archived, not *me*) whose full-text
    document names any of ``terms`` (as a prefix), or with ``every`` all of them, newest
    first. Unranked, so the database walks the matches in id order and stops at ``limit``,
    whatever their number."""
    text = " ".join(terms)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery = fulltext.postgres_tsquery if every else fulltext.postgres_tsquery_any
            cursor.execute(
                f"""SELECT p.id FROM kithkin_person p
                    WHERE p.{fulltext.SEARCH_VECTOR} @@ to_tsquery('simple', %s)
                      AND p.network_id = %s AND p.archived_at IS NULL AND NOT p.is_self
                    ORDER BY p.id DESC LIMIT %s""",
                [tsquery(text), network.pk, limit],
            )
        else:
            match = fulltext.sqlite_match if every else fulltext.sqlite_match_any
            cursor.execute(NAMING_SQLITE, [match(text), network.pk, limit])
        return [row[0] for row in cursor.fetchall()]


# FTS5 hands its matches over in rowid order: newest first, and no sort, up to the limit.
NAMING_SQLITE = """
    SELECT f.rowid FROM kithkin_person_fts f JOIN kithkin_person p ON p.id = f.rowid
    WHERE kithkin_person_fts MATCH %s
      AND p.network_id = %s AND p.archived_at IS NULL AND NOT p.is_self
    ORDER BY f.rowid DESC LIMIT %s"""


@dataclass
class _Candidate:
    """What scoring needs of one person, read as plain rows (no model instances)."""

    pk: int
    full_name: str
    headline: str
    what_matters: str
    notes: str
    how_we_met: str
    circle: str | None
    circle_rank: int | None
    tag_ids: set[int] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)  # of their current jobs
    at_organization: str = ""  # "current", "former" or ""


def _candidates(
    network: Network, opportunity: Opportunity, ids: list[int], tag_ids: list[int]
) -> list[_Candidate]:
    rows = (
        Person.objects.filter(
            pk__in=one_of(ids), network=network, archived_at__isnull=True, is_self=False
        )
        .exclude(pk=opportunity.source_id or 0)
        .values_list(
            "pk",
            "full_name",
            "headline",
            "what_matters",
            "notes",
            "how_we_met",
            "circle__name",
            "circle__rank",
        )
    )
    found = {row[0]: _Candidate(*row) for row in rows}
    if tag_ids:
        for person_id, tag_id in Person.tags.through.objects.filter(
            person_id__in=one_of(list(found)), tag_id__in=tag_ids
        ).values_list("person_id", "tag_id"):
            found[person_id].tag_ids.add(tag_id)
    affiliations = Affiliation.objects.filter(person_id__in=one_of(list(found)))
    if opportunity.organization_id:
        affiliations = affiliations.filter(
            Q(end_on__isnull=True) | Q(organization_id=opportunity.organization_id)
        )
    else:
        affiliations = affiliations.filter(end_on__isnull=True)
    for person_id, organization_id, title, end_on in affiliations.values_list(
        "person_id", "organization_id", "title", "end_on"
    ):
        candidate = found[person_id]
        if end_on is None and title:
            candidate.titles.append(title)
        if organization_id == opportunity.organization_id:
            if end_on is None:
                candidate.at_organization = "current"
            elif not candidate.at_organization:
                candidate.at_organization = "former"
    return list(found.values())


def _score(
    opportunity: Opportunity,
    person: _Candidate,
    tag_names: dict[int, str],
    title_words: set[str],
    terms: set[str],
) -> tuple[float, float, list[str]]:
    """(relevance, circle bonus, reasons) for one candidate."""
    relevance = 0.0
    reasons: list[str] = []
    common = sorted(tag_names[pk] for pk in person.tag_ids if pk in tag_names)
    if common:
        relevance += TAG_POINTS * len(common)
        reasons.append("tags: " + ", ".join(common))
    titles = person.titles + ([person.headline] if person.headline else [])
    best_title, best_words = "", 0
    for title in titles:
        shared_words = len(_stems(title) & title_words)
        if shared_words > best_words:
            best_title, best_words = title, shared_words
    if best_words:
        relevance += TITLE_POINTS * min(best_words, MAX_TITLE_WORDS)
        reasons.append(f"title: {best_title}")
    matters_hits = _stems(person.what_matters) & terms
    if matters_hits:
        relevance += WHAT_MATTERS_POINTS
        reasons.append(f"what matters: '{_quote(person.what_matters, matters_hits)}'")
    elif notes_hits := _stems(f"{person.notes} {person.how_we_met}") & terms:
        relevance += NOTES_POINTS
        reasons.append("notes mention " + ", ".join(sorted(notes_hits)))
    name = opportunity.organization.name if opportunity.organization else ""
    if person.at_organization == "current":
        if opportunity.kind == Opportunity.Kind.JOB:
            relevance += SAME_EMPLOYER_PENALTY
            reasons.append(f"already at {name}")
        else:
            relevance += ORGANIZATION_POINTS
            reasons.append(f"works at {name}")
    elif person.at_organization == "former":
        relevance += FORMER_POINTS
        reasons.append(f"used to work at {name}")
    bonus = 0.0
    if person.circle is not None and person.circle_rank is not None:
        bonus = max(CIRCLE_BONUS - 0.2 * person.circle_rank, 0.0)
        if bonus:
            reasons.append(f"{person.circle} circle")
    return relevance, bonus, reasons


def match_people(network: Network, opportunity: Opportunity, limit: int = 10) -> list[Match]:
    """The people who would most want ``opportunity``, best first, each with reasons.

    ``limit`` counts the people it was not shared with yet; those it was shared with
    (and who still match) follow, marked ``already_shared``.
    """
    if opportunity.network_id != network.pk:
        return []
    tags = dict(opportunity.tags.values_list("pk", "name"))
    terms = keywords(opportunity, list(tags.values()))
    shared_on = {
        person_id: clock.local_date(shared_at, network.time_zone)
        for person_id, shared_at in OpportunityShare.objects.filter(
            opportunity=opportunity
        ).values_list("person_id", "shared_at")
    }
    ids = _candidate_ids(network, opportunity, list(tags), terms[:MAX_KEYWORDS], set(shared_on))
    if not ids:
        return []
    title_words = title_keywords(opportunity)
    scored: list[tuple[float, str, int, list[str]]] = []
    for candidate in _candidates(network, opportunity, ids, list(tags)):
        relevance, bonus, reasons = _score(opportunity, candidate, tags, title_words, set(terms))
        if relevance > 0:
            scored.append(
                (-round(relevance + bonus, 2), candidate.full_name, candidate.pk, reasons)
            )
    scored.sort(key=lambda row: row[:3])
    fresh = [row for row in scored if row[2] not in shared_on][:limit]
    done = [row for row in scored if row[2] in shared_on][:limit]
    # Whoever shows a match names the person: the long texts stay in the database.
    people = Person.objects.defer(*LONG_TEXTS).in_bulk([row[2] for row in fresh + done])
    matches = [Match(people[pk], -score, reasons) for score, _, pk, reasons in fresh]
    for score, _, pk, reasons in done:
        reasons.append(f"already shared on {shared_on[pk]:%-d %b}")
        matches.append(Match(people[pk], -score, reasons, already_shared=True))
    return matches


def strong(matches: list[Match]) -> list[Match]:
    """The strong matches not shared with yet."""
    return [m for m in matches if m.score >= STRONG_MATCH and not m.already_shared]


__all__ = [
    "STRONG_MATCH",
    "Match",
    "keywords",
    "match_people",
    "strong",
]
