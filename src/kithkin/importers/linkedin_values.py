"""LinkedIn's export, what it says of value received (the ledger), and how a person is
recognised across its files.

* ``Endorsement_Received_Info.csv`` and ``Recommendations_Received.csv`` -> value received:
  one endorsement (weight 1, the skill as description) per accepted endorsement, one
  recommendation (weight 3, its text) per visible or hidden one. Their external ids hash
  the giver (profile URL, else name) with the skill, or with the recommendation's date,
  so a re-import finds them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from kithkin import normalize
from kithkin.errors import InvalidInput
from kithkin.importers import csv_text
from kithkin.importers.csv_text import Table, one_line, required_table
from kithkin.importers.records import ParseResult, Participant, RecordError, ValueRecord

SOURCE = "linkedin"
ENDORSEMENT_WEIGHT = 1
RECOMMENDATION_WEIGHT = 3
DESCRIPTION_LENGTH = 1000
_SLASHED_DAY = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")  # 2023/06/05 15:47:58 UTC


def profile_key(url: str) -> str:
    """The canonical profile URL, or the URL as written when it is not one."""
    try:
        return normalize.url(url)[1]
    except InvalidInput:
        return url


def participant_key(person: Participant) -> str:
    """Who a participant is across files: their canonical profile URL, else their name."""
    if person.profile_url:
        return profile_key(person.profile_url)
    return "name:" + person.name.casefold()


# Endorsement_Received_Info.csv and Recommendations_Received.csv ------------------------


def _stable_id(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(part.casefold() for part in parts).encode()).hexdigest()
    return f"{kind}/{digest[:32]}"


def _day(
    table: Table, cells: list[str], column: str, line: int, result: ParseResult
) -> dt.date | None:
    """The UTC date of a LinkedIn date ("2023/06/05 15:47:58 UTC", "06/22/21", "2024-01-15")."""
    text = table.get(cells, column)
    try:
        return csv_text.parse_datetime(_SLASHED_DAY.sub(r"\1-\2-\3", text)).date()
    except ValueError:
        result.errors.append(RecordError(table.path, line, column, f"{text!r} is not a date"))
        return None


def _giver(table: Table, cells: list[str], first: str, last: str, url: str) -> Participant:
    name = " ".join(one_line(table.get(cells, c)).strip(" ,") for c in (first, last)).strip()
    link = table.get(cells, url).strip() if url else ""
    return Participant(name=name, profile_url=link)


def parse_endorsements(data: bytes, path: str) -> ParseResult:
    """One endorsement received per accepted row of Endorsement_Received_Info.csv."""
    table = required_table(
        data,
        path,
        ("Endorsement Date", "Skill Name", "Endorser First Name"),
        "a LinkedIn Endorsement_Received_Info.csv",
    )
    result = ParseResult(skipped=list(table.notes))
    for line, cells in table.rows:
        status = table.get(cells, "Endorsement Status").strip().upper()
        if status and status != "ACCEPTED":
            result.skipped.append(
                RecordError(path, line, "Endorsement Status", f"{status.lower()}, not accepted")
            )
            continue
        giver = _giver(
            table, cells, "Endorser First Name", "Endorser Last Name", "Endorser Public Url"
        )
        if not (giver.name or giver.profile_url):
            result.errors.append(RecordError(path, line, "Endorser First Name", "no endorser"))
            continue
        day = _day(table, cells, "Endorsement Date", line, result)
        if day is None:
            continue
        skill = one_line(table.get(cells, "Skill Name"))
        result.values.append(
            ValueRecord(
                source=SOURCE,
                path=path,
                line=line,
                external_id=_stable_id("endorsement", participant_key(giver), skill),
                kind="endorsement",
                occurred_on=day,
                description=skill,
                giver=giver,
                weight=ENDORSEMENT_WEIGHT,
            )
        )
    return result


def parse_recommendations(data: bytes, path: str) -> ParseResult:
    """One recommendation received per visible (or hidden) row of
    Recommendations_Received.csv; LinkedIn gives the recommender's name, not their URL."""
    table = required_table(
        data,
        path,
        ("First Name", "Last Name", "Text", "Creation Date"),
        "a LinkedIn Recommendations_Received.csv",
    )
    result = ParseResult(skipped=list(table.notes))
    for line, cells in table.rows:
        status = table.get(cells, "Status").strip().upper()
        if status and status not in {"VISIBLE", "HIDDEN"}:
            result.skipped.append(RecordError(path, line, "Status", f"{status.lower()}"))
            continue
        giver = _giver(table, cells, "First Name", "Last Name", "")
        if not giver.name:
            result.errors.append(RecordError(path, line, "First Name", "no recommender"))
            continue
        day = _day(table, cells, "Creation Date", line, result)
        if day is None:
            continue
        text = one_line(table.get(cells, "Text"))
        if len(text) > DESCRIPTION_LENGTH:
            text = text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
        result.values.append(
            ValueRecord(
                source=SOURCE,
                path=path,
                line=line,
                external_id=_stable_id("recommendation", participant_key(giver), day.isoformat()),
                kind="recommendation",
                occurred_on=day,
                description=text,
                giver=giver,
                weight=RECOMMENDATION_WEIGHT,
            )
        )
    return result
