"""Calendar variants written by real programs: floating EXDATEs on zoned series, events in a
zone that cannot be used, and quoted "mailto:" addresses. Re-created files live in
tests/importers/files/ics (see its README); real corpus files are read in place."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kithkin.importers.icalendar_events import parse_calendar
from kithkin.importers.records import ParseResult, Participant, RecordError

FILES = Path(__file__).parent / "files" / "ics"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ics"
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def parse(name: str, data: bytes | None = None, me: frozenset[str] = frozenset()) -> ParseResult:
    data = (FILES / name).read_bytes() if data is None else data
    return parse_calendar(data, name, my_addresses=me, until=UNTIL)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def corpus(name: str) -> bytes:
    if not CORPUS.is_dir():
        message = f"../shared/corpus is absent: {CORPUS} (the real files these tests read)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return (CORPUS / name).read_bytes()


def test_an_exdate_without_a_zone_excludes_the_occurrence_on_the_series_wall_clock() -> None:
    result = parse("exchange_exdate_without_tzid.ics", me=frozenset({"me@example.com"}))
    # Wednesdays at 10:00 in Berlin time (09:00 UTC in winter); 17 January is excluded.
    assert [r.occurred_at for r in result.interactions] == [
        utc(2024, 1, 10, 9),
        utc(2024, 1, 24, 9),
        utc(2024, 1, 31, 9),
    ]
    assert result.errors == []
    assert result.interactions[0].participants == [Participant("omar@example.com", "Omar Haddad")]


def test_a_real_series_with_its_exdates_written_without_the_zone() -> None:
    name = "icaljs_zimbra_recurring_meeting_exceptions.ics"
    real = corpus(name)
    floating = real.replace(b"EXDATE;TZID=America/Los_Angeles:", b"EXDATE:")
    assert floating != real
    for data in (real, floating):
        result = parse(name, data=data, me=frozenset({"calmozilla1@gmail.com"}))
        slots = {r.external_id.split("/")[1] for r in result.interactions}
        assert "2012-12-04T18:00:00+00:00" not in slots  # 10:00 in Los Angeles, excluded
        assert "2013-04-02T17:00:00+00:00" not in slots
        assert "2013-01-01T18:00:00+00:00" in slots
        assert len(result.interactions) == 161


def test_an_event_in_a_zone_that_cannot_be_used_is_reported_and_the_rest_imports() -> None:
    name = "one_event_in_a_bad_zone.ics"
    result = parse(name)
    assert [(r.external_id, r.occurred_at) for r in result.interactions] == [
        ("fine", utc(2024, 1, 7, 9))
    ]
    assert result.errors == [
        RecordError(
            name,
            12,
            "DTSTART",
            "time zone 'Custom Broken' has an invalid TZOFFSETTO '+9900': event left out",
        ),
        RecordError(name, 18, "DTSTART", "unknown time zone 'Mars/Olympus_Mons': event left out"),
    ]


def test_an_exdate_in_an_unknown_zone_reports_its_series() -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:s\r\n"
        b"DTSTART;TZID=Europe/Paris:20240101T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\n"
        b"EXDATE;TZID=Nowhere:20240102T100000\r\nORGANIZER:mailto:a@example.com\r\n"
        b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:t\r\nDTSTART:20240105T100000Z\r\n"
        b"ORGANIZER:mailto:b@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    result = parse("x.ics", data=data)
    assert [r.external_id for r in result.interactions] == ["t"]
    assert result.errors == [
        RecordError("x.ics", 3, "EXDATE", "unknown time zone 'Nowhere': event left out")
    ]


def test_quoted_mailto_addresses_are_read() -> None:
    result = parse("quoted_mailto_organizer.ics", me=frozenset({"me@example.com"}))
    (meeting,) = result.interactions
    assert meeting.participants == [
        Participant("dana@example.com", "Dana Price"),
        Participant("eli@example.com", "Eli Stone"),
    ]
    assert meeting.direction == "inbound" and result.errors == []
