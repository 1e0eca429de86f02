"""vCard 2.1, 3.0 and 4.0 (.vcf) files into contact records.

vcard_text.py reads the file into cards of decoded properties; this module says what a
card means for a person:

- The name is FN, else N's given, additional and family names, else the first ORG
  component, else the local part of the first email. A card with none of these is an
  error; so is a card that never reaches END:VCARD (the file was cut short).
- TITLE (else ROLE) is the title of the job at ORG; without an ORG there is no job to
  hold it (an Affiliation needs an organization), so it is the person's headline.
- Every ADR is a postal address, one line per non-empty part in the card's order (PO box,
  extended, street, locality, region, postal code, country); the preferred one also gives
  the location ("Locality, region, country").
- Chat handles come from IMPP (its scheme, or Apple's X-SERVICE-TYPE, names the service)
  and from the one-property-per-service X-SKYPE, X-JABBER, X-MS-IMADDRESS... (see
  kithkin.chat_services); an IMPP that is a web link is a profile URL instead.
- Labels are lower-case: Apple's grouped X-ABLabel first (item1.EMAIL + item1.X-ABLabel;
  built-ins like ``_$!<HomeFAX>!$_`` read "home fax"), else the TYPE parameters: the
  place (home, work, other) and the kind of phone (mobile, fax, pager...).
- A birthday without a year comes as ``--0203``, or as year 1604 (Apple and CardBook's
  stand-in), or with X-APPLE-OMIT-YEAR. A birthday that is no date ("circa 1800") is
  left out with a note in ``skipped``; so are a card nested in another one (vCard 2.1
  AGENT), KIND:group and KIND:location cards (not people) and lines that are not
  properties.
- PHOTO (inline or by URI) is read by vcard_photo.py, re-encoded, or reported for the card.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from vobject.base import VObjectError

from kithkin import chat_services
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError
from kithkin.importers.vcard_photo import Fetches, card_photo
from kithkin.importers.vcard_text import (
    CardText,
    Property,
    content_lines,
    decode_file,
    read_properties,
    split_cards,
    split_escaped,
    unescape,
)

_DATE = re.compile(r"(?:(?P<year>\d{4})|--)-?(?P<month>\d\d)-?(?P<day>\d\d)(?:T[0-9:.,Z+-]*)?")
_NO_YEAR = {0, 1604}  # 1604: Apple's and CardBook's year for "year unknown"
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PLACES = ("home", "work", "other")
_KINDS = {
    "cell": "mobile",
    "mobile": "mobile",
    "iphone": "iphone",
    "main": "main",
    "fax": "fax",
    "pager": "pager",
    "car": "car",
}
_NOT_PEOPLE = {"group", "location"}
_PROFILES = {"X-SOCIALPROFILE", "IMPP"}


# The properties a card's record says (and the exporter writes again); a card's other
# properties are its own, kept and served back unchanged by CardDAV (``unmodeled_lines``).
# PRODID and REV describe one copy of the card, never the person.
MODELED = {
    *("BEGIN", "END", "VERSION", "PRODID", "REV", "UID", "FN", "N", "NICKNAME", "KIND"),
    *("EMAIL", "TEL", "URL", "ADR", "IMPP", "X-SOCIALPROFILE", "ORG", "TITLE", "ROLE"),
    *("NOTE", "BDAY", "CATEGORIES", "X-ABLABEL", "PHOTO"),
    *(s.x_property.upper() for s in chat_services.BY_KEY.values() if s.x_property),
}


def unmodeled_lines(data: bytes, path: str) -> list[str]:
    """The first card's lines (unfolded) that no record field says: what a contacts
    program keeps that Kithkin does not model (an anniversary, a ringtone, a phonetic
    name...). An Apple label (X-ABLabel) stays with its property's group."""
    cards = split_cards(decode_file(data, path)).cards
    if not cards:
        return []
    kept: list[tuple[str, str, str]] = []
    for _number, line in content_lines(cards[0]):
        head = line.split(":", 1)[0].split(";", 1)[0]
        group, _, name = head.rpartition(".")
        kept.append((group.lower(), name.upper(), line))
    groups = {group for group, name, _ in kept if group and name not in MODELED}
    return [
        line
        for group, name, line in kept
        if name not in MODELED or (name == "X-ABLABEL" and group in groups)
    ]


