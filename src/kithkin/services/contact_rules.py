"""The rules for what a person may hold, written once for every way a person arrives.

The web form, ``kith add`` and ``kith edit`` (through ``services.people``), every importer
(``importers.plan`` cleans each record with ``clean_record``; ``importers.apply`` and
``services.contact_records`` write what it kept), the Kithkin JSON restore and CardDAV all
apply these, so the same value is accepted or refused the same way everywhere.

- **What is invisible.** Control characters, format characters (zero-width space and
  joiners, byte order mark, direction marks, soft hyphen...), every kind of white space and
  the blank fillers of Hangul and Braille show nothing. A one-line value loses them at its
  ends; inside, runs of white space become one space, control characters become a space,
  and the zero-width space, word joiner and byte order mark go (zero-width joiners stay:
  Persian, Indic scripts and emoji need them). Multi-line text (notes) keeps its lines and
  loses only NUL, which PostgreSQL cannot store.
- **Names.** A full name must have at least one visible character: a name of only
  zero-width or blank characters is refused, not stored as an empty-looking person.
- **Lengths.** A value longer than its column (the model field's ``max_length``) is refused
  with "is longer than N characters"; nothing is cut to fit. The only values cut are those
  derived from another (a given name split from the full name, see ``split_name``).
- **Tag identity.** Two tag names are one tag when ``tag_key`` says so: case, accents and
  spacing aside, so "Café", "cafe" and "CAFE" are one tag — the rule organizations follow
  (``queries.memberships.organization_key``). It is the importers' long-standing rule; an
  ``iexact`` comparison would be weaker on SQLite (its ``LOWER`` folds ASCII only) and would
  let "Café" and "cafe" be two tags. The first spelling stored is kept.
- **Records from outside.** ``clean_record`` applies all of the above to a parsed contact
  record: a bad name refuses the record; any other bad value is reported and left out, and
  the rest of the record imports, as for a bad email address.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping, Sequence

from django.db import models

from kithkin.errors import InvalidInput
from kithkin.fulltext import fold
from kithkin.importers.records import ContactRecord, RecordError
from kithkin.models import Affiliation, ContactPoint, Organization, Person, Tag

# Unicode categories that show nothing: controls, format characters, separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# Letters and symbols that render as blank space.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Format characters with no meaning inside a name or a label, removed wherever they are.
_DROPPED = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u180e"))


def _invisible(ch: str) -> bool:
    return ch in _BLANK_GLYPHS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES


# An import cleans the same names, organizations and titles thousands of times: values
# this short are cleaned once each (the rules are pure functions of the text).
_CACHED_LENGTH = 200


def has_visible(text: str) -> bool:
    """Whether anything in ``text`` shows: a character that is neither invisible nor a
    combining mark on nothing."""
    if len(text) <= _CACHED_LENGTH:
        return _has_visible_cached(text)
    return _has_visible(text)


def _has_visible(text: str) -> bool:
    return any(not _invisible(ch) and unicodedata.category(ch) not in {"Mn", "Me"} for ch in text)


_has_visible_cached = functools.lru_cache(maxsize=65_536)(_has_visible)


def one_line(text: str) -> str:
    """A one-line value as stored: see the module's docstring (what is invisible)."""
    if text.isascii() and text.isprintable():  # most values: only spaces to tidy
        return " ".join(text.split())
    if len(text) <= _CACHED_LENGTH:
        return _one_line_cached(text)
    return _one_line(text)


def _one_line(text: str) -> str:
    text = text.translate(_DROPPED)
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return text[start:end]


_one_line_cached = functools.lru_cache(maxsize=65_536)(_one_line)


def multi_line(text: str) -> str:
    """Multi-line text (notes, what matters) as stored: as typed, trimmed, without NUL."""
    return text.replace("\x00", "").strip()


@functools.lru_cache(maxsize=256)
def limit(model: type[models.Model], name: str) -> int | None:
    """The column's ``max_length``, None for a TextField (models do not change: cached)."""
    found: int | None = getattr(model._meta.get_field(name), "max_length", None)
    return found


