"""iCalendar import: real files from ../shared/corpus/ics read in place, and small made-up ones."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kithkin.importers.icalendar_events import MAX_OCCURRENCES, parse_calendar
from kithkin.importers.records import ImportFileError, ParseResult, Participant, RecordError

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
ICS = sorted((CORPUS / "ics").glob("*.ics"))
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOBODY: frozenset[str] = frozenset()


@pytest.fixture(autouse=True)
def corpus() -> Path:
    if not (CORPUS / "ics").is_dir():
        message = f"../shared/corpus is absent: {CORPUS} (the real files these tests read)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CORPUS / "ics"


def parse(
    name: str, me: frozenset[str] = NOBODY, until: dt.datetime = UNTIL, data: bytes | None = None
) -> ParseResult:
    """Parse a corpus file (or `data` in its place) as if it were that file."""
    data = (CORPUS / "ics" / name).read_bytes() if data is None else data
    return parse_calendar(data, name, my_addresses=me, until=until)


def with_guest(name: str) -> bytes:
    """The real bytes with one guest added to every event: many real files have events
    with nobody else in them, which are not interactions, yet their times are worth testing."""
    data = (CORPUS / "ics" / name).read_bytes()
    return re.sub(rb"(BEGIN:VEVENT\r?\n)", rb"\1ATTENDEE;CN=Guest:mailto:guest@example.org\n", data)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def calendar(*lines: str) -> bytes:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", *lines, "END:VCALENDAR", ""]).encode()


def event(*lines: str, uid: str = "u1") -> list[str]:
    return ["BEGIN:VEVENT", f"UID:{uid}", *lines, "END:VEVENT"]


def test_the_corpus_has_its_fifteen_calendars() -> None:
    assert len(ICS) == 15


@pytest.mark.parametrize("path", ICS, ids=[p.name for p in ICS])
def test_every_real_calendar_parses_into_sound_records(path: Path) -> None:
    for me in (NOBODY, frozenset({"calmozilla1@gmail.com", "b@example.com"})):
        try:
            result = parse_calendar(path.read_bytes(), path.name, my_addresses=me, until=UNTIL)
        except ImportFileError:
            continue
        ids = [record.external_id for record in result.interactions]
        assert len(ids) == len(set(ids)), "external ids must be unique within a file"
        for record in result.interactions:
            assert record.occurred_at.utcoffset() == dt.timedelta(0)
            assert record.occurred_at <= UNTIL
            assert record.external_id and len(record.external_id) <= 500
            assert record.line >= 1 and record.source == "calendar"
            assert record.participants and not any(p.email in me for p in record.participants)
        assert all(entry.line >= 1 for entry in result.skipped + result.errors)


@pytest.mark.parametrize("path", ICS, ids=[p.name for p in ICS])
def test_parsing_twice_gives_the_same_records(path: Path) -> None:
    first = parse_calendar(with_guest(path.name), path.name, my_addresses=NOBODY, until=UNTIL)
    again = parse_calendar(with_guest(path.name), path.name, my_addresses=NOBODY, until=UNTIL)
    assert [r.external_id for r in first.interactions] == [
        r.external_id for r in again.interactions
    ]
    assert first == again


def test_an_organizer_with_a_quoted_comma_and_an_umlaut_in_a_bare_vevent() -> None:
    (record,) = parse("icalendar_bare_vevent_umlaut_organizer.ics").interactions
    assert record.participants == [Participant(email="adm-acme@mydomain.de", name="acme, ädmin")]
    assert (record.line, record.direction, record.kind) == (1, "inbound", "meeting")
    assert record.summary == "wichtiger termin 1"
    assert record.occurred_at == utc(2013, 4, 16, 10)
    assert record.external_id == "20130416112341.10064jz0k4j7uem8@acmenet.de"


def test_my_own_meeting_with_nobody_else_is_no_interaction() -> None:
    result = parse(
        "icalendar_bare_vevent_umlaut_organizer.ics", me=frozenset({"ADM-acme@mydomain.de"})
    )
    assert result.interactions == []
    assert result.skipped == [
        RecordError(
            "icalendar_bare_vevent_umlaut_organizer.ics", 1, "ATTENDEE", "no other participants"
        )
    ]


def test_an_all_day_blackberry_invitation_happens_at_noon_of_its_date() -> None:
    (record,) = parse(
        "icalendar_blackberry_meeting_request_allday.ics", me=frozenset({"rembrand@xs4all.nl"})
    ).interactions
    assert record.occurred_at == utc(2012, 8, 14, 12)  # no X-WR-TIMEZONE: noon UTC
    assert record.line == 5 and record.direction == "inbound"
    assert record.participants == [  # the organizer is also an attendee, with a name
        Participant(email="rembrand@daxlab.com", name="RembrandDX"),
        Participant(email="rembspam@xs4all.nl", name="RembrandSB"),
    ]


def test_an_all_day_series_with_an_hourly_rule_meets_once_a_day() -> None:
    """Found by Hypothesis: hourly slots of an all-day series fell on the same date and
    gave the same external id, which the database then refused."""
    data = calendar(
        *event(
            "DTSTART;VALUE=DATE:20240102",
            "RRULE:FREQ=HOURLY;COUNT=60",
            "ATTENDEE;CN=Guest:mailto:guest@example.org",
        )
    )
    records = parse("allday.ics", data=data).interactions
    ids = [record.external_id for record in records]
    assert ids == ["u1/2024-01-02", "u1/2024-01-03", "u1/2024-01-04"]


def test_a_bom_and_an_empty_calendar_is_no_error() -> None:
    assert parse("icalendar_bom_empty_calendar.ics") == ParseResult()


def test_exchange_pacific_standard_time_is_converted_to_utc() -> None:
    (record,) = parse(
        "icalendar_exchange2010_timezone.ics",
        data=with_guest("icalendar_exchange2010_timezone.ics"),
    ).interactions
    assert record.occurred_at == utc(2017, 2, 24, 20)  # 12:00 PST
    assert record.summary == "Test 4" and record.line == 20


def test_events_without_anyone_else_are_skipped_with_their_line() -> None:
    assert parse("icalendar_exchange2010_timezone.ics").skipped == [
        RecordError("icalendar_exchange2010_timezone.ics", 20, "ATTENDEE", "no other participants")
    ]
    result = parse("icalendar_google_event_alarm_attendee.ics")  # only an alarm has an ATTENDEE
    assert result.interactions == [] and [s.line for s in result.skipped] == [26]


def test_a_cdo_daily_standup_with_a_custom_tzid_and_a_sloppy_rrule() -> None:
    name = "icalendar_exchange_cdo_recurring_custom_tzid.ics"
    result = parse(name, data=with_guest(name))
    starts = [r.occurred_at for r in result.interactions]
    assert len(starts) == 14 and result.errors == []  # weekdays from 3 to 22 July 2015
    assert starts[0] == utc(2015, 7, 3, 8) and starts[-1] == utc(2015, 7, 22, 8)  # 10:00 CEST
    assert {s.weekday() for s in starts} == {0, 1, 2, 3, 4}
    assert all(r.external_id.startswith("no-uid-") for r in result.interactions)  # no UID in it


def test_thunderbird_europe_london_in_summer_time() -> None:
    name = "icalendar_thunderbird_recurring_alarms.ics"
    (record,) = parse(name, data=with_guest(name)).interactions
    assert record.occurred_at == utc(2024, 10, 23, 14) and record.line == 603


def test_google_birthdays_are_no_meetings() -> None:
    result = parse("icaljs_google_birthdays_allday.ics")
    assert result.interactions == []
    assert [(s.line, s.message) for s in result.skipped] == [
        (line, "no other participants") for line in (8, 27, 48, 69)
    ]


def test_google_all_day_events_use_the_calendar_time_zone() -> None:
    name = "icaljs_google_birthdays_allday.ics"
    result = parse(name, data=with_guest(name))
    series = [r for r in result.interactions if r.external_id.startswith("2014_BIRTHDAY")]
    # RRULE COUNT=1 plus two RDATEs written "20131210Z" (a date with a stray Z)
    assert [r.occurred_at for r in series] == [utc(y, 12, 10, 20) for y in (2012, 2013, 2014)]
    assert series[0].external_id == "2014_BIRTHDAY_79d389868f96182e@google.com/2012-12-10"


def test_a_zimbra_series_with_rdates_exdates_and_moved_occurrences() -> None:
    name = "icaljs_zimbra_recurring_meeting_exceptions.ics"
    result = parse(name, me=frozenset({"calmozilla1@gmail.com"}))
    by_id = {r.external_id.split("/")[1]: r for r in result.interactions}
    # first Tuesdays, Oct 2012 - Dec 2025: 159, minus 3 EXDATEs, plus 5 RDATEs
    assert len(result.interactions) == 161 and result.skipped == result.errors == []
    assert "2012-12-04T18:00:00+00:00" not in by_id  # EXDATE
    assert "2013-01-01T18:00:00+00:00" in by_id
    moved = by_id["2012-10-02T17:00:00+00:00"]  # RECURRENCE-ID 10:00 PDT, moved to 15:00
    assert moved.occurred_at == utc(2012, 10, 2, 22) and moved.line == 59
    moved = by_id["2012-11-05T18:00:00+00:00"]  # an RDATE slot, moved to the next evening
    assert moved.occurred_at == utc(2012, 11, 7, 4) and moved.line == 79
    assert by_id["2023-11-25T09:00:00+00:00"].occurred_at == utc(2023, 11, 25, 9)  # PERIOD
    regular = by_id["2025-12-02T18:00:00+00:00"]
    assert (regular.line, regular.direction, regular.summary) == (
        24,
        "inbound",
        "Crazy Event Thingy!",
    )
    assert regular.participants == [
        Participant(email="jlal@mozilla.com", name="James Lal"),
        Participant(email="james@lightsofapollo.com"),  # CN was the address itself
        Participant(email="iam.revelation@gmail.com"),
    ]


def test_a_series_i_declined_is_skipped_but_not_its_moved_occurrences() -> None:
    name = "icaljs_zimbra_recurring_meeting_exceptions.ics"
    data = (CORPUS / "ics" / name).read_bytes().replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DECLINED")
    result = parse(name, me=frozenset({"calmozilla1@gmail.com"}), data=data)
    assert result.skipped == [RecordError(name, 24, "PARTSTAT", "declined")]
    assert [r.line for r in result.interactions] == [59, 79]  # they do not list me


def test_itip_messages_keep_the_latest_version_of_each_event() -> None:
    name = "libical_itip_incoming.ics"
    result = parse(name)
    assert [(r.line, r.summary) for r in result.interactions] == [
        (7, "Conference"), (55, "Pool party"), (137, "Conference"), (246, "Conference"), (263, "Conference"),
    ]  # fmt: skip
    assert [(s.line, s.field) for s in result.skipped if s.field == "METHOD"] == [
        (104, "METHOD"),
        (120, "METHOD"),
        (159, "METHOD"),
        (175, "METHOD"),
        (191, "METHOD"),
        (227, "METHOD"),
    ]  # fmt: skip  (REPLY x5, COUNTER)
    superseded = {s.line: s.message for s in result.skipped if s.field == "SEQUENCE"}
    assert superseded == dict.fromkeys((31, 79, 207), "superseded by the version at line 55")
    assert result.interactions[0].participants == [  # no room, no non-participant
        Participant("b@example.com", "B"),
        Participant("a@example.com", "BIG A"),
        Participant("c@example.com", "C"),
        Participant("d@example.com", "Hal"),
    ]


def test_rfc2446_cancellations_and_long_series() -> None:
    name = "libical_rfc2446_itip_examples.ics"
    result = parse(name, me=frozenset({"b@example.com"}))
    assert RecordError(name, 546, "METHOD", "cancelled") in result.skipped
    assert RecordError(name, 562, "STATUS", "cancelled") in result.skipped  # its series is
    weekly = [r for r in result.interactions if r.external_id.startswith("123456@example.com/")]
    assert len(weekly) == MAX_OCCURRENCES and weekly[-1].occurred_at == utc(2025, 12, 30, 20)
    assert (
        RecordError(
            name,
            377,
            "RRULE",
            "kept the latest 500 occurrences of this series, 988 earlier ones left out",
        )
        in result.skipped
    )
    assert {r.direction for r in weekly} == {"outbound"}  # I am B, the organizer
    assert weekly[0].participants == [Participant("c@example.com"), Participant("d@example.com")]
    assert result.errors == []


def test_davx5_daily_series_with_exdates_and_overrides_up_to_until() -> None:
    name = "radicale_davx5_ical4j_many_timezones.ics"
    result = parse(name, until=utc(2024, 2, 1), data=with_guest(name))
    by_slot = {r.external_id.removeprefix("event_issue1812/"): r for r in result.interactions}
    # 396 days from 1 Jan 2023 to 31 Jan 2024, minus the EXDATEs of 22 Dec, 12 and 26 Jan
    assert len(by_slot) == 393 and result.skipped == []
    assert "2023-12-22T18:00:00+00:00" not in by_slot and "2024-01-26T18:00:00+00:00" not in by_slot
    assert by_slot["2024-01-13T18:00:00+00:00"].occurred_at == utc(2024, 1, 13, 18, 30)
    assert by_slot["2023-12-27T18:00:00+00:00"].occurred_at == utc(2023, 12, 27, 20, 30)
    assert by_slot["2023-06-01T17:00:00+00:00"].occurred_at == utc(2023, 6, 1, 17)  # 18:00 BST


def test_a_series_longer_than_the_limit_keeps_its_latest_occurrences() -> None:
    name = "radicale_davx5_ical4j_many_timezones.ics"
    result = parse(name, data=with_guest(name))
    assert len(result.interactions) == MAX_OCCURRENCES
    assert result.interactions[-1].occurred_at == utc(2025, 12, 31, 18)
    assert [s.field for s in result.skipped] == ["RRULE"]


def test_thunderbird_meeting_as_attendee_and_as_organizer() -> None:
    name = "radicale_thunderbird_meeting_recurring.ics"
    (record,) = parse(name).interactions
    assert record.occurred_at == utc(2013, 9, 1, 16) and record.direction == "inbound"
    assert [p.name for p in record.participants] == ["", "Jane Doe", "John Doe"]
    (mine,) = parse(name, me=frozenset({"unclesam@example.com"})).interactions
    assert mine.direction == "outbound"
    assert [p.email for p in mine.participants] == ["janedoe@example.com", "johndoe@example.com"]


@pytest.mark.parametrize(
    ("name", "instant"),
    [
        ("vobject_outlook12_8bit_tzid.ics", utc(2008, 5, 30, 9)),  # "Екатеринбург", +06:00
        ("vobject_outlook12_windows_tzid.ics", utc(2008, 5, 30, 5)),  # "Canberra, ...", +10:00
    ],
)
def test_outlook_tzids_defined_in_the_file(name: str, instant: dt.datetime) -> None:
    (record,) = parse(name, data=with_guest(name)).interactions
    assert record.occurred_at == instant


def test_a_windows_zone_name_without_vtimezone_maps_to_iana() -> None:
    data = calendar(
        *event("DTSTART;TZID=W. Europe Standard Time:20240701T100000", "ATTENDEE:mailto:x@example.org", uid="summer"),
        *event("DTSTART;TZID=\"W. Europe Standard Time\":20240115T100000", "ATTENDEE:mailto:x@example.org", uid="winter"),
    )  # fmt: skip
    result = parse_calendar(data, "w.ics", my_addresses=NOBODY, until=UNTIL)
    assert [r.occurred_at for r in result.interactions] == [utc(2024, 7, 1, 8), utc(2024, 1, 15, 9)]


def test_a_zone_defined_in_one_file_does_not_leak_into_the_next() -> None:
    def file_with(offset: str) -> bytes:
        zone = ["BEGIN:VTIMEZONE", "TZID:Home Office", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                f"TZOFFSETFROM:{offset}", f"TZOFFSETTO:{offset}", "END:STANDARD", "END:VTIMEZONE"]  # fmt: skip
        return calendar(
            *zone,
            *event("DTSTART;TZID=Home Office:20240301T120000", "ATTENDEE:mailto:x@example.org"),
        )

    east = parse_calendar(file_with("+0500"), "east.ics", my_addresses=NOBODY, until=UNTIL)
    west = parse_calendar(file_with("-0300"), "west.ics", my_addresses=NOBODY, until=UNTIL)
    assert east.interactions[0].occurred_at == utc(2024, 3, 1, 7)
    assert west.interactions[0].occurred_at == utc(2024, 3, 1, 15)


def test_a_broken_alarm_does_not_cost_the_whole_calendar() -> None:
    alarm = ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:soon", "DTSTART:garbage", "END:VALARM"]
    data = calendar(*event("DTSTART:20240301T100000Z", "ATTENDEE:mailto:x@example.org", *alarm))
    (record,) = parse_calendar(data, "a.ics", my_addresses=NOBODY, until=UNTIL).interactions
    assert record.occurred_at == utc(2024, 3, 1, 10)


def test_floating_times_are_utc_and_future_events_are_left_out_silently() -> None:
    data = calendar(
        *event("DTSTART:20240301T100000", "SUMMARY:Floating", "ATTENDEE:mailto:x@example.org", uid="now"),
        *event("DTSTART:20270301T100000", "SUMMARY:Later", "ATTENDEE:mailto:x@example.org", uid="later"),
    )  # fmt: skip
    result = parse_calendar(data, "f.ics", my_addresses=NOBODY, until=UNTIL)
    assert [(r.summary, r.occurred_at) for r in result.interactions] == [
        ("Floating", utc(2024, 3, 1, 10))
    ]
    assert result.skipped == []


def test_video_calls_cancelled_and_declined_events() -> None:
    me = frozenset({"me@example.com"})
    data = calendar(
        *event("DTSTART:20240301T100000Z", "LOCATION:https://us02web.zoom.us/j/123", "ATTENDEE:mailto:x@example.org", uid="zoom"),
        *event("DTSTART:20240302T100000Z", "DESCRIPTION:Join: https://meet.google.com/abc-defg-hij", "ATTENDEE:mailto:x@example.org", uid="meet"),
        *event("DTSTART:20240303T100000Z", "STATUS:CANCELLED", "ATTENDEE:mailto:x@example.org", uid="off"),
        *event("DTSTART:20240304T100000Z", "ATTENDEE;PARTSTAT=DECLINED:mailto:ME@example.com", "ATTENDEE:mailto:x@example.org", uid="no"),
        *event("DTSTART:20240305T100000Z", "ATTENDEE;PARTSTAT=DECLINED:mailto:y@example.org", "ATTENDEE:mailto:x@example.org", uid="y-no"),
    )  # fmt: skip
    result = parse_calendar(data, "v.ics", my_addresses=me, until=UNTIL)
    assert [(r.external_id, r.kind) for r in result.interactions] == [
        ("zoom", "video"),
        ("meet", "video"),
        ("y-no", "meeting"),
    ]
    assert result.interactions[-1].participants == [Participant("x@example.org")]  # y declined
    assert [(s.line, s.field, s.message) for s in result.skipped] == [
        (15, "STATUS", "cancelled"),
        (21, "PARTSTAT", "declined"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n",
        b"\xef\xbb\xbf",
        b"hello, world",
        b"\x00\x01\xff\xfe",
        b"BEGIN:VCARD\r\nEND:VCARD\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n",
    ],
    ids=["empty", "blank", "bom-only", "text", "binary", "vcard", "truncated"],
)
def test_files_that_are_not_calendars_raise_import_file_error(data: bytes) -> None:
    with pytest.raises(ImportFileError, match=r"x\.ics"):
        parse_calendar(data, "x.ics", my_addresses=NOBODY, until=UNTIL)


FRAGMENTS = [
    "BEGIN:VEVENT", "END:VEVENT", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "BEGIN:STANDARD", "END:STANDARD",
    "TZID:Custom", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "DTSTART:16010101T020000",
    "UID:a", "UID:b", "SEQUENCE:2", "SEQUENCE:x", "STATUS:CANCELLED", "METHOD:REPLY", "METHOD:CANCEL",
    "DTSTART:20240101T100000Z", "DTSTART;VALUE=DATE:20240102", "DTSTART:20240103T100000",
    "DTSTART;TZID=Europe/Paris:20240104T100000", "DTSTART;TZID=Custom:20240105T100000",
    "DTSTART;TZID=Pacific Standard Time:20240106T100000", "DTSTART:garbage", "DTSTART:99991231T235959Z",
    "RRULE:FREQ=DAILY;COUNT=3", "RRULE:FREQ=WEEKLY;UNTIL=20240301", "RRULE:FREQ=HOURLY",
    "RRULE:FREQ=MONTHLY;BYDAY=MO, TU", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "RRULE:nonsense",
    "RRULE:FREQ=SECONDLY;UNTIL=20240101T100010Z", "RDATE:20240110T100000Z", "RDATE:20131210Z",
    "RDATE;VALUE=PERIOD:20240111T100000Z/PT1H", "EXDATE:20240102T100000Z", "EXDATE;VALUE=DATE:20240103",
    "RECURRENCE-ID:20240102T100000Z", "RECURRENCE-ID;VALUE=DATE:20240102", "RECURRENCE-ID:bad",
    "ORGANIZER;CN=Org:mailto:org@example.com", "ORGANIZER:mailto:me@example.com",
    "ATTENDEE;CN=\"A, B\":mailto:a@example.com", "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com",
    "ATTENDEE;CUTYPE=ROOM:mailto:room@example.com", "ATTENDEE:urn:uuid:1234", "ATTENDEE:mailto:x@virtual",
    "ATTENDEE:", "SUMMARY:Lunch", "SUMMARY;LANGUAGE=de:Mittag", "LOCATION:https://zoom.us/j/1", " folded",
    "X-WR-TIMEZONE:America/New_York", "X-WR-TIMEZONE:Nowhere", "BEGIN:VALARM", "END:VALARM", "",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_nothing_but_import_file_error(data: bytes) -> None:
    check_fuzzed(data)


FRAGMENT = st.sampled_from(FRAGMENTS)
EVENT = st.lists(FRAGMENT, max_size=12).map(lambda lines: ["BEGIN:VEVENT", *lines, "END:VEVENT"])
PIECES = st.lists(st.one_of(EVENT, EVENT, FRAGMENT.map(lambda line: [line])), max_size=8)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PIECES, st.sampled_from(["\r\n", "\n"]))
def test_calendar_shaped_text_raises_nothing_but_import_file_error(
    pieces: list[list[str]], newline: str
) -> None:
    lines = [line for piece in pieces for line in piece]
    check_fuzzed(newline.join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR", ""]).encode())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_real_calendars_with_lines_dropped_or_repeated(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(ICS))
    lines = path.read_bytes().split(b"\n")
    for _ in range(data.draw(st.integers(1, 6))):
        if not lines:
            break
        index = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            del lines[index]
        else:
            lines.insert(index, lines[data.draw(st.integers(0, len(lines) - 1))])
    check_fuzzed(b"\n".join(lines))


def check_fuzzed(data: bytes) -> None:
    try:
        result = parse_calendar(
            data, "fuzz.ics", my_addresses=frozenset({"me@example.com"}), until=UNTIL
        )
    except ImportFileError:
        return
    ids = [r.external_id for r in result.interactions]
    assert len(ids) == len(set(ids))
    for record in result.interactions:
        assert record.occurred_at.tzinfo is not None and record.occurred_at <= UNTIL
        assert record.external_id and record.line >= 1 and record.participants
