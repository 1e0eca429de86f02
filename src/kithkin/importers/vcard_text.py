"""The text layer of vCard files: bytes to text, text to cards, cards to properties.

vCard files in the wild break the RFCs in every way (see ../shared/corpus/MANIFEST.md):
UTF-16 without a byte order mark, raw Shift_JIS or Windows-1252 bytes, quoted-printable
values with soft line breaks and no CHARSET, CR CR LF line ends, folds indented with two
spaces, a card cut short without END:VCARD, a vCard nested in another one. This module
turns all of that into clean :class:`Property` values; vcard.py says what they mean.

vobject's content-line grammar (``vobject.base.parseLine``) splits each line into group,
name, parameters and value. Everything around it is done here because vobject's reader
gets these files wrong: it cuts FN and NOTE at the first unescaped comma, raises on a
quoted-printable value that is not UTF-8, reads a CR CR LF fold as a new line, and its
line pattern backtracks exponentially on a malformed line (a few dozen commas take
minutes), so a line goes to vobject only once :data:`CONTENT_LINE`, the same grammar
written with possessive quantifiers, has accepted it in linear time.
"""

from __future__ import annotations

import binascii
import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from vobject.base import ParseError, parseLine

from kithkin.importers.records import ImportFileError

# Any run of CRs before a LF is one line end (iOS writes CR CR LF); a lone CR is one too.
_LINE_END = re.compile(r"\r*\n|\r")
_BEGIN = re.compile(r"\ufeff?BEGIN[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)
_END = re.compile(r"\ufeff?END[ \t]*:[ \t]*VCARD[ \t]*", re.IGNORECASE)

_NAME = r"[A-Za-z0-9_-]++"
_PARAM_VALUE = r'(?:"[^"]*+"|[^";:,=]*+)'
_PARAM = rf";{_NAME}(?:[=,]{_PARAM_VALUE})*+"
# vobject.base's line pattern, minus the value, made deterministic: each parameter value
# follows a "=" or a ",", and possessive quantifiers never backtrack. It accepts exactly
# the lines vobject accepts (tests/importers/test_vcard.py checks this).
CONTENT_LINE = re.compile(rf"(?:{_NAME}\.)?{_NAME};?(?:{_PARAM})*+:")
# The part of a line before its value: what decides how its next lines continue it.
_HEAD = re.compile(r'(?:[^":]++|"[^"]*+")*+')
_BASE64_PARAM = re.compile(r";(?:ENCODING=)?(?:B|BASE64)(?:;|$)", re.IGNORECASE)
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+[ \t]*")
_SURROGATE = re.compile("[\udc80-\udcff]")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UNICODE = {"utf-8", "utf8", "us-ascii", "ascii"}
# For 8-bit text that names no charset: Western European first, then Central European.
_GUESSES = ("cp1252", "cp1250", "iso-8859-2")


@dataclass
class Property:
    """One content line: ``value`` is decoded text, still backslash-escaped."""

    line: int
    group: str  # lower-case, "" when none
    name: str  # upper-case
    params: dict[str, list[str]]  # upper-case names
    types: list[str]  # lower-case, from TYPE=a,b and vCard 2.1's bare ;WORK;VOICE
    value: str


@dataclass
class CardText:
    start: int  # line of BEGIN:VCARD
    end: int  # line of END:VCARD
    lines: list[tuple[int, str]] = field(default_factory=list)  # nested cards left out
    nested: list[int] = field(default_factory=list)  # BEGIN lines of cards nested inside


@dataclass
class Layout:
    cards: list[CardText]
    unclosed: list[int]  # BEGIN:VCARD lines that no END:VCARD closes
    stray_ends: list[int]  # END:VCARD lines that close nothing


def decode_file(data: bytes, path: str) -> str:
    """The file as text. Bytes that are not UTF-8 survive as surrogate escapes, to be
    decoded per property with its CHARSET (see :func:`read_properties`)."""
    if not data.strip():
        raise ImportFileError(path, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    return data.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="surrogateescape")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 written without a byte order mark: ASCII text with a NUL byte beside each."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    high, low = sample[0::2].count(0), sample[1::2].count(0)
    if high > pairs * 0.25 and low * 4 < high:
        return "utf-16-be"
    if low > pairs * 0.25 and high * 4 < low:
        return "utf-16-le"
    return None


def split_cards(text: str) -> Layout:
    """Cards by their BEGIN:VCARD / END:VCARD lines. An END closes the latest open BEGIN,
    so a card nested inside another (vCard 2.1 AGENT) stays inside it, and a card that
    never ends leaves the cards after it intact."""
    lines = _LINE_END.split(text)
    open_begins: list[int] = []
    pairs: list[tuple[int, int]] = []
    stray_ends: list[int] = []
    for number, line in enumerate(lines, start=1):
        if _BEGIN.fullmatch(line):
            open_begins.append(number)
        elif _END.fullmatch(line):
            if open_begins:
                pairs.append((open_begins.pop(), number))
            else:
                stray_ends.append(number)
    cards: list[CardText] = []
    inside: list[list[tuple[int, int]]] = []  # per card: the outermost cards nested in it
    for begin, end in sorted(pairs):
        if cards and begin < cards[-1].end:
            if not inside[-1] or begin > inside[-1][-1][1]:
                cards[-1].nested.append(begin)
                inside[-1].append((begin, end))
            continue
        cards.append(CardText(start=begin, end=end))
        inside.append([])
    for card, nested in zip(cards, inside, strict=True):
        number = card.start + 1
        for begin, end in nested:  # in order, apart: skip each one's lines
            card.lines += [(n, lines[n - 1]) for n in range(number, begin)]
            number = end + 1
        card.lines += [(n, lines[n - 1]) for n in range(number, card.end)]
    return Layout(cards, open_begins, stray_ends)


# No person's card holds this many properties (a phone's richest hold a few dozen): past
# it, a card is a broken or hostile file and its rest is not read (a card of 100,000
# EMAIL lines took 1.6 s to read whole).
MAX_PROPERTIES = 1_000


def read_properties(card: CardText) -> tuple[list[Property], list[tuple[int, str]]]:
    """The card's properties (the first ``MAX_PROPERTIES``), and the lines that are not
    properties or were not read (with why)."""
    properties: list[Property] = []
    unreadable: list[tuple[int, str]] = []
    for number, text in _logical_lines(card.lines):
        if len(properties) == MAX_PROPERTIES:
            unreadable.append(
                (
                    number,
                    f"the card holds more than {MAX_PROPERTIES:,} properties: this one and the rest",
                )
            )
            break
        if not CONTENT_LINE.match(text):
            unreadable.append((number, f"{_shorten(text)!r} is not a NAME:value line"))
            continue
        try:
            name, params, value, group = parseLine(text, number)
        except ParseError as exc:  # not expected once CONTENT_LINE agreed
            unreadable.append((number, str(exc)))
            continue
        properties.append(_property(number, name, params, value, group))
    card_charset = next(
        (c for p in properties for c in p.params.get("CHARSET", [])[:1] if _is_legacy(c)), None
    )
    for prop in properties:
        prop.value = _decoded_value(prop, card_charset)
    return properties, unreadable


@dataclass
class _Unfolding:
    """One logical line being unfolded. Its pieces are joined once at the end: adding to a
    string for each of 100,000 folded lines would copy it each time (quadratic)."""

    number: int
    pieces: list[str]  # none of them empty
    mode: str  # "qp": quoted-printable, "base64": vCard 2.1 base64, "": plain

    def add(self, text: str) -> None:
        if text:
            self.pieces.append(text)

    def soft_break(self) -> bool:
        """A quoted-printable value that ends in "=": the next line continues it."""
        return self.mode == "qp" and bool(self.pieces) and self.pieces[-1].endswith("=")

    def drop_soft_break(self) -> None:
        last = self.pieces.pop()[:-1]
        self.add(last)


def content_lines(card: CardText) -> Iterator[tuple[int, str]]:
    """The card's logical lines, unfolded, with the line each starts on."""
    return _logical_lines(card.lines)


def _logical_lines(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Unfold: a line starting with a space or tab continues the one before it; so does
    the line after a quoted-printable soft break (a value ending in "=", even when that
    next line starts with "#" or is blank), and a bare base64 line after a vCard 2.1
    base64 value. Blank lines and "#" comment lines are dropped (Android writes them).
    One at a time: a reader may stop early."""
    current: _Unfolding | None = None
    for number, line in lines:
        if current is not None:
            if current.soft_break():
                current.drop_soft_break()
                current.add(line)
                continue
            if line[:1] in (" ", "\t"):
                current.add(line[1:])
                continue
            if current.mode == "base64" and _BASE64_LINE.fullmatch(line):
                current.add(line)
                continue
            if not line.strip():
                current.mode = ""
                continue
        if not line.strip() or line.startswith(("#", " ", "\t")):
            continue
        head = _HEAD.match(line)
        head_text = head.group().upper() if head else ""
        mode = "qp" if "QUOTED-PRINTABLE" in head_text else ""
        if not mode and _BASE64_PARAM.search(head_text):
            mode = "base64"
        if current is not None:
            yield current.number, "".join(current.pieces)
        current = _Unfolding(number, [line], mode)
    if current is not None:
        yield current.number, "".join(current.pieces)


def _property(
    number: int, name: str, params: list[list[str]], value: str, group: str | None
) -> Property:
    named: dict[str, list[str]] = {}
    types: list[str] = []
    for param in params:
        key = param[0].upper()
        if len(param) == 1:
            types.append(key.lower())
        else:
            named.setdefault(key, []).extend(param[1:])
    for listed in named.get("TYPE", []):
        types += [t.strip().lower() for t in listed.split(",") if t.strip()]
    return Property(number, (group or "").lower(), name.upper(), named, types, value)


def _decoded_value(prop: Property, card_charset: str | None) -> str:
    encodings = [e.upper() for e in prop.params.get("ENCODING", [])]
    declared = prop.params.get("CHARSET", [None])[0]
    if "QUOTED-PRINTABLE" in encodings or "quoted-printable" in prop.types:
        raw = binascii.a2b_qp(prop.value.encode("utf-8", errors="surrogateescape"))
        text = _decode_bytes(raw, declared, card_charset)
    elif _SURROGATE.search(prop.value):
        raw = prop.value.encode("utf-8", errors="surrogateescape")
        text = _decode_bytes(raw, declared, card_charset)
    else:
        text = prop.value
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_bytes(raw: bytes, declared: str | None, card_charset: str | None = None) -> str:
    """A value's bytes as text: by its own CHARSET when it names one (damaged bytes become
    U+FFFD), else UTF-8, else the charset another line of the card names, else a guess."""
    for charset, errors in ((declared, "replace"), ("utf-8", "strict"), (card_charset, "replace")):
        if charset:
            try:
                return raw.decode(charset, errors=errors)
            except (LookupError, UnicodeError, ValueError):
                continue
    return _guess_8bit(raw)


def _guess_8bit(raw: bytes) -> str:
    """8-bit text without a charset: Windows-1252 unless a Central European charset reads
    more like words. Odd is a symbol or control inside a word ("Micha³" is "Michał") and
    "ñ" before a consonant, which Spanish never writes and "ń" always is ("Iksiński")."""
    readings = [raw.decode(charset, errors="replace") for charset in _GUESSES]
    return min(readings, key=_oddness)  # min() keeps the first of equals: Windows-1252


def _oddness(text: str) -> int:
    return sum(_odd_at(text, index) for index, char in enumerate(text) if not char.isascii())


def _odd_at(text: str, index: int) -> int:
    char = text[index]
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if char == "\ufffd" or unicodedata.category(char).startswith("C"):
        return 2
    symbol_in_word = not char.isalpha() and (before.isalpha() or after.isalpha())
    n_before_consonant = char in "ñÑ" and after.isalpha() and after.lower() not in "aeiouáéíóúü"
    return int(symbol_in_word or n_before_consonant)


def _is_legacy(charset: str) -> bool:
    """A CHARSET that names a real text encoding other than UTF-8 or ASCII."""
    if charset.lower() in _UNICODE:
        return False
    try:
        b"".decode(charset)
    except (LookupError, UnicodeError, ValueError):
        return False
    return True


def unescape(value: str) -> str:
    r"""vCard text escapes: \n is a new line; \\ \, \; \: \" are the character itself.
    Anything else keeps its backslash (a Windows path in a note stays a path)."""
    return _ESCAPE.sub(_unescape_one, value)


def _unescape_one(match: re.Match[str]) -> str:
    char = match.group(1)
    if char in "nN":
        return "\n"
    return char if char in '\\,;:"' else match.group(0)


def split_escaped(value: str, separator: str) -> list[str]:
    """Split on each separator that no backslash escapes; the parts stay escaped."""
    parts: list[str] = []
    start = index = 0
    while index < len(value):
        if value[index] == "\\":
            index += 2
            continue
        if value[index] == separator:
            parts.append(value[start:index])
            start = index + 1
        index += 1
    parts.append(value[start:])
    return parts


def _shorten(text: str, limit: int = 60) -> str:
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
