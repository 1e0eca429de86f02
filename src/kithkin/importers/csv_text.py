"""Reading CSV exports the way real programs write them: guess the encoding and the
delimiter, give every row the physical line it starts on, find the header row, and read
the dates people's address books hold. No format knowledge lives here: the LinkedIn,
Google and Outlook parsers say which header they expect.

Encodings, in this order:

* a byte-order mark decides (UTF-8, UTF-16 LE/BE); UTF-16 without a mark is recognised by
  its zero bytes (ASCII text has every other byte zero). A UTF-8 mark followed by bytes
  that are not UTF-8 is what Google's "Outlook CSV" export writes (a mark, then
  Windows-1252): the rest is read as below, as if the mark were not there;
* otherwise strict UTF-8;
* bytes that are not UTF-8 but carry the marks of UTF-8 that a program already damaged --
  a U+FFFD replacement character cut to ``EF BF``, or runs of ``FD`` where emoji were, as
  Excel leaves them in a re-saved LinkedIn export -- are read as UTF-8 and the lost
  characters dropped (a note says so), rather than shown as ``ï¿`` and ``ýýýý`` mojibake:
  those bytes hold no recoverable text, and no real cp1252 text contains them;
* anything else is Windows-1252 (what Excel and Outlook write on Western Windows), and
  Latin-1 for the five bytes cp1252 leaves undefined.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from kithkin.importers.records import ImportFileError, RecordError

Row = tuple[int, list[str]]  # (1-based physical line the row starts on, cells)
# Files of other formats given to a CSV importer: (how they begin, what they are, format).
_OTHER_FORMATS = (
    ("BEGIN:VCARD", "a vCard file", "vcard"),
    ("BEGIN:VCALENDAR", "an iCalendar file", "ics"),
    ("BEGIN:VEVENT", "an iCalendar file", "ics"),
)

_DAMAGED_UTF8 = re.compile(rb"\xef\xbf(?![\x80-\xbf])|\xfd\xfd")
_DELIMITERS = (",", ";", "\t")
_SNIFF_CHARS = 65_536


@dataclass
class Rows:
    """Every row of a CSV file, and what reading it had to repair."""

    path: str
    rows: list[Row]
    delimiter: str
    notes: list[RecordError] = field(default_factory=list)


@dataclass
class Table:
    """The rows under a header; cells are looked up by header name, never by position."""

    path: str
    columns: dict[str, int]  # header_key(name) -> index
    rows: list[Row]
    notes: list[RecordError] = field(default_factory=list)

    def get(self, cells: Sequence[str], *names: str) -> str:
        """The stripped value of the first of ``names`` the header has ("" if none)."""
        for name in names:
            index = self.columns.get(header_key(name))
            if index is not None:
                return cells[index].strip() if index < len(cells) else ""
        return ""


@lru_cache(maxsize=4096)
def header_key(name: str) -> str:
    """How header names compare: BOM, case, quotes and repeated spaces do not matter."""
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().split())


def one_line(value: str) -> str:
    """A name or title as one line, inner runs of whitespace collapsed."""
    return " ".join(value.split())


# What people type into a spreadsheet cell to say "nothing here". Compared case-folded,
# except that "Na" and "Nil" written as names (a Korean family name, a given name) stay.
_PLACEHOLDERS = frozenset(
    {"na", "n/a", "n.a.", "n. a.", "#n/a", "-", "--", "---", "\u2013", "\u2014", "none",
     "(none)", "<none>", "null", "(null)", "nil", "nan", "?", "??", "???", ".", "x", "xx",
     "xxx", "tbd", "unknown", "(unknown)", "not available", "not applicable", "no email",
     "no e-mail", "keine", "k.a.", "k. a.", "aucun", "aucune", "ninguno", "nessuno"}
)  # fmt: skip
_NAMES_THAT_LOOK_LIKE_PLACEHOLDERS = frozenset({"Na", "Nil", "X"})


def placeholder(value: str) -> bool:
    """True for a cell that only says "nothing here": ``NA``, ``N/A``, ``-``, ``none``,
    ``null``, ``#N/A`` (Excel), ``?``... Every CSV importer asks this of names, e-mails,
    phones, titles and companies before keeping them."""
    text = value.strip()
    if text in _NAMES_THAT_LOOK_LIKE_PLACEHOLDERS:
        return False
    return " ".join(text.casefold().split()) in _PLACEHOLDERS


def real(value: str) -> str:
    """``value`` on one line, or "" when it is only a placeholder."""
    text = one_line(value)
    return "" if placeholder(text) else text


def decode(data: bytes, path: str) -> tuple[str, list[RecordError]]:
    """The file's text, and a note when characters were lost before we got it."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), []
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, path), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    damage = _DAMAGED_UTF8.search(data)
    if damage:
        line = data.count(b"\n", 0, damage.start()) + 1
        note = RecordError(
            path,
            line,
            "encoding",
            "not valid UTF-8: a program (Excel?) had already destroyed some characters "
            "(emoji, symbols) before this file was saved; they were left out",
        )
        return data.decode("utf-8", "replace").replace("\ufffd", ""), [note]
    try:
        return data.decode("cp1252"), []
    except UnicodeDecodeError:
        return data.decode("latin-1"), []


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            path,
            f"not readable as {encoding.upper()} text: {exc.reason} at byte offset {exc.start}",
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def read_rows(data: bytes, path: str) -> Rows:
    """Decode and split the whole file into rows; ImportFileError if it is not CSV text."""
    text, notes = decode(data, path)
    if not text.strip():
        raise ImportFileError(path, "the file is empty")
    if "\x00" in text:
        raise ImportFileError(path, "contains NUL bytes: a binary file, not a CSV export")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(path, f"not readable as CSV ({exc})", line=line) from None
    return Rows(path, rows, delimiter, notes)


