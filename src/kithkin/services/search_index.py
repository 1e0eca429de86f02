"""Builds each person's search document (``Person.search_text``): the words of their
names, organizations and titles, contact points, tags, and what we know about them.
Interaction notes are indexed on the interaction itself (see kithkin.fulltext)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kithkin.fulltext import words
from kithkin.models import Affiliation, ContactPoint, Network, Person
from kithkin.services import duplicates

_PERSON_FIELDS = (
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


def search_document(*texts: str) -> str:
    """A person's search document: the distinct folded words of everything known, the
    first ``SEARCH_DOCUMENT_LIMIT`` characters of them."""
    document = " ".join(dict.fromkeys(words(" ".join(texts))))
    if len(document) <= SEARCH_DOCUMENT_LIMIT:
        return document
    return document[: document.rfind(" ", 0, SEARCH_DOCUMENT_LIMIT + 1)]


def reindex_people(network: Network, person_ids: Iterable[int] | None = None) -> int:
    duplicates.mark_stale(network)  # what changes a person's document may change who looks alike
    people = Person.objects.filter(network=network)
    if person_ids is not None:
        people = people.filter(pk__in=list(set(person_ids)))
    ids_and_fields = list(people.values_list("pk", "search_text", *_PERSON_FIELDS))
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
