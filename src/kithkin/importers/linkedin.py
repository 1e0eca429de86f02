"""LinkedIn's "Get a copy of your data" export, from the folder, the ZIP or one CSV file.

* ``Connections.csv`` -> contacts. Every variant seen in the wild: the "Notes:" preamble
  above the header (skipped up to the row naming First Name and Last Name), 2018 files
  without the URL column, files a user saved back without their header (recognised by
  their content: six or seven cells ending in a connection date), rows a spreadsheet
  wrapped into one quoted cell, Excel re-saves in other encodings and delimiters (see
  csv_text), and dates as "12 Jan 2024", "5-Jan-26" or "1/8/18, 6:14 PM" (US month first).
* ``messages.csv`` -> one message interaction per row. The export owner is whoever takes
  part in the most messages (they are in every one of their own); on a tie -- one
  conversation with one person -- the side that is not among the connections, then the
  one who sent more, then the sender of the first row. Messages the owner sent are outbound, the others inbound; the
  participants are everyone else in the message.
* ``Invitations.csv`` -> one message interaction per invitation, direction from its
  Direction column.
* ``Positions.csv`` -> ``LinkedInResult.my_positions``: the owner's own jobs, which the
  planner makes affiliations of *me*.
* ``Endorsement_Received_Info.csv`` and ``Recommendations_Received.csv`` -> value received
  (the ledger): one endorsement (weight 1, the skill as description) per accepted
  endorsement, one recommendation (weight 3, its text) per visible or hidden one. Their
  external ids hash the giver (profile URL, else name) with the skill, or with the
  recommendation's date, so a re-import finds them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kithkin.importers import csv_text
from kithkin.importers.csv_text import Rows, Table, one_line, required_table
from kithkin.importers.export_files import Reader, TooLarge, file_reader, is_csv, zip_members
from kithkin.importers.linkedin_values import (
    SOURCE,
    parse_endorsements,
    parse_recommendations,
    participant_key,
    profile_key,
)
from kithkin.importers.records import (
    ContactRecord,
    ImportFileError,
    InteractionRecord,
    ParseResult,
    Participant,
    RecordError,
    collecting_later,
)

SUMMARY_LENGTH = 200
# Lines per file (a row may span lines; a line never holds two rows): LinkedIn caps a
# network at 30,000 connections; every other file gets the larger bound.
MAX_LINES = {"connections.csv": 50_000}
MAX_LINES_OTHER = 1_000_000

_FIRST, _LAST, _URL, _EMAIL = "First Name", "Last Name", "URL", "Email Address"
_COMPANY, _POSITION, _CONNECTED = "Company", "Position", "Connected On"
# Header-less files, as saved back by users: 2018 layout (6 cells) or current (7 cells).
_LAYOUTS = {
    6: (_FIRST, _LAST, _EMAIL, _COMPANY, _POSITION, _CONNECTED),
    7: (_FIRST, _LAST, _URL, _EMAIL, _COMPANY, _POSITION, _CONNECTED),
}
_HEADLINE_SEPARATOR = re.compile(r"\s+[-\u2013|]\s+")  # "Doe - Founder at Acme" in Last Name


@dataclass(frozen=True)
class Position:
    """One of the export owner's own jobs, from Positions.csv."""

    company: str
    title: str
    start: dt.date | None
    end: dt.date | None


@dataclass
class LinkedInResult(ParseResult):
    my_positions: list[Position] = field(default_factory=list)

    def extend(self, other: ParseResult) -> None:
        super().extend(other)
        if isinstance(other, LinkedInResult):
            self.my_positions += other.my_positions


# Connections.csv ----------------------------------------------------------------------


def parse_connections(data: bytes, path: str) -> ParseResult:
    """Contacts from one Connections.csv, whatever LinkedIn or a spreadsheet made of it."""
    with collecting_later():
        table = _connections_table(csv_text.read_rows(data, path))
        result = ParseResult(skipped=list(table.notes))
        cell = _Cells(table)
        for line, cells in table.rows:
            _connection(table.path, cell, line, cells, result)
        return result


_connected_on = functools.lru_cache(maxsize=65_536)(csv_text.parse_date)  # dates repeat


class _Cells:
    """Connections.csv's columns, each column's place found once."""

    def __init__(self, table: Table) -> None:
        names = (_FIRST, _LAST, _URL, _EMAIL, _COMPANY, _POSITION, _CONNECTED)
        # Each column's place, -1 when the file has no such column.
        places = [table.columns.get(csv_text.header_key(name)) for name in names]
        self.places = tuple(-1 if place is None else place for place in places)
        self.width = max(self.places) + 1  # a row this wide has every column

    def values(self, cells: list[str]) -> list[str]:
        """The row's first name, last name, URL, email, company, position and date, each
        trimmed ("" when missing): ``get`` of each column."""
        if len(cells) >= self.width and -1 not in self.places:
            return [cells[i].strip() for i in self.places]
        size = len(cells)
        return [cells[i].strip() if 0 <= i < size else "" for i in self.places]