def refuse_other_formats(data: bytes, path: str) -> None:
    """ImportFileError naming the format when ``data`` is a vCard or iCalendar file."""
    start = data[:64].lstrip(codecs.BOM_UTF8 + b" \t\r\n").upper()
    for opening, what, format_name in _OTHER_FORMATS:
        if start.startswith(opening.encode()):
            raise ImportFileError(
                path,
                f"this is {what}, not a CSV export (it begins with {opening!r}): "
                f"import it as {format_name}",
            )


def sniff_delimiter(text: str) -> str:
    """Comma, or the semicolon/tab a European Excel writes: the delimiter that gives the
    most rows of one same width (ties keep the comma)."""
    head = text[:_SNIFF_CHARS]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
        try:
            widths = [len(cells) for cells in islice(reader, 20) if any(c.strip() for c in cells)]
        except csv.Error:
            continue
        counts = Counter(width for width in widths if width > 1)
        if counts:
            width, count = max(counts.items(), key=lambda item: (item[1], item[0]))
            if (count, width) > best_score:
                best, best_score = delimiter, (count, width)
    return best


def find_header(rows: Rows, is_header: Callable[[set[str]], bool], search: int = 50) -> int | None:
    """Index in ``rows.rows`` of the first of the first ``search`` rows that is_header."""
    for index, (_, cells) in enumerate(rows.rows[:search]):
        if is_header({header_key(cell) for cell in cells}):
            return index
    return None


def table_at(rows: Rows, header_index: int) -> Table:
    """The table whose header is ``rows.rows[header_index]``."""
    header = rows.rows[header_index][1]
    columns: dict[str, int] = {}
    seen: Counter[str] = Counter()
    for index, name in enumerate(header):
        key = header_key(name)
        seen[key] += 1
        # French Outlook names two columns "Titre" (courtesy title, job title): the second
        # is "titre#2".
        columns.setdefault(key if seen[key] == 1 else f"{key}#{seen[key]}", index)
    body = content_rows(rows.rows[header_index + 1 :], len(header), rows.delimiter)
    return Table(rows.path, columns, body, rows.notes)