def fitting(model: type[models.Model], name: str, value: str, field: str | None = None) -> str:
    """``value`` if it fits ``model.name``; InvalidInput naming ``field`` (default: ``name``)
    if it is longer. Never cut."""
    most = limit(model, name)
    if most is not None and len(value) > most:
        raise InvalidInput(field or name, f"is longer than {most} characters")
    return value


def text(model: type[models.Model], name: str, value: str, field: str | None = None) -> str:
    """An optional one-line value of ``model.name`` cleaned and checked ("" is fine)."""
    if not value:  # most optional fields of an imported row
        return ""
    if len(value) <= _CACHED_LENGTH:
        return _text_cached(model, name, value, field)
    return fitting(model, name, one_line(value), field)


@functools.lru_cache(maxsize=65_536)
def _text_cached(model: type[models.Model], name: str, value: str, field: str | None) -> str:
    return fitting(model, name, one_line(value), field)  # a refusal raises, is not cached


def _named(value: str, field: str, model: type[models.Model], column: str) -> str:
    if len(value) <= _CACHED_LENGTH:
        return _named_cached(value, field, model, column)
    return _check_named(value, field, model, column)


def _check_named(value: str, field: str, model: type[models.Model], column: str) -> str:
    cleaned = one_line(value)
    if not cleaned and value.strip():
        raise InvalidInput(field, "has no visible character (only zero-width or blank ones)")
    if not cleaned:
        raise InvalidInput(field, "must not be empty")
    if not has_visible(cleaned):
        raise InvalidInput(field, "has no visible character (only zero-width or blank ones)")
    return fitting(model, column, cleaned, field)


_named_cached = functools.lru_cache(maxsize=65_536)(_check_named)


def person_name(value: str, field: str = "name") -> str:
    """A person's full name as stored; InvalidInput if it is empty, shows nothing or is
    longer than the column."""
    return _named(value, field, Person, "full_name")


def split_name(full_name: str) -> tuple[str, str]:
    """(given, family) derived from a full name: the first word and the rest, each cut to
    its column (they are derived; the full name is kept whole)."""
    given, _, family = full_name.partition(" ")
    given_limit, family_limit = limit(Person, "given_name"), limit(Person, "family_name")
    return given[:given_limit], family[:family_limit]


def organization_name(value: str, field: str = "organization") -> str:
    """An organization's name as stored; InvalidInput if empty, invisible or too long."""
    return _named(value, field, Organization, "name")


def tag_key(name: str) -> str:
    """What makes two tag names one tag: case, accents and spacing aside ("Café" is
    "cafe"). See the module's docstring for why."""
    return fold(" ".join(name.split()))


def tag_name(value: str, field: str = "tag") -> str:
    """A tag as stored: '#ml' is 'ml'; InvalidInput if empty, invisible or too long."""
    cleaned = one_line(value).lstrip("#").strip()
    if not cleaned or not has_visible(cleaned):
        raise InvalidInput(field, "must not be empty")
    most = limit(Tag, "name")
    if most is not None and len(cleaned) > most:
        raise InvalidInput(field, f"{cleaned[:20]!r}... is longer than {most} characters")
    return cleaned


def tag_names(names: Sequence[str], field: str = "tag") -> list[str]:
    """The tag names as they will be stored, each once (by ``tag_key``); nothing written."""
    if isinstance(names, str):  # a str is a Sequence[str] too: one letter per tag
        raise TypeError("tags are a list of names, not one string")
    cleaned: dict[str, str] = {}
    for raw in names:
        name = tag_name(raw, field)
        cleaned.setdefault(tag_key(name), name)
    return list(cleaned.values())


# A record's one-line fields and the columns that hold them.
_RECORD_TEXT: tuple[tuple[str, type[models.Model], str], ...] = (
    ("given_name", Person, "given_name"),
    ("family_name", Person, "family_name"),
    ("nickname", Person, "nickname"),
    ("headline", Person, "headline"),
    ("location", Person, "location"),
    ("title", Affiliation, "title"),
)