def parse_vcards(data: bytes, path: str) -> ParseResult:
    """Every card of a .vcf file. A bad card is reported and the others still import;
    only a file that is no vCard at all raises :class:`ImportFileError`."""
    layout = split_cards(decode_file(data, path))
    if not layout.cards and not layout.unclosed:
        raise ImportFileError(path, "no BEGIN:VCARD line: this is not a vCard file")
    result = ParseResult()
    fetches = Fetches()
    for card in layout.cards:
        for line in card.nested:
            message = "a vCard nested inside another card (AGENT) is not imported as a person"
            result.skipped.append(RecordError(path, line, "AGENT", message))
        try:
            record = _card_record(card, path, result, fetches)
        except (VObjectError, LookupError, UnicodeError, ValueError) as exc:
            message = f"this card cannot be read ({exc}); it is left out"
            result.errors.append(RecordError(path, card.start, "vCard", message))
            continue
        if record is not None:
            result.contacts.append(record)
    for line in layout.unclosed:
        message = f"the card starting at line {line} has no END:VCARD (is the file cut short?)"
        result.errors.append(RecordError(path, line, "END", message))
    for line in layout.stray_ends:
        result.skipped.append(RecordError(path, line, "END", "END:VCARD without a BEGIN:VCARD"))
    result.errors.sort(key=lambda error: error.line)
    result.skipped.sort(key=lambda note: note.line)
    return result


def _card_record(
    card: CardText, path: str, result: ParseResult, fetches: Fetches
) -> ContactRecord | None:
    properties, unreadable = read_properties(card)
    for line, why in unreadable:
        result.skipped.append(RecordError(path, line, "vCard", f"{why}; left out"))
    named: dict[str, list[Property]] = {}
    for prop in properties:
        named.setdefault(prop.name, []).append(prop)

    kind = _first(named, "KIND").lower()
    if kind in _NOT_PEOPLE:
        message = f"KIND:{kind} describes a {kind}, not a person; left out"
        result.skipped.append(RecordError(path, card.start, "KIND", message))
        return None

    given, additional, family = _name_parts(named.get("N", []))
    organization = next(
        (org for p in named.get("ORG", []) if (org := _words(_components(p.value)[0]))), ""
    )
    labels = _apple_labels(properties)
    emails = _points(named.get("EMAIL", []), labels, _email)
    title = _words(_first(named, "TITLE") or _first(named, "ROLE"))
    full_name = (
        _words(_first(named, "FN"))
        or _words(f"{given} {additional} {family}")
        or organization
        or next((_words(address.split("@")[0]) for address, _label in emails), "")
    )
    if not full_name:
        message = "card has no name, email or organization"
        result.errors.append(RecordError(path, card.start, "FN", message))
        return None

    return ContactRecord(
        source="vcard",
        path=path,
        line=card.start,
        full_name=full_name,
        given_name=given,
        family_name=family,
        nickname=_nickname(_raw(named, "NICKNAME")),
        emails=emails,
        phones=_points(named.get("TEL", []), labels, _phone),
        urls=_urls(properties),
        addresses=_addresses(named.get("ADR", []), labels),
        chats=_chats(properties, labels),
        organization=organization,
        title=title,
        headline="" if organization else title,
        location=_location(named.get("ADR", [])),
        notes="\n\n".join(filter(None, (_note(p.value) for p in named.get("NOTE", [])))),
        birthday=_birthday(named.get("BDAY", []), path, result),
        tags=_categories(named.get("CATEGORIES", [])),
        external_id=_first(named, "UID") or None,
        photo=card_photo(named.get("PHOTO", []), path, result, fetches),
    )


def _categories(properties: list[Property]) -> list[str]:
    """CATEGORIES (Apple's and Google's groups, our own export's tags) are tags: each
    comma-separated value once, in order."""
    found: dict[str, None] = {}
    for prop in properties:
        for part in split_escaped(prop.value, ","):
            name = " ".join(unescape(part).split())
            if name:
                found.setdefault(name)
    return list(found)