def required_table(data: bytes, path: str, required: tuple[str, ...], what: str) -> Table:
    """The table under the first row naming every ``required`` column; else the file is
    refused as not being ``what``."""
    rows = read_rows(data, path)
    keys = {header_key(name) for name in required}
    header = find_header(rows, lambda found: keys <= found)
    if header is None:
        columns = ", ".join(f"'{name}'" for name in required)
        raise ImportFileError(path, f"no {columns} columns: is this {what}?")
    return table_at(rows, header)


def table_with_layout(rows: Rows, layout: Sequence[str]) -> Table:
    """A header-less file read with a known column layout."""
    columns = {header_key(name): index for index, name in enumerate(layout)}
    return Table(
        rows.path, columns, content_rows(rows.rows, len(layout), rows.delimiter), rows.notes
    )


def content_rows(rows: Iterable[Row], width: int, delimiter: str) -> list[Row]:
    """Rows that hold something, with whole rows a spreadsheet wrapped into one quoted
    cell (``"Ada,Lovelace,,""Acme, Inc"",01 Jan 2020"``) split again."""
    kept = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        kept.append((line, unwrap(cells, width, delimiter)))
    return kept


def unwrap(cells: list[str], width: int, delimiter: str) -> list[str]:
    if width < 2 or len(cells) != 1 or delimiter not in cells[0]:
        return cells
    reader = csv.reader(
        io.StringIO(cells[0], newline=""), delimiter=delimiter, skipinitialspace=True
    )
    try:
        inner = next(reader, [])
    except csv.Error:
        return cells
    return inner if len(inner) > 1 else cells


# Dates ------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan",),
            ("feb",),
            ("mar", "mär", "mrz"),
            ("apr",),
            ("may", "mai"),
            ("jun",),
            ("jul",),
            ("aug",),
            ("sep",),
            ("oct", "okt"),
            ("nov",),
            ("dec", "dez"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(
    r"(\d{1,2})[ -]([^\W\d_]{3,9})\.?[ -]+(\d{4}|\d{2})"
)  # 20 Nov 2018, 5-Jan-26
_MONTH_DAY_YEAR = re.compile(
    r"([^\W\d_]{3,9})\.? (?:(\d{1,2}),? )?(\d{4})"
)  # Nov 20, 2018; Jan 2020
_NUMERIC = re.compile(  # 1/8/18, 6:14 PM -- 01/12/2024 -- 14.05.1990 -- 14-5-1990 (Dutch)
    r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})"
    r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
)
_ZONE = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # what strptime's %y does: 69-99 -> 19xx, 00-68 -> 20xx
        year += 1900 if year >= 69 else 2000
    return year


def _month(name: str) -> int:
    month = _MONTHS.get(name[:3].lower())
    if month is None:
        raise ValueError(f"{name!r} is not a month")
    return month


def _numeric_date(match: re.Match[str]) -> dt.date:
    first, separator, second, year = match.group(1, 2, 3, 4)
    a, b = int(first), int(second)
    if separator in ".-" or a > 12:  # 14.05.1990, 14-5-1990, or 25/12/2024 that cannot be US
        day, month = a, b
    else:  # LinkedIn and English Outlook write US month/day
        month, day = a, b
    return dt.date(_year(year), month, day)


def parse_date(value: str) -> dt.date:
    """A date as CSV exports write it ("Jan 2020" is its first day); ValueError if it is
    not one."""
    text = value.strip()
    if match := _ISO.fullmatch(text):
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        return dt.date(_year(match[3]), _month(match[2]), int(match[1]))
    if match := _MONTH_DAY_YEAR.fullmatch(text):
        return dt.date(int(match[3]), _month(match[1]), int(match[2] or 1))
    if match := _NUMERIC.fullmatch(text):
        return _numeric_date(match)
    raise ValueError(f"{text!r} is not a date")