def _connections_table(rows: Rows) -> Table:
    header = csv_text.find_header(rows, lambda keys: {"first name", "last name"} <= keys)
    if header is not None:
        line, cells = rows.rows[header]
        keys = {csv_text.header_key(cell) for cell in cells}
        csv_text.refuse_other_programs(keys, rows.path, line, "a LinkedIn Connections.csv")
        return csv_text.table_at(rows, header)
    if csv_text.find_header(rows, lambda keys: "connected on" in keys) is not None:
        raise ImportFileError(
            rows.path,
            "this Connections.csv has no 'First Name' and 'Last Name' columns (they were "
            "deleted from it): there is no one to import. Export it again from LinkedIn.",
        )
    layout = _headerless_layout(rows)
    if layout is None:
        raise ImportFileError(
            rows.path,
            "no 'First Name' column: is this a LinkedIn Connections.csv? (expected a header "
            "'First Name,Last Name,URL,Email Address,Company,Position,Connected On')",
        )
    return csv_text.table_with_layout(rows, layout)


def _headerless_layout(rows: Rows) -> tuple[str, ...] | None:
    """The column layout of a file whose rows look like connections without a header."""
    sample = csv_text.table_with_layout(rows, _LAYOUTS[7]).rows[:20]
    widths = Counter(len(cells) for _, cells in sample)
    if not widths:
        return None
    width, _ = widths.most_common(1)[0]
    layout = _LAYOUTS.get(width)
    if layout is None:
        return None
    fits = sum(_looks_like_connection(cells, layout) for _, cells in sample)
    return layout if fits >= max(1, 0.8 * len(sample)) else None


def _looks_like_connection(cells: list[str], layout: tuple[str, ...]) -> bool:
    if len(cells) != len(layout) or not (cells[0].strip() or cells[1].strip()):
        return False
    values = dict(zip(layout, cells, strict=True))
    url, email = values.get(_URL, ""), values[_EMAIL]
    if url and "linkedin.com" not in url.lower():
        return False
    if email.strip() and "@" not in email:
        return False
    try:
        csv_text.parse_date(values[_CONNECTED])
    except ValueError:
        return False
    return True


def _connection(path: str, table: _Cells, line: int, cells: list[str], result: ParseResult) -> None:
    first, last, url, email, company, position, connected = table.values(cells)
    given = _real(first.strip(" ,"))
    family = _real(last.strip(" ,"))
    headline = ""
    parts = _HEADLINE_SEPARATOR.split(family, maxsplit=1)
    if len(parts) == 2 and parts[0]:  # a headline typed into the last name
        family, headline = parts[0], parts[1]
    full_name = " ".join(part for part in (given, family) if part)
    if not full_name:
        message = (
            "no name (LinkedIn leaves it empty for members who hid or closed their profile; "
            "a placeholder such as N/A or - is no name)"
        )
        result.errors.append(RecordError(path, line, _FIRST, f"{message}; not imported"))
        return
    contact = ContactRecord(
        source=SOURCE,
        path=path,
        line=line,
        full_name=full_name,
        given_name=given,
        family_name=family,
        headline=headline,
        organization=_text(company),
        title=_text(position),
    )
    if contact.title and not contact.organization and not contact.headline:
        contact.headline, contact.title = contact.title, ""  # a position alone
    if email and not csv_text.placeholder(email):
        contact.emails.append((email, ""))
    if url:
        contact.urls.append(url)
        contact.external_id = profile_key(url)
    if connected:
        try:
            contact.connected_on = _connected_on(connected)
        except ValueError:
            message = f"{connected!r} is not a date (expected like '12 Jan 2024')"
            result.errors.append(
                RecordError(
                    path, line, _CONNECTED, f"{message}; {full_name} is imported without it"
                )
            )
    result.contacts.append(contact)


# Names, companies and positions repeat across thousands of rows: each short one is
# read once.
_CACHED_LENGTH = 200
_real_cached = functools.lru_cache(maxsize=65_536)(csv_text.real)


def _real(value: str) -> str:
    return _real_cached(value) if len(value) <= _CACHED_LENGTH else csv_text.real(value)


def _text(value: str) -> str:
    return _text_cached(value) if len(value) <= _CACHED_LENGTH else _readable(value)


def _readable(value: str) -> str:
    """One line; empty when nothing readable is left (a title made only of characters
    a spreadsheet destroyed leaves " - ") or only a placeholder ("N/A")."""
    text = csv_text.real(value)
    return text if any(char.isalnum() for char in text) else ""


_text_cached = functools.lru_cache(maxsize=65_536)(_readable)