def clean_record(record: ContactRecord, errors: list[RecordError]) -> bool:
    """Clean ``record`` in place by the rules above, reporting each bad value to ``errors``
    (file, line, field). False when the record cannot be imported at all (its name);
    otherwise a bad value is left out and the rest of the record stays."""

    def report(exc: InvalidInput) -> None:
        errors.append(RecordError(record.path, record.line, exc.field, exc.message))

    try:
        record.full_name = person_name(record.full_name, "full_name")
    except InvalidInput as exc:
        report(exc)
        return False
    for attribute, model, column in _RECORD_TEXT:
        value = getattr(record, attribute)
        if not value:  # most optional fields of a record: nothing to clean
            continue
        try:
            cleaned = text(model, column, value, attribute)
        except InvalidInput as exc:
            report(exc)
            cleaned = ""
        if cleaned != value:
            setattr(record, attribute, cleaned)
    if record.organization.strip():
        try:
            record.organization = organization_name(record.organization)
        except InvalidInput as exc:
            report(exc)
            record.organization = ""
    else:
        record.organization = ""
    if record.title and not record.organization:  # a title with no job to hold it
        if not record.headline:
            record.headline = record.title
        elif fold(record.title) not in fold(record.headline):
            record.notes = "\n\n".join(filter(None, [record.notes, f"Title: {record.title}"]))
        record.title = ""
    # Below, what a record does not have (most have no tags, phones, addresses or chats)
    # is left as it is: an empty value cleans to itself.
    if record.notes:
        record.notes = multi_line(record.notes)
    if record.tags:
        tags: dict[str, str] = {}
        for raw in record.tags:
            if not raw.strip().lstrip("#"):
                continue  # an empty label in a list ("a,,b") is no tag
            try:
                name = tag_name(raw, "tags")
            except InvalidInput as exc:
                report(exc)
                continue
            tags.setdefault(tag_key(name), name)
        record.tags = list(tags.values())
    if record.emails:
        record.emails = _labelled(record.emails, "email", report)
    if record.phones:
        record.phones = _labelled(record.phones, "phone", report)
    if record.addresses:
        record.addresses = _labelled(record.addresses, "address", report)
    if record.chats:
        chats = []
        for handle, service, label in record.chats:
            try:
                chats.append(
                    (
                        fitting(ContactPoint, "value", handle.strip(), "chat"),
                        text(ContactPoint, "service", service, "chat"),
                        text(ContactPoint, "label", label, "label"),
                    )
                )
            except InvalidInput as exc:
                report(exc)
        record.chats = chats
    return True


def _labelled(
    values: list[tuple[str, str]],
    kind: str,
    report: Callable[[InvalidInput], None],
) -> list[tuple[str, str]]:
    """(value, label) pairs with their labels checked; a value too long is left out (the
    planner validates the values themselves)."""
    kept = []
    for value, label in values:
        try:
            if kind == "address":
                value = fitting(ContactPoint, "value", multi_line(value), kind)
            kept.append((value, text(ContactPoint, "label", label, "label")))
        except InvalidInput as exc:
            report(exc)
    return kept


# -- what a record fills -------------------------------------------------------------------

FILLABLE = ("connected_on", "headline", "location", "notes", "nickname")
CURRENT_FIELDS = ("birthday_month", "photo_digest", *FILLABLE)  # what ``fills`` reads


def current_fields(person: Person) -> dict[str, object]:
    return {name: getattr(person, name) for name in CURRENT_FIELDS}


def fills(record: ContactRecord, current: Mapping[str, object] | None) -> dict[str, object]:
    """The fields a record fills: all it has for someone new, only the blank ones of
    someone known (``current``: their ``CURRENT_FIELDS``). The one rule for every
    importer and for the single-record service."""
    if current is None:  # someone new (most of an import): everything the record has
        found: dict[str, object] = {}
        for name in FILLABLE:
            value = getattr(record, name)
            if value:
                found[name] = value
        if record.birthday:
            found["birthday"] = record.birthday
        if record.photo:
            found["photo"] = record.photo
        return found
    wanted: dict[str, object] = {name: getattr(record, name) for name in FILLABLE}
    if record.birthday and (current is None or not current.get("birthday_month")):
        wanted["birthday"] = record.birthday
    if record.photo and (current is None or not current.get("photo_digest")):
        wanted["photo"] = record.photo  # a photo, like a blank field: never replaced
    return {
        name: value
        for name, value in wanted.items()
        if value and (current is None or name == "birthday" or not current.get(name))
    }