def parse_datetime(value: str) -> dt.datetime:
    """An aware UTC datetime. A time written without a zone is taken as UTC: the exports
    that write one ("2024-01-15 14:30:00 UTC") say UTC, the others say nothing."""
    text = _ZONE.sub("", value.strip())
    if match := _NUMERIC.fullmatch(text):
        day = _numeric_date(match)
        hour, minute, second = int(match[5] or 0), int(match[6] or 0), int(match[7] or 0)
        if match[8]:
            if not 1 <= hour <= 12:
                raise ValueError(f"{value!r} is not a time")
            hour = hour % 12 + (12 if match[8].lower() == "p" else 0)
        return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        day = parse_date(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


_NO_BIRTHDAY = {"0/0/00", "0/0/0000", "0.0.00", "0.0.0000", "00.00.0000", "0000-00-00"}
_NO_YEAR = re.compile(r"--(\d{2})-?(\d{2})")  # Google, vCard: --05-14


def parse_birthday(value: str) -> tuple[int | None, int, int] | None:
    """(year or None, month, day); None for empty and Outlook's "0/0/00"; ValueError for
    anything else that is not a date."""
    text = value.strip()
    if not text or text in _NO_BIRTHDAY:
        return None
    if match := _NO_YEAR.fullmatch(text):
        month, day = int(match[1]), int(match[2])
        dt.date(2000, month, day)  # a leap year, so 29 February passes; raises otherwise
        return None, month, day
    day_ = parse_date(text)
    return day_.year, day_.month, day_.day


# Whose export is this? -----------------------------------------------------------------

# (what it is, what to do with it, columns only that program writes), most specific first.
# A file given to the wrong importer is refused with this name instead of being imported
# with most of its columns unread.
PROGRAMS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "Thunderbird's address book CSV",
        "export the address book as vCard (.vcf) from Thunderbird and import it as vcard",
        frozenset({"primary email", "secondary email", "display name"}),
    ),
    (
        "a LinkedIn Connections.csv",
        "import it as linkedin",
        frozenset({"first name", "last name", "connected on"}),
    ),
    (
        "a Google Contacts CSV export",
        "import it as google",
        frozenset({"e-mail 1 - value"}),
    ),
    (  # the current layout when no contact has an e-mail address (its columns then go)
        "a Google Contacts CSV export",
        "import it as google",
        frozenset({"phonetic first name", "labels"}),
    ),
    (
        "a Google Contacts CSV export",
        "import it as google",
        frozenset({"given name", "family name", "group membership"}),
    ),
    (
        "an Outlook CSV export",
        "import it as outlook",
        frozenset({"first name", "last name", "e-mail address"}),
    ),
    (
        "an Outlook CSV export",
        "import it as outlook",
        frozenset({"vorname", "nachname", "e-mail-adresse"}),
    ),
)


def refuse_other_programs(
    keys: set[str], path: str, line: int, expected: str, *, also: tuple[str, ...] = ()
) -> None:
    """ImportFileError when the header ``keys`` are those of another program's export
    than ``expected`` or ``also`` (names from ``PROGRAMS``)."""
    for what, advice, columns in PROGRAMS:
        if what != expected and what not in also and columns <= keys:
            raise ImportFileError(
                path,
                f"this looks like {what}, not {expected} (it has the columns "
                f"{', '.join(repr(c) for c in sorted(columns))}): {advice}",
                line=line,
            )


_CHAT_SERVICES = {
    "google talk": "xmpp",
    "gtalk": "xmpp",
    "hangouts": "xmpp",
    "google_talk": "xmpp",
    "jabber": "xmpp",
    "xmpp": "xmpp",
    "skype": "skype",
    "aim": "aim",
    "yahoo": "yahoo",
    "yahoo messenger": "yahoo",
    "yahoo!": "yahoo",
    "msn": "msn",
    "windows live": "msn",
    "icq": "icq",
    "qq": "qq",
    "matrix": "matrix",
    "telegram": "telegram",
    "signal": "signal",
    "whatsapp": "whatsapp",
}


def chat_service(name: str) -> str:
    """The service of a chat handle as Kithkin names it ("Google Talk" -> xmpp), else the
    name as written, lower-cased."""
    key = " ".join(name.strip().lstrip("*").casefold().split())
    return _CHAT_SERVICES.get(key, key)