# messages.csv -------------------------------------------------------------------------


def parse_messages(
    data: bytes, path: str, connections: Iterable[ContactRecord] = ()
) -> ParseResult:
    """One inbound or outbound message interaction per row of messages.csv."""
    table = required_table(
        data, path, ("CONVERSATION ID", "FROM", "DATE"), "a LinkedIn messages.csv"
    )
    result = ParseResult(skipped=list(table.notes))
    people: list[tuple[Participant, list[Participant]]] = []  # (sender, recipients) per record
    seen: Counter[str] = Counter()
    for line, cells in table.rows:
        if table.get(cells, "IS MESSAGE DRAFT").upper() == "TRUE":
            result.skipped.append(RecordError(path, line, "IS MESSAGE DRAFT", "a draft"))
            continue
        when = _when(table, cells, "DATE", line, result)
        if when is None:
            continue
        sender = _person(table.get(cells, "FROM"), table.get(cells, "SENDER PROFILE URL"))
        to, urls = table.get(cells, "TO"), table.get(cells, "RECIPIENT PROFILE URLS")
        base = f"{table.get(cells, 'CONVERSATION ID') or participant_key(sender)}/{when:%Y-%m-%dT%H:%M:%SZ}"
        seen[base] += 1
        text = table.get(cells, "SUBJECT") or table.get(cells, "CONTENT")
        people.append((sender, _recipients(to, urls)))
        external_id = base if seen[base] == 1 else f"{base}#{seen[base]}"
        summary = one_line(text)[:SUMMARY_LENGTH] or "LinkedIn message"
        result.interactions.append(_message(path, line, external_id, when, summary))
    owner = _owner(people, {c.external_id for c in connections if c.external_id})
    for record, (sender, recipients) in zip(result.interactions, people, strict=True):
        record.direction = "outbound" if participant_key(sender) == owner else "inbound"
        others = {
            participant_key(p): p for p in (sender, *recipients) if participant_key(p) != owner
        }
        record.participants = [p for p in others.values() if p.name or p.profile_url]
    return result


def _message(
    path: str, line: int, external_id: str, when: dt.datetime, summary: str
) -> InteractionRecord:
    """An inbound message without participants, which the caller then completes."""
    return InteractionRecord(SOURCE, path, line, external_id, "message", when, "inbound", summary)


def _when(
    table: Table, cells: list[str], column: str, line: int, result: ParseResult
) -> dt.datetime | None:
    text = table.get(cells, column)
    try:
        return csv_text.parse_datetime(text)
    except ValueError:
        result.errors.append(RecordError(table.path, line, column, f"{text!r} is not a date"))
        return None


def _person(name: str, url: str) -> Participant:
    return Participant(name=one_line(name), profile_url=url.strip())


def _recipients(names: str, urls: str) -> list[Participant]:
    """TO holds display names, RECIPIENT PROFILE URLS the matching URLs, both joined by
    commas; names are only split when their count matches the URLs'."""
    links = [url.strip() for url in urls.split(",") if url.strip()]
    if len(links) <= 1:
        return [_person(names, "".join(links))] if names or links else []
    parts = names.split(",")
    if len(parts) != len(links):
        parts = [""] * len(links)
    return [_person(name, url) for name, url in zip(parts, links, strict=True)]


def _owner(people: list[tuple[Participant, list[Participant]]], connections: set[str]) -> str:
    taking_part: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    for sender, recipients in people:
        taking_part.update(dict.fromkeys(participant_key(p) for p in (sender, *recipients)).keys())
        sent[participant_key(sender)] += 1
    ranking = {
        key: (count, key not in connections, sent[key]) for key, count in taking_part.items()
    }
    return max(ranking, key=ranking.__getitem__, default="")


# Invitations.csv ----------------------------------------------------------------------

_DIRECTIONS = {"outgoing": "outbound", "sent": "outbound", "incoming": "inbound"}


def parse_invitations(data: bytes, path: str) -> ParseResult:
    """One message interaction per connection invitation, sent or received."""
    table = required_table(
        data, path, ("From", "To", "Sent At", "Direction"), "a LinkedIn Invitations.csv"
    )
    result = ParseResult(skipped=list(table.notes))
    for line, cells in table.rows:
        raw_direction = table.get(cells, "Direction")
        direction = _DIRECTIONS.get(raw_direction.lower())
        if direction is None:
            message = f"{raw_direction!r} is neither INCOMING nor OUTGOING"
            result.errors.append(RecordError(path, line, "Direction", message))
            continue
        when = _when(table, cells, "Sent At", line, result)
        if when is None:
            continue
        inviter = _person(table.get(cells, "From"), table.get(cells, "inviterProfileUrl"))
        invitee = _person(table.get(cells, "To"), table.get(cells, "inviteeProfileUrl"))
        other = invitee if direction == "outbound" else inviter
        text = one_line(table.get(cells, "Message"))
        summary = f"LinkedIn invitation: {text}"[:SUMMARY_LENGTH] if text else "LinkedIn invitation"
        external_id = f"invitation/{participant_key(inviter)}/{participant_key(invitee)}/{when:%Y-%m-%dT%H:%M:%SZ}"
        record = _message(path, line, external_id, when, summary)
        record.direction = direction
        record.participants = [other] if other.name or other.profile_url else []
        result.interactions.append(record)
    return result


