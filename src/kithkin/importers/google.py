"""Google Contacts CSV export, in both of Google's layouts, read by header name:

* current (2021+): First Name, Middle Name, Last Name, ..., Organization Name,
  Organization Title, Birthday, Notes, Labels, "E-mail 1 - Label", "E-mail 1 - Value" ...
* legacy "Google CSV": Name, Given Name, Additional Name, Family Name, ..., Group
  Membership, "E-mail 1 - Type", "E-mail 1 - Value", "Organization 1 - Name" ...

Google's legacy "Outlook CSV" flavour has Outlook's headers and goes to outlook.py.

Numbered columns ("Phone 7 - Value") come and go with the data, so they are found by
pattern. A cell may hold several values joined by " ::: "; a label "* Home" marks the
primary value. Groups ("* myContacts ::: Friends") become tags, without the system groups
myContacts and starred. A contact with no name at all is called by its nickname,
organisation, first e-mail or first phone, as Google itself lists it.
"""

from __future__ import annotations

import re

from kithkin.importers.csv_text import (
    Table,
    find_header,
    header_key,
    one_line,
    parse_birthday,
    read_rows,
    table_at,
)
from kithkin.importers.outlook import parse_outlook_rows
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError

SOURCE = "google"
SEPARATOR = " ::: "
_NUMBERED = re.compile(r"(e-mail|phone|website) (\d+) - value")
_SYSTEM_GROUPS = {"mycontacts", "my contacts", "starred"}
_NO_LABEL = {"", "internet", "x-internet"}
_LAYOUT_MARKS = {
    "given name",
    "group membership",
    "labels",
    "e-mail 1 - value",
    "organization name",
}
_OUTLOOK_MARKS = {"e-mail address", "job title", "categories"}


def parse_google_csv(data: bytes, path: str) -> ParseResult:
    """Contacts from a Google Contacts CSV export (current, legacy or Outlook flavour)."""
    rows = read_rows(data, path)
    header = find_header(rows, lambda keys: bool(keys & (_LAYOUT_MARKS | _OUTLOOK_MARKS)), search=5)
    if header is None:
        raise ImportFileError(
            path,
            "no 'First Name' / 'Name' and 'E-mail 1 - Value' columns: is this a Google "
            "Contacts CSV export?",
        )
    keys = {header_key(cell) for cell in rows.rows[header][1]}
    if not keys & _LAYOUT_MARKS:
        return parse_outlook_rows(data, path, source=SOURCE)
    table = table_at(rows, header)
    numbered = _numbered_columns(table)
    result = ParseResult(skipped=list(table.notes))
    for line, cells in table.rows:
        contact = _contact(table, numbered, line, cells, result)
        if contact is not None:
            result.contacts.append(contact)
    return result


def _numbered_columns(table: Table) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(value column, label column)] in number order."""
    found: dict[str, list[tuple[int, str, str]]] = {"e-mail": [], "phone": [], "website": []}
    for key in table.columns:
        match = _NUMBERED.fullmatch(key)
        if match:
            kind, number = match[1], match[2]
            label = (
                f"{kind} {number} - label"
                if f"{kind} {number} - label" in table.columns
                else f"{kind} {number} - type"
            )
            found[kind].append((int(number), key, label))
    return {
        kind: [(value, label) for _, value, label in sorted(slots)] for kind, slots in found.items()
    }


def _values(table: Table, cells: list[str], slots: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, label) for each value of each numbered slot, split on " ::: "."""
    values = []
    for value_column, label_column in slots:
        label = table.get(cells, label_column).lstrip("* ").strip().lower()
        label = "" if label in _NO_LABEL else label
        values += [
            (value.strip(), label)
            for value in table.get(cells, value_column).split(SEPARATOR)
            if value.strip()
        ]
    return values


def _contact(
    table: Table,
    numbered: dict[str, list[tuple[str, str]]],
    line: int,
    cells: list[str],
    result: ParseResult,
) -> ContactRecord | None:
    def get(*names: str) -> str:
        return one_line(table.get(cells, *names))

    given, middle, family = (
        get("First Name", "Given Name"),
        get("Middle Name", "Additional Name"),
        get("Last Name", "Family Name"),
    )
    contact = ContactRecord(
        source=SOURCE,
        path=table.path,
        line=line,
        full_name=get("Name") or " ".join(part for part in (given, middle, family) if part),
        given_name=" ".join(part for part in (given, middle) if part),
        family_name=family,
        nickname=get("Nickname"),
        organization=get("Organization Name", "Organization 1 - Name"),
        title=get("Organization Title", "Organization 1 - Title"),
        notes=table.get(cells, "Notes"),
        location=", ".join(
            part for part in (get("Address 1 - City"), get("Address 1 - Country")) if part
        ),
        emails=_values(table, cells, numbered["e-mail"]),
        phones=_values(table, cells, numbered["phone"]),
        urls=[url for url, _ in _values(table, cells, numbered["website"])],
        tags=_tags(table.get(cells, "Labels", "Group Membership")),
    )
    if not contact.full_name:
        firsts = [contact.nickname, get("File As"), contact.organization]
        firsts += [value for value, _ in contact.emails[:1] + contact.phones[:1]]
        contact.full_name = next((name for name in firsts if name), "")
    if not contact.full_name:
        message = "no name, organisation, e-mail or phone: nothing to call this contact by"
        result.errors.append(RecordError(table.path, line, "Name", message))
        return None
    birthday = table.get(cells, "Birthday")
    try:
        contact.birthday = parse_birthday(birthday)
    except ValueError:
        message = f"{birthday!r} is not a date; {contact.full_name} is imported without it"
        result.errors.append(RecordError(table.path, line, "Birthday", message))
    return contact


def _tags(groups: str) -> list[str]:
    tags = []
    for group in groups.split(SEPARATOR):
        name = group.strip().removeprefix("* ").strip()
        if name and name.lower() not in _SYSTEM_GROUPS and name not in tags:
            tags.append(name)
    return tags