def _raw(named: dict[str, list[Property]], name: str) -> str:
    """The first non-empty value of a property, still escaped."""
    return next((p.value for p in named.get(name, []) if p.value.strip()), "")


def _first(named: dict[str, list[Property]], name: str) -> str:
    return unescape(_raw(named, name)).strip()


def _words(text: str) -> str:
    """One line, single spaces: how names, titles and organizations are kept."""
    return " ".join(text.split())


def _nickname(value: str) -> str:
    """NICKNAME lists names separated by commas: "Johny,JJ" reads "Johny, JJ"."""
    names = (_words(unescape(name)) for name in split_escaped(value, ","))
    return ", ".join(filter(None, names))


def _components(value: str) -> list[str]:
    """A structured value (N, ADR, ORG): ";"-separated, each part unescaped."""
    return [unescape(part) for part in split_escaped(value, ";")]


def _name_parts(names: list[Property]) -> tuple[str, str, str]:
    """(given, additional, family) of the first N. A part may list several names
    separated by commas (N:Doe;John;Richter,James): they are joined by spaces."""
    if not names:
        return "", "", ""
    parts = [
        _words(" ".join(unescape(name) for name in split_escaped(part, ",")))
        for part in split_escaped(names[0].value, ";")
    ]
    parts += [""] * (3 - len(parts))
    family, given, additional = parts[:3]
    return given, additional, family


def _apple_labels(properties: list[Property]) -> dict[str, str]:
    """Apple's labels by group: item1.EMAIL is labelled by item1.X-ABLabel, wherever in
    the card that line is."""
    labels: dict[str, str] = {}
    for prop in properties:
        if prop.name == "X-ABLABEL" and prop.group:
            text = unescape(prop.value).strip()
            builtin = _APPLE_LABEL.fullmatch(text)
            if builtin:
                text = _CAMEL.sub(" ", builtin.group(1))
            labels[prop.group] = _words(text).lower()
    return labels


def _label(prop: Property, apple_labels: dict[str, str]) -> str:
    if prop.group in apple_labels:
        return apple_labels[prop.group]
    place = next((t for t in prop.types if t in _PLACES), "")
    kind = next((_KINDS[t] for t in prop.types if t in _KINDS), "")
    return f"{place} {kind}".strip()


def _points(
    props: list[Property], apple_labels: dict[str, str], read: Callable[[str], str]
) -> list[tuple[str, str]]:
    """(value, label) of each EMAIL or TEL, each once, in the card's order."""
    points: dict[tuple[str, str], None] = {}
    for prop in props:
        point = (read(unescape(prop.value).strip()), _label(prop, apple_labels))
        if point[0]:
            points.setdefault(point)
    return list(points)


def _email(text: str) -> str:
    """An address; vCard 4.0 writers sometimes give it as a mailto: URI."""
    return text[7:].strip() if text.lower().startswith("mailto:") else text


def _phone(text: str) -> str:
    """A number as written; vCard 4.0's tel: URI (tel:+1-418-656-9254;ext=102) becomes
    "+1-418-656-9254 ext. 102"."""
    if not text.lower().startswith("tel:"):
        return text
    number, *params = text[4:].split(";")
    extension = next((p[4:] for p in params if p.lower().startswith("ext=")), "")
    return f"{number} ext. {extension}" if extension else number


def _urls(properties: list[Property]) -> list[str]:
    """Websites (URL) and profiles: X-SOCIALPROFILE and IMPP when they are web links."""
    urls: dict[str, None] = {}
    for prop in properties:
        if prop.name != "URL" and prop.name not in _PROFILES:
            continue
        url = unescape(prop.value).strip()
        if url and (prop.name == "URL" or _is_link(url)):
            urls.setdefault(url)
    return list(urls)