# Positions.csv ------------------------------------------------------------------------


def parse_positions(data: bytes, path: str) -> LinkedInResult:
    """The export owner's own jobs; "Jan 2020" is read as 1 January 2020."""
    table = required_table(data, path, ("Company Name", "Title"), "a LinkedIn Positions.csv")
    result = LinkedInResult(skipped=list(table.notes))
    for line, cells in table.rows:
        company = one_line(table.get(cells, "Company Name"))
        title = one_line(table.get(cells, "Title"))
        if not company and not title:
            message = "neither a company nor a title"
            result.errors.append(RecordError(path, line, "Company Name", message))
            continue
        start, end = (
            _month(table, cells, name, line, result) for name in ("Started On", "Finished On")
        )
        result.my_positions.append(Position(company, title, start, end))
    return result


def _month(
    table: Table, cells: list[str], column: str, line: int, result: ParseResult
) -> dt.date | None:
    text = table.get(cells, column)
    if not text:
        return None
    try:
        return dt.date(int(text), 1, 1) if text.isdigit() else csv_text.parse_date(text)
    except ValueError:
        message = f"{text!r} is not a month like 'Jan 2020'"
        result.errors.append(RecordError(table.path, line, column, message))
        return None


# The export as a whole ----------------------------------------------------------------


_PARSERS: dict[str, Callable[[bytes, str], ParseResult]] = {
    "connections.csv": parse_connections,
    "messages.csv": parse_messages,
    "invitations.csv": parse_invitations,
    "positions.csv": parse_positions,
    "endorsement_received_info.csv": parse_endorsements,
    "recommendations_received.csv": parse_recommendations,
}


def parse_linkedin(path: Path) -> LinkedInResult:
    """Everything Kithkin reads from a LinkedIn export: its folder, its ZIP or one CSV."""
    if path.is_dir():
        # the export's own files, or one folder down (a ZIP unpacked into its own folder)
        found = sorted(p for p in (*path.glob("*"), *path.glob("*/*")) if is_csv(p))
        files = {p.name.lower(): (str(p), file_reader(p)) for p in reversed(found)}
        return _parse_export(str(path), files)
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError(str(path), f"not a readable ZIP archive ({exc})") from None
        with archive:
            return _parse_export(str(path), zip_members(archive, str(path)))
    if not path.is_file():
        raise ImportFileError(str(path), "no such file or folder")
    # One CSV, by its name; one LinkedIn did not give it ("messages (1).csv") by what it
    # says, else as Connections.csv.
    name, where = path.name.lower(), str(path)
    known, parser = next(
        ((known, p) for known, p in _PARSERS.items() if known[:-5] in name),
        ("connections.csv", parse_connections),
    )
    result = LinkedInResult()
    result.extend(parser(_bounded(known, file_reader(path)(), where), where))
    return result


def _bounded(name: str, data: bytes, where: str) -> bytes:
    """``data``, or ImportFileError when it has more lines than a real ``name`` can."""
    limit = MAX_LINES.get(name, MAX_LINES_OTHER)
    lines = data.count(b"\n") or data.count(b"\r")
    if lines > limit:
        raise TooLarge(
            where,
            f"{lines:,} lines: more than a LinkedIn {name} can hold (at most {limit:,} are "
            "read); not imported",
        )
    return data


def _parse_export(where: str, files: dict[str, tuple[str, Reader]]) -> LinkedInResult:
    """The known files of an export, by lower-cased name; connections first, so that
    messages can tell the owner from the connections."""
    if not any(name in files for name in _PARSERS):
        raise ImportFileError(
            where,
            "no Connections.csv, messages.csv, Invitations.csv, Positions.csv, "
            "Endorsement_Received_Info.csv or Recommendations_Received.csv in it: "
            "is this a LinkedIn data export?",
        )
    result = LinkedInResult()
    for name, parser in _PARSERS.items():
        if name not in files:
            continue
        path, read = files[name]
        try:
            data = _bounded(name, read(), path)
            if parser is parse_messages:
                part = parse_messages(data, path, result.contacts)
            else:
                part = parser(data, path)
        except TooLarge:
            raise
        except ImportFileError as exc:  # one unreadable file does not lose the others
            result.errors.append(RecordError(path, exc.line or 1, "file", exc.message))
            continue
        result.extend(part)
    return result
