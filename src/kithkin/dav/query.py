"""CardDAV's addressbook-query filter (RFC 6352 §10.5): which cards a REPORT asks for.

A filter holds prop-filters, combined by its ``test`` ("anyof", the default, or
"allof"). A prop-filter names a property (``EMAIL``, ``FN``...): with ``is-not-defined``
it matches a card without one; with no condition, a card with one; otherwise a card with
one instance of it whose text-matches and param-filters pass (any or all of them, by the
prop-filter's ``test``). A text-match compares by its collation (``i;unicode-casemap``,
the default, and ``i;ascii-casemap`` ignore case; ``i;octet`` does not) and match-type
(``contains``, the default, ``equals``, ``starts-with``, ``ends-with``), negated by
``negate-condition="yes"``. An unknown collation is the precondition error the RFC names
(``supported-collation``); ``limit``/``nresults`` bounds the answer.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from kithkin.dav.xml import CARDDAV, name
from kithkin.importers.vcard_text import content_lines, split_cards

COLLATIONS: dict[str, Callable[[str], str]] = {
    "i;unicode-casemap": str.casefold,
    "i;ascii-casemap": lambda text: text.lower(),
    "i;octet": lambda text: text,
}
MATCHES: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda value, wanted: wanted in value,
    "equals": lambda value, wanted: value == wanted,
    "starts-with": lambda value, wanted: value.startswith(wanted),
    "ends-with": lambda value, wanted: value.endswith(wanted),
}


class UnsupportedCollation(ValueError):
    pass


@dataclass(frozen=True)
class Property:
    name: str  # upper case, without its group
    params: dict[str, list[str]]  # names upper case
    value: str  # unescaped


@dataclass(frozen=True)
class TextMatch:
    text: str
    collation: str = "i;unicode-casemap"
    match_type: str = "contains"
    negate: bool = False

    def __call__(self, value: str) -> bool:
        fold = COLLATIONS[self.collation]
        found = MATCHES[self.match_type](fold(value), fold(self.text))
        return found != self.negate


@dataclass(frozen=True)
class ParamFilter:
    name: str
    is_not_defined: bool = False
    match: TextMatch | None = None

    def __call__(self, prop: Property) -> bool:
        values = prop.params.get(self.name)
        if self.is_not_defined:
            return values is None
        if values is None:
            return False
        return self.match is None or any(self.match(value) for value in values)


@dataclass(frozen=True)
class PropFilter:
    name: str
    every: bool = False  # test="allof"
    is_not_defined: bool = False
    matches: tuple[TextMatch, ...] = ()
    params: tuple[ParamFilter, ...] = ()

    def __call__(self, props: list[Property]) -> bool:
        found = [prop for prop in props if prop.name == self.name]
        if self.is_not_defined:
            return not found
        conditions: list[Callable[[Property], bool]] = [
            *(lambda prop, match=match: match(prop.value) for match in self.matches),
            *self.params,
        ]
        if not conditions:
            return bool(found)
        combine = all if self.every else any
        return any(combine(condition(prop) for condition in conditions) for prop in found)


@dataclass(frozen=True)
class Query:
    filters: tuple[PropFilter, ...] = ()
    every: bool = False  # test="allof"
    limit: int | None = None

    def matches(self, card_text: str) -> bool:
        if not self.filters:
            return True
        props = properties(card_text)
        combine = all if self.every else any
        return combine(prop_filter(props) for prop_filter in self.filters)


def parse_query(root: ET.Element) -> Query:
    """The filter and limit of an addressbook-query REPORT body."""
    node = root.find(name(CARDDAV, "filter"))
    limit = root.findtext(f"{name(CARDDAV, 'limit')}/{name(CARDDAV, 'nresults')}")
    wanted = int(limit) if limit and limit.strip().isdigit() else None
    if node is None:
        return Query(limit=wanted)
    return Query(
        filters=tuple(_prop_filter(child) for child in node.iter(name(CARDDAV, "prop-filter"))),
        every=node.get("test", "anyof") == "allof",
        limit=wanted,
    )


def _prop_filter(node: ET.Element) -> PropFilter:
    return PropFilter(
        name=node.get("name", "").upper(),
        every=node.get("test", "anyof") == "allof",
        is_not_defined=node.find(name(CARDDAV, "is-not-defined")) is not None,
        matches=tuple(_text_match(m) for m in node.findall(name(CARDDAV, "text-match"))),
        params=tuple(
            ParamFilter(
                name=param.get("name", "").upper(),
                is_not_defined=param.find(name(CARDDAV, "is-not-defined")) is not None,
                match=_optional_match(param.find(name(CARDDAV, "text-match"))),
            )
            for param in node.findall(name(CARDDAV, "param-filter"))
        ),
    )


def _optional_match(node: ET.Element | None) -> TextMatch | None:
    return None if node is None else _text_match(node)


def _text_match(node: ET.Element) -> TextMatch:
    collation = node.get("collation", "i;unicode-casemap")
    if collation not in COLLATIONS:
        raise UnsupportedCollation(collation)
    match_type = node.get("match-type", "contains")
    return TextMatch(
        text=node.text or "",
        collation=collation,
        match_type=match_type if match_type in MATCHES else "contains",
        negate=node.get("negate-condition", "no") == "yes",
    )


def properties(card_text: str) -> list[Property]:
    """A card's properties, unfolded, group prefixes dropped, values unescaped."""
    cards = split_cards(card_text).cards
    if not cards:
        return []
    found = []
    for _number, line in content_lines(cards[0]):
        head, _, value = line.partition(":")
        parts = head.split(";")
        prop = parts[0].rpartition(".")[2].upper()
        params: dict[str, list[str]] = {}
        for part in parts[1:]:
            key, _, given = part.partition("=")
            if not given:  # vCard 2.1's bare TYPE values (TEL;CELL)
                key, given = "TYPE", key
            params.setdefault(key.upper(), []).extend(v.strip('"') for v in given.split(",") if v)
        found.append(Property(prop, params, _unescaped(value)))
    return found


def _unescaped(value: str) -> str:
    return (
        value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
    ).replace("\\\\", "\\")
