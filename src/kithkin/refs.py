"""Typed references: how a record is named where people type and read numbers.

A reference is a kind prefix and the record's id, so that follow-up 6 and event 6 never
print alike and a command can tell which one it was given:

=========  ==================  ====================================
Prefix     Kind                Taken by (CLI)
=========  ==================  ====================================
``f6``     follow-up           done, snooze, draft --follow-up
``e6``     event               event show/edit/follow-up
``p6``     person              every argument that names a person
``o6``     organization        org show, join, renew, leave
``x6``     value exchange      thank (thanks its giver)
``m6``     milestone           celebrate, milestone remove
``op6``    opportunity         opp show/status/match, share
``mt6``    mentorship          mentor show/session/pause/...
=========  ==================  ====================================

Upper or lower case; ``#6`` and a bare ``6`` still work where a command takes one kind of
record by number. This module is pure (no database): it formats and parses; whoever loads
the record does it through access.py (or a network-scoped query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kithkin.errors import InvalidInput


@dataclass(frozen=True)
class RefKind:
    prefix: str
    noun: str

    @property
    def a(self) -> str:
        """The noun with its article: "an event", "a follow-up"."""
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    def __call__(self, record_id: int) -> str:
        """The reference of record ``record_id`` of this kind: ``FOLLOW_UP(6) == "f6"``."""
        return f"{self.prefix}{record_id}"


FOLLOW_UP = RefKind("f", "follow-up")
EVENT = RefKind("e", "event")
PERSON = RefKind("p", "person")
ORGANIZATION = RefKind("o", "organization")
EXCHANGE = RefKind("x", "value exchange")
MILESTONE = RefKind("m", "milestone")
OPPORTUNITY = RefKind("op", "opportunity")
MENTORSHIP = RefKind("mt", "mentorship")

KINDS = (FOLLOW_UP, EVENT, PERSON, ORGANIZATION, EXCHANGE, MILESTONE, OPPORTUNITY, MENTORSHIP)
_BY_PREFIX = {kind.prefix: kind for kind in KINDS}
# Longest prefixes first, so "op6" is an opportunity and not an organization "o" + "p6".
_TYPED = re.compile(
    r"^(?P<prefix>" + "|".join(sorted(_BY_PREFIX, key=len, reverse=True)) + r")(?P<id>\d{1,18})$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^#?(?P<id>\d{1,18})$")


def parse(text: str) -> tuple[RefKind, int] | None:
    """The kind and id of a typed reference ("f6", "OP12"), else None."""
    match = _TYPED.match(text.strip())
    if match is None:
        return None
    return _BY_PREFIX[match["prefix"].lower()], int(match["id"])


def id_of(text: str, kind: RefKind, field: str, *, bare: bool = True) -> int | None:
    """The id ``text`` names as a ``kind``: its typed reference, or (with ``bare``) a plain
    number or ``#number``. None when ``text`` is no reference at all (a name, say).
    A reference to another kind is an InvalidInput naming ``field``: ``e6`` given where a
    follow-up is expected says so instead of acting on follow-up 6."""
    typed = parse(text)
    if typed is not None:
        found, record_id = typed
        if found != kind:
            raise InvalidInput(field, f"{text.strip()!r} is {found.a}; give {kind.a} ({kind(12)})")
        return record_id
    number = _NUMBER.match(text.strip()) if bare else None
    return int(number["id"]) if number else None


def require_id(text: str, kind: RefKind, field: str) -> int:
    """Like ``id_of``, for an argument that only takes a reference (never a name)."""
    record_id = id_of(text, kind, field)
    if record_id is None:
        raise InvalidInput(field, f"{text.strip()!r} is not {kind.a} reference ({kind(12)})")
    return record_id
