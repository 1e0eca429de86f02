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

Postal addresses ("Address 1 - Formatted", else its parts) and chat handles ("IM 1 -
Service", "IM 1 - Value") are kept with their labels; a title without an organisation is
the contact's headline. Spreadsheet placeholders (``N/A``, ``-``, ``none``...) are no value
(csv_text.placeholder). A file another program wrote (Thunderbird's address book,
LinkedIn's connections) is refused, naming what it looks like.
"""

from __future__ import annotations

import re

from kithkin.importers.csv_text import (
    Table,
    chat_service,
    find_header,
    header_key,
    parse_birthday,
    placeholder,
    read_rows,
    real,
    refuse_other_formats,
    refuse_other_programs,
    table_at,
)
from kithkin.importers.outlook import parse_outlook_rows
from kithkin.importers.records import ContactRecord, ImportFileError, ParseResult, RecordError

SOURCE = "google"
SEPARATOR = " ::: "
WHAT = "a Google Contacts CSV export"
_NUMBERED = re.compile(r"(e-mail|phone|website|im|address) (\d+) - (value|formatted|street|city)")
# The parts of a postal address, one line each, in the order they are written.
_ADDRESS_PARTS = (
    "street",
    "extended address",
    "po box",
    "city",
    "region",
    "postal code",
    "country",
)
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
    refuse_other_formats(data, path)
    rows = read_rows(data, path)
    header = find_header(rows, lambda keys: bool(keys & (_LAYOUT_MARKS | _OUTLOOK_MARKS)), search=5)
    if header is None:
        for line, cells in rows.rows[:5]:
            keys = {header_key(cell) for cell in cells}
            refuse_other_programs(keys, path, line, WHAT, also=("an Outlook CSV export",))
        raise ImportFileError(
            path,
            "no 'First Name' / 'Name' and 'E-mail 1 - Value' columns: is this a Google "
            "Contacts CSV export?",
        )
    line, cells = rows.rows[header]
    keys = {header_key(cell) for cell in cells}
    refuse_other_programs(keys, path, line, WHAT, also=("an Outlook CSV export",))
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


Slots = dict[str, list[tuple[str, str]]]  # kind -> [(column prefix "phone 2 - ", label column)]


def _numbered_columns(table: Table) -> Slots:
    """kind -> [(column prefix, label column)] in number order, for every numbered slot."""
    found: dict[str, set[int]] = {
        kind: set() for kind in ("e-mail", "phone", "website", "im", "address")
    }
    for key in table.columns:
        match = _NUMBERED.fullmatch(key)
        if match:
            found[match[1]].add(int(match[2]))
    slots: Slots = {}
    for kind, numbers in found.items():
        slots[kind] = []
        for number in sorted(numbers):
            prefix = f"{kind} {number} - "
            label = prefix + ("label" if prefix + "label" in table.columns else "type")
            slots[kind].append((prefix, label))
    return slots


def _label(table: Table, cells: list[str], column: str) -> str:
    label = table.get(cells, column).lstrip("* ").strip().lower()
    return "" if label in _NO_LABEL else label


def _split(value: str) -> list[str]:
    return [
        part.strip() for part in value.split(SEPARATOR) if part.strip() and not placeholder(part)
    ]


def _values(table: Table, cells: list[str], slots: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(value, label) for each value of each numbered slot, split on " ::: "."""
    values = []
    for prefix, label_column in slots:
        label = _label(table, cells, label_column)
        values += [(value, label) for value in _split(table.get(cells, prefix + "value"))]
    return values


def _addresses(
    table: Table, cells: list[str], slots: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """(address, label): Google's own formatted text, else its parts one per line. Several
    addresses in one slot are joined by " ::: " in every column alike."""
    found = []
    for prefix, label_column in slots:
        labels = table.get(cells, label_column).split(SEPARATOR)
        formatted = table.get(cells, prefix + "formatted")
        if formatted:
            texts = [text.strip() for text in formatted.split(SEPARATOR)]
        else:
            parts = [table.get(cells, prefix + part).split(SEPARATOR) for part in _ADDRESS_PARTS]
            count = max(len(values) for values in parts)
            texts = [
                "\n".join(v[i].strip() for v in parts if i < len(v) and v[i].strip())
                for i in range(count)
            ]
        for index, text in enumerate(texts):
            if text and not placeholder(text):
                label = labels[index] if index < len(labels) else labels[0]
                label = label.lstrip("* ").strip().lower()
                found.append(("\n".join(line.strip() for line in text.splitlines()), label))
    return found


def _chats(
    table: Table, cells: list[str], slots: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """(handle, service, label) from "IM 1 - Value" and its "IM 1 - Service"; several
    handles in one slot have their services and labels joined by " ::: " in the same
    order ("AIM ::: Skype")."""
    found = []
    for prefix, label_column in slots:
        handles = table.get(cells, prefix + "value").split(SEPARATOR)
        services = table.get(cells, prefix + "service").split(SEPARATOR)
        labels = table.get(cells, label_column).split(SEPARATOR)
        for index, handle in enumerate(handles):
            if not handle.strip() or placeholder(handle):
                continue
            service = services[index] if index < len(services) else services[0]
            label = labels[index] if index < len(labels) else labels[0]
            label = label.lstrip("* ").strip().lower()
            found.append(
                (handle.strip(), chat_service(service), "" if label in _NO_LABEL else label)
            )
    return found


def _contact(
    table: Table, numbered: Slots, line: int, cells: list[str], result: ParseResult
) -> ContactRecord | None:
    def get(*names: str) -> str:
        return real(table.get(cells, *names))

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
        addresses=_addresses(table, cells, numbered["address"]),
        chats=_chats(table, cells, numbered["im"]),
        tags=_tags(table.get(cells, "Labels", "Group Membership")),
    )
    if contact.title and not contact.organization:  # a title alone says what they do
        contact.headline, contact.title = contact.title, ""
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
