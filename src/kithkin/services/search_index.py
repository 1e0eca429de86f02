"""Builds each person's search document (``Person.search_text``): the words of their
names, organizations and titles, contact points, tags, and what we know about them.
Interaction notes are indexed on the interaction itself (see kithkin.fulltext)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable

from kithkin.fulltext import fold
from kithkin.models import Affiliation, ContactPoint, Network, Person
from kithkin.services import duplicates

# The person's own fields in their document (services.derived_state: what feeds it).
DOCUMENT_FIELDS = (
    "full_name",
    "given_name",
    "family_name",
    "nickname",
    "headline",
    "location",
    "how_we_met",
    "what_matters",
    "notes",
)


# A document is searched, not read: past this many characters of distinct words (a book
# pasted into the notes), the rest is not indexed. PostgreSQL refuses a tsvector over 1 MB.
SEARCH_DOCUMENT_LIMIT = 200_000


# The words of a document are the words of each of its parts, in order (the parts are
# joined by spaces), and fold works character by character (case folding and
# decomposition are per character; the combining marks it drops are the only ones
# canonical reordering moves): so each part is folded and split on its own, and the
# parts an import repeats (names, organizations, titles) only once.
_WORD = re.compile(r"\w+", re.UNICODE)  # as fulltext.words


class _FoldedCharacters(dict[int, str]):
    """Each character folded (fulltext.fold), found once: a table for str.translate."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        return folded


_FOLDED_CHARACTERS = _FoldedCharacters()


def _words(text: str) -> list[str]:
    """fulltext.words(text)."""
    return _WORD.findall(text.lower() if text.isascii() else text.translate(_FOLDED_CHARACTERS))


_words_cached = functools.lru_cache(maxsize=65_536)(_words)


def search_document(*texts: str) -> str:
    """A person's search document: the distinct folded words of everything known, the
    first ``SEARCH_DOCUMENT_LIMIT`` characters of them."""
    words: list[str] = []
    for text in texts:
        if text:
            words += _words_cached(text) if len(text) < 200 else _words(text)
    document = " ".join(dict.fromkeys(words))
    if len(document) <= SEARCH_DOCUMENT_LIMIT:
        return document
    return document[: document.rfind(" ", 0, SEARCH_DOCUMENT_LIMIT + 1)]


def reindex_people(network: Network, person_ids: Iterable[int] | None = None) -> int:
    duplicates.mark_stale(network)  # what changes a person's document may change who looks alike
    people = Person.objects.filter(network=network)
    if person_ids is not None:
        people = people.filter(pk__in=list(set(person_ids)))
    ids_and_fields = list(people.values_list("pk", "search_text", *DOCUMENT_FIELDS))
    if not ids_and_fields:
        return 0
    ids = [row[0] for row in ids_and_fields]
    extra: dict[int, list[str]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        for person_id, org, title in Affiliation.objects.filter(person_id__in=chunk).values_list(
            "person_id", "organization__name", "title"
        ):
            extra[person_id] += [org, title]
        for person_id, value, normalized in ContactPoint.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "value", "normalized"):
            extra[person_id] += [value, normalized]
        for person_id, tag in Person.tags.through.objects.filter(person_id__in=chunk).values_list(
            "person_id", "tag__name"
        ):
            extra[person_id].append(tag)
    changed = []
    for pk, stored, *fields in ids_and_fields:
        document = search_document(*fields, *extra[pk])
        if document != stored:
            changed.append(Person(pk=pk, search_text=document))
    Person.objects.bulk_update(changed, ["search_text"], batch_size=2000)
    return len(changed)