def _is_link(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _addresses(addresses: list[Property], apple_labels: dict[str, str]) -> list[tuple[str, str]]:
    """(address, label) of each ADR: one line per non-empty part, each once."""
    found: dict[tuple[str, str], None] = {}
    for prop in addresses:
        lines = (_words(line) for part in _components(prop.value) for line in part.split("\n"))
        text = "\n".join(filter(None, lines))
        if text:
            found.setdefault((text, _label(prop, apple_labels)))
    return list(found)


def _chats(properties: list[Property], apple_labels: dict[str, str]) -> list[tuple[str, str, str]]:
    """(handle, service, label) of each chat handle, each (handle, service) once. A label
    that only repeats the service's name (Apple's "Skype") is no label."""
    chats: dict[tuple[str, str], tuple[str, str, str]] = {}
    for prop in properties:
        value = unescape(prop.value).strip()
        if prop.name == "IMPP" and not _is_link(value):
            service_type = next(iter(prop.params.get("X-SERVICE-TYPE", [])), "")
            found = chat_services.read_impp(value, service_type.strip('"'))
        elif prop.name in chat_services.BY_X_PROPERTY:
            found = _x_chat(value, chat_services.BY_X_PROPERTY[prop.name])
        else:
            continue
        if found is None:
            continue
        handle, service = found
        label = _label(prop, apple_labels)
        if chat_services.service_named(label) == service:
            label = ""
        chats.setdefault((handle.casefold(), service), (handle, service, label))
    return list(chats.values())


def _x_chat(value: str, service: str) -> tuple[str, str] | None:
    """A handle of an X-SKYPE-like property; Outlook's X-MS-IMADDRESS may be a URI
    (sip:ada@example.org) that names its service."""
    if service == "im" and ":" in value:
        return chat_services.read_impp(value)
    handle = " ".join(value.split())
    return (handle, service) if handle else None


def _location(addresses: list[Property]) -> str:
    """ "Locality, region, country" of the preferred address that has any of them."""
    preferred = sorted(addresses, key=lambda p: "pref" not in p.types and "PREF" not in p.params)
    for prop in preferred:
        parts = _components(prop.value) + [""] * 7
        place = ", ".join(filter(None, (_words(parts[i]) for i in (3, 4, 6))))
        if place:
            return place
    return ""


def _note(value: str) -> str:
    lines = unescape(value).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _birthday(
    birthdays: list[Property], path: str, result: ParseResult
) -> tuple[int | None, int, int] | None:
    """(year or None, month, day) of the first BDAY; one that is no date is a note."""
    prop = next((p for p in birthdays if p.value.strip()), None)
    if prop is None:
        return None
    text = unescape(prop.value).strip()
    found = _DATE.fullmatch(text)
    if found:
        year = int(found["year"]) if found["year"] else None
        if year in _NO_YEAR or str(year) in prop.params.get("X-APPLE-OMIT-YEAR", []):
            year = None
        month, day = int(found["month"]), int(found["day"])
        if _is_date(year, month, day):
            return year, month, day
    message = f"{text!r} is not a date; the birthday is left out"
    result.skipped.append(RecordError(path, prop.line, "BDAY", message))
    return None


def _is_date(year: int | None, month: int, day: int) -> bool:
    try:
        dt.date(year or 2000, month, day)  # 2000: 29 February is a birthday too
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class GroupRecord:
    """A group card (vCard 4.0's KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND:group, as
    DAVx5 writes either): its name, and the UIDs of its members."""

    name: str
    uid: str
    member_uids: list[str]


def group_card(data: bytes, path: str) -> GroupRecord | None:
    """The first card as a group, or None when it is not one."""
    cards = split_cards(decode_file(data, path)).cards
    if not cards:
        return None
    properties, _unreadable = read_properties(cards[0])
    named: dict[str, list[Property]] = {}
    for prop in properties:
        named.setdefault(prop.name, []).append(prop)
    kind = (_first(named, "KIND") or _first(named, "X-ADDRESSBOOKSERVER-KIND")).lower()
    if kind != "group":
        return None
    members = [
        _member_uid(unescape(prop.value).strip())
        for name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER")
        for prop in named.get(name, [])
    ]
    return GroupRecord(
        name=_words(_first(named, "FN")) or _words(" ".join(_components(_raw(named, "N")))),
        uid=_first(named, "UID"),
        member_uids=[uid for uid in members if uid],
    )


def _member_uid(uri: str) -> str:
    """A member's UID from its URI: ``urn:uuid:<uid>`` is the card whose UID is <uid>; any
    other URI (``urn:kithkin:…``) is a UID as it is."""
    return uri[len("urn:uuid:") :] if uri.lower().startswith("urn:uuid:") else uri
