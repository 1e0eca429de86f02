"""iCalendar (.ics) files -> meetings: one InteractionRecord per occurrence with someone.

icalendar reads the file and dateutil expands recurrences; this module decides:

- What counts: a VEVENT with someone other than me (attendee or organizer), not cancelled,
  not declined by me, starting by ``until`` (later ones: left out silently). Not people I
  met: rooms, resources, groups, NON-PARTICIPANTs, attendees who declined or delegated,
  addresses without a dotted domain (Google birthdays invite "Contacts" at ``@virtual``).
  iTIP answers (REPLY, COUNTER...) are not events.
- Time zones, per VCALENDAR: an IANA name (also the tail of ``/vendor/.../Europe/Paris``),
  a Windows name ("W. Europe Standard Time", icalendar's CLDR table), the file's own
  VTIMEZONE (Outlook's "Canberra, Melbourne, Sydney"). Resolved here, not by icalendar's
  process-wide cache of file zones, so no file shapes another file's times. An event in a
  zone none of these names, or in a VTIMEZONE with an impossible offset (which icalendar
  would refuse the whole file for), is reported and left out; the rest imports.
- Floating times (no TZID, no Z) are UTC: the file does not say where they happen. But a
  floating RDATE or EXDATE of a zoned series is on the series' wall clock (Exchange).
  All-day events happen at noon of their date in the calendar's X-WR-TIMEZONE (else UTC):
  the date stays the same wherever within 12 hours it is shown.
- Series are expanded up to ``until`` (RRULE, RDATE, EXDATE; a RECURRENCE-ID override
  replaces its slot), keeping the latest MAX_OCCURRENCES: the latest meeting dates a
  check-in. external_id: a single event's UID; ``UID/<slot>`` for an occurrence, the slot
  being the start it was scheduled at (ISO in UTC; a date in all-day series), so moving
  one meeting updates the same interaction.
- Bounded work: dateutil stops at UNTIL only once an occurrence passes it, so a rule that
  never matches (BYMONTHDAY=30 in February) runs to the year 9999. Here every period it
  examines is charged to a budget per file (EXPANSION_BUDGET, with every slot it yields)
  and a rule ends after `until` whether it matched or not; a rule with no date at all
  (none up to NEVER_AFTER past `until`) is reported, a series that overspends the budget
  is reported and left out, and rules repeating every second or minute (no meeting does)
  are ignored.
- One UID (and RECURRENCE-ID) several times in a file (iTIP folders): the highest SEQUENCE,
  then DTSTAMP, then the later one wins; the others are skipped as superseded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import re
import zoneinfo
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import dateutil.rrule
import icalendar
from dateutil.rrule import rrule, rrulestr
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from kithkin.importers.records import (
    ImportFileError,
    InteractionRecord,
    ParseResult,
    Participant,
    RecordError,
)
from kithkin.importers.recurrence import (
    EXPANSION_BUDGET,
    NEVER_AFTER,
    Examined,
    ExaminedRule,
    PastWindow,
    Spent,
)

UTC = dt.UTC
MAX_OCCURRENCES = 500  # per series, the latest up to `until`
NOT_MEETINGS = {"SECONDLY": "second", "MINUTELY": "minute"}  # rules no meeting follows
NOT_EVENTS = frozenset({"REPLY", "COUNTER", "DECLINECOUNTER", "REFRESH"})
NOT_PEOPLE = frozenset({"ROOM", "RESOURCE", "GROUP"})
ABSENT = frozenset({"DECLINED", "DELEGATED"})
ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
VIDEO_URL = re.compile(
    r"https?://([\w-]+\.)*(meet\.google\.com|zoom\.us|zoom\.com|teams\.microsoft\.com"
    r"|teams\.live\.com|webex\.com|whereby\.com|meet\.jit\.si)\b",
    re.IGNORECASE,
)
VIDEO_PROPERTIES = ("CONFERENCE", "X-GOOGLE-CONFERENCE", "X-MICROSOFT-SKYPETEAMSMEETINGURL")
# Alarms say nothing about meetings, and icalendar rejects a whole file for one bad alarm.
ALARM = re.compile(r"^BEGIN:VALARM\r?\n.*?^END:VALARM\r?$\n?", re.MULTILINE | re.DOTALL)
# icalendar also rejects a whole file for one time zone with an impossible offset (+9900):
# such a VTIMEZONE is taken out, and only the events in that zone are reported.
VTIMEZONE = re.compile(r"^BEGIN:VTIMEZONE\r?\n.*?^END:VTIMEZONE\r?$\n?", re.MULTILINE | re.DOTALL)
OFFSET = re.compile(
    r"^(TZOFFSET(?:FROM|TO))(?:;[^:\r\n]*)?:(.*?)\r?$", re.MULTILINE | re.IGNORECASE
)
VALID_OFFSET = re.compile(r"[+-]([01]\d|2[0-3])[0-5]\d([0-5]\d)?")


def parse_calendar(
    data: bytes, path: str, *, my_addresses: frozenset[str], until: dt.datetime
) -> ParseResult:
    """Every meeting with someone in an .ics file, up to `until`; see the module docstring."""
    text = _text(data, path)
    broken: dict[str, str] = {}  # TZID -> why it cannot be used
    readable = VTIMEZONE.sub(lambda m: _checked_zone(m, broken), ALARM.sub("", text))
    try:
        components = icalendar.Component.from_ical(readable, multiple=True)
    except Exception as error:  # icalendar raises ValueError and, on garbage, others
        raise ImportFileError(path, f"not a readable iCalendar file: {error}") from error
    if not components:
        raise ImportFileError(path, "no complete calendar (is END:VCALENDAR missing?)")
    me = frozenset(address.lower() for address in my_addresses)
    run = _Run(path, me, until if until.tzinfo else until.replace(tzinfo=UTC), broken)
    for master, overrides in _series(_events(components, _vevent_lines(text), run), run):
        try:
            _expand(master, overrides, run)
        except _BadZone as error:
            line = (master or overrides[0]).line
            run.error(line, error.field, f"{error.reason}: event left out")
        except Exception as error:  # a bad record is reported, never a crash
            run.error((master or overrides[0]).line, "VEVENT", f"unreadable event: {error}")
    return run.result


def _checked_zone(match: re.Match[str], broken: dict[str, str]) -> str:
    """A VTIMEZONE block as it is, or "" (noted in `broken`) when an offset is impossible."""
    block = match.group(0)
    for name, value in OFFSET.findall(block):
        if not VALID_OFFSET.fullmatch(value.strip()):
            tzid = re.search(r"^TZID(?:;[^:\r\n]*)?:(.*?)\r?$", block, re.MULTILINE)
            if tzid:
                key = _clean_tzid(tzid.group(1))
                broken[key] = f"time zone {key!r} has an invalid {name.upper()} {value.strip()!r}"
            return ""
    return block


class _BadZone(Exception):
    """A date-time in a time zone that cannot be used: the event is reported and left out."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


def _text(data: bytes, path: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:  # Outlook's 8-bit files; TZIDs only need to match each other
        text = data.decode("latin-1")
    head = text.lstrip()[:16].upper()
    if not head:
        raise ImportFileError(path, "empty file")
    if not head.startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT")):
        raise ImportFileError(path, "not an iCalendar file (no BEGIN:VCALENDAR)")
    return text


def _vevent_lines(text: str) -> list[int]:
    """Line numbers of the BEGIN:VEVENT lines, in order (a folded line never starts one)."""
    lines = enumerate(text.split("\n"), 1)
    return [number for number, line in lines if line.rstrip().upper() == "BEGIN:VEVENT"]


@dataclass
class _Run:
    path: str
    me: frozenset[str]
    until: dt.datetime
    broken_zones: dict[str, str] = field(default_factory=dict)
    result: ParseResult = field(default_factory=ParseResult)
    examined: Examined = field(default_factory=lambda: Examined(EXPANSION_BUDGET))
    # by id(event): what the event is as an interaction, if anything
    admitted: dict[int, InteractionRecord | None] = field(default_factory=dict)

    def skip(self, line: int, field_name: str, message: str) -> None:
        self.result.skipped.append(RecordError(self.path, line, field_name, message))

    def error(self, line: int, field_name: str, message: str) -> None:
        self.result.errors.append(RecordError(self.path, line, field_name, message))


class _Zones:
    """The time zones one VCALENDAR refers to, resolved as the module docstring says."""

    def __init__(self, calendar: icalendar.Component | None, broken: dict[str, str]) -> None:
        self._resolved: dict[str, dt.tzinfo | None] = {}
        self._broken = broken
        self._defined = {
            _clean_tzid(str(vtimezone["TZID"])): vtimezone
            for vtimezone in (calendar.walk("VTIMEZONE") if calendar else [])
            if isinstance(vtimezone, icalendar.Timezone) and vtimezone.get("TZID")
        }
        wr_timezone = calendar.get("X-WR-TIMEZONE") if calendar else None
        self.all_day = (self.find(str(wr_timezone)) if wr_timezone else None) or UTC

    def get(self, tzid: str, field_name: str) -> dt.tzinfo:
        """The zone a TZID names; _BadZone (naming `field_name`) when none can be used."""
        zone = self.find(tzid)
        if zone is None:
            key = _clean_tzid(tzid)
            raise _BadZone(field_name, self._broken.get(key, f"unknown time zone {key!r}"))
        return zone

    def find(self, tzid: str) -> dt.tzinfo | None:
        key = _clean_tzid(tzid)
        if key not in self._resolved:
            self._resolved[key] = None if key in self._broken else self._resolve(key)
        return self._resolved[key]

    def _resolve(self, key: str) -> dt.tzinfo | None:
        parts = key.split("/") if key.startswith("/") else [key]  # /vendor/.../Europe/Paris
        names = ["/".join(parts[i:]) for i in range(len(parts))]
        for name in [*names, WINDOWS_TO_OLSON.get(key, "")]:
            try:
                return zoneinfo.ZoneInfo(name)
            except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
                continue
        if key in self._defined:
            try:
                zone: dt.tzinfo = self._defined[key].to_tz(lookup_tzid=False)
                zone.utcoffset(dt.datetime(2000, 1, 1))
                return zone
            except Exception:  # a VTIMEZONE dateutil cannot model
                pass
        return None


def _clean_tzid(tzid: str) -> str:
    return tzid.replace("\\,", ",").replace("\\;", ";").strip().strip('"').strip()


@dataclass
class _Event:
    vevent: icalendar.Component
    line: int
    zones: _Zones
    method: str
    uid: str
    start: dt.date | None  # a date, or an aware datetime
    recurrence: dt.date | None  # RECURRENCE-ID, same forms; None for a master

    @property
    def when(self) -> dt.date | None:
        return self.start or self.recurrence  # a CANCEL of one occurrence has no DTSTART

    def version(self) -> tuple[int, dt.datetime, int]:
        try:
            sequence = int(_first(self.vevent.get("SEQUENCE")) or 0)
        except (TypeError, ValueError):
            sequence = 0
        try:
            stamp = _local(_first(self.vevent.get("DTSTAMP")), self.zones, "DTSTAMP")
        except _BadZone:
            stamp = None
        stamped = _utc(stamp, self.zones) if stamp else dt.datetime.min.replace(tzinfo=UTC)
        return sequence, stamped, self.line


def _events(components: list[icalendar.Component], lines: list[int], run: _Run) -> list[_Event]:
    events, count = [], 0
    for top in components:
        calendar = top if top.name == "VCALENDAR" else None
        zones = _Zones(calendar, run.broken_zones)
        method = str(calendar.get("METHOD", "")).strip().upper() if calendar else ""
        for vevent in top.walk("VEVENT"):
            line = lines[count] if count < len(lines) else 1
            count += 1
            if method in NOT_EVENTS:
                run.skip(line, "METHOD", f"{method}: an answer to an invitation, not an event")
                continue
            try:
                recurrence = _local(_first(vevent.get("RECURRENCE-ID")), zones, "RECURRENCE-ID")
                start = _local(_first(vevent.get("DTSTART")), zones, "DTSTART")
            except _BadZone as error:
                run.error(line, error.field, f"{error.reason}: event left out")
                continue
            if recurrence is None and "RECURRENCE-ID" in vevent:
                run.error(line, "RECURRENCE-ID", "unreadable, event left out")
                continue
            uid = str(_first(vevent.get("UID")) or "").strip() or _made_up_uid(vevent)
            events.append(_Event(vevent, line, zones, method, uid, start, recurrence))
    return events


def _made_up_uid(vevent: icalendar.Component) -> str:
    """A stable stand-in for a missing UID: the same event gives the same id every time."""
    parts = [_first(vevent.get(name)) for name in ("DTSTART", "SUMMARY", "ORGANIZER")]
    raw = b"\0".join(part.to_ical() if hasattr(part, "to_ical") else b"" for part in parts)
    return "no-uid-" + hashlib.sha256(raw).hexdigest()[:32]


def _series(events: list[_Event], run: _Run) -> list[tuple[_Event | None, list[_Event]]]:
    """Group by UID into (master, overrides), keeping the latest version of each."""
    groups: dict[str, dict[str, _Event]] = {}
    for event in events:
        group = groups.setdefault(event.uid, {})
        slot = _slot_id(event.recurrence) if event.recurrence else ""
        current = group.setdefault(slot, event)
        if current is not event:
            won, lost = sorted([current, event], key=_Event.version, reverse=True)
            group[slot] = won
            run.skip(lost.line, "SEQUENCE", f"superseded by the version at line {won.line}")
    return [(g.pop("", None), sorted(g.values(), key=lambda e: e.line)) for g in groups.values()]


def _expand(master: _Event | None, overrides: list[_Event], run: _Run) -> None:
    if master is not None and _cancelled(master):
        for event in [master, *overrides]:  # the whole series is off
            run.skip(event.line, "METHOD" if event.method == "CANCEL" else "STATUS", "cancelled")
        return
    if master is None or master.start is None or not ({"RRULE", "RDATE"} & set(master.vevent)):
        if master is not None:
            _emit(master, master.start, master.uid, run)
        for override in overrides:  # standalone occurrences
            assert override.recurrence is not None
            _emit(override, override.when, _occurrence_id(override, override.recurrence), run)
        return
    start = master.start
    try:
        slots, left_out = _slots(master, start, run)
    except Spent:
        spent = f"more than {EXPANSION_BUDGET} candidate occurrences examined in this file"
        run.error(master.line, "RRULE", f"{spent} (a rule that never matches?): series left out")
        run.examined.left = 0
        return
    by_slot = {_in_frame(o.recurrence, start): o for o in overrides if o.recurrence}
    for slot in slots:
        when = _slot_when(slot, start)
        moved = by_slot.pop(slot) if slot in by_slot else None
        _emit(moved or master, moved.when if moved else when, _occurrence_id(master, when), run)
    for slot, override in by_slot.items():  # moved here from a slot not generated
        if not (left_out and slots and slot < slots[0]):
            _emit(override, override.when, _occurrence_id(master, _slot_when(slot, start)), run)
    if left_out and run.admitted.get(id(master)):
        kept = f"kept the latest {len(slots)} occurrences of this series"
        run.skip(master.line, "RRULE", f"{kept}, {left_out} earlier ones left out")


def _cancelled(event: _Event) -> bool:
    status = str(_first(event.vevent.get("STATUS")) or "").strip().upper()
    return status == "CANCELLED" or event.method == "CANCEL"


def _slots(master: _Event, start: dt.date, run: _Run) -> tuple[list[dt.datetime], int]:
    """The series' slots (naive, in the start's zone) up to `until`, the latest kept; and
    how many earlier ones were left out. Raises Spent when the file's budget runs out."""
    bound = _in_frame(run.until, start) + dt.timedelta(days=1)
    first = _in_frame(start, start)
    generators: list[Iterator[dt.datetime]] = [iter([first])]  # DTSTART is an occurrence
    for prop in _all(master.vevent.get("RRULE")):
        try:
            rule = rrulestr(_rule_text(prop, start, bound), dtstart=first)
        except (ValueError, TypeError, KeyError, IndexError) as error:
            run.error(master.line, "RRULE", f"unreadable rule ignored ({error}): {prop}")
            continue
        if not isinstance(rule, rrule):
            continue
        frequency = dateutil.rrule.FREQNAMES[rule._freq]
        if frequency in NOT_MEETINGS:
            every = NOT_MEETINGS[frequency]
            run.error(
                master.line, "RRULE", f"a meeting does not repeat every {every}: rule ignored"
            )
            continue
        generators.append(_examined(rule, bound, run, master.line))
    generators.append(
        iter(sorted(_in_frame(value, start) for value in _dates(master, "RDATE", run)))
    )
    excluded = {_in_frame(value, start) for value in _dates(master, "EXDATE", run)}
    kept: deque[dt.datetime] = deque(maxlen=MAX_OCCURRENCES)
    seen = 0
    all_day = not isinstance(start, dt.datetime)
    previous = None
    for slot in heapq.merge(*generators):
        if slot == previous or slot in excluded:
            continue
        previous = slot
        if all_day:  # an all-day series meets once a day, whatever its rule says (HOURLY)
            slot = slot.replace(hour=0, minute=0, second=0, microsecond=0)
            if kept and kept[-1] == slot:
                continue
        if _utc(_slot_when(slot, start), master.zones) > run.until:
            break
        seen += 1
        kept.append(slot)
    return list(kept), seen - len(kept)


def _examined(rule: rrule, bound: dt.datetime, run: _Run, line: int) -> Iterator[dt.datetime]:
    """The rule's slots up to `bound`, each period looked at and each slot charged. A rule
    with no date up to `bound` is followed to NEVER_AFTER later: none there either, and it
    is reported as one that never matches."""
    rule.__class__ = ExaminedRule
    assert isinstance(rule, ExaminedRule)
    rule.examined, rule.horizon, rule.line = run.examined, bound + NEVER_AFTER, line
    found = False
    try:
        for slot in rule:
            if slot > bound:
                return  # its next date is after the window
            run.examined.charge(line)
            found = True
            yield slot
    except PastWindow:
        if not found:
            run.error(line, "RRULE", "the rule matches no date at all: only DTSTART kept")


def _rule_text(prop: Any, start: dt.date, bound: dt.datetime) -> str:
    """The RRULE as dateutil reads it against naive slots, UNTIL in the start's frame."""
    if isinstance(prop, icalendar.vRecur):
        recur = icalendar.vRecur(prop)
    else:  # vBroken: CDO writes "BYDAY=MO, TU" with spaces
        recur = icalendar.vRecur.from_ical(re.sub(r"\s+", "", str(prop)))
    end = _first(recur.get("UNTIL"))
    zone = start.tzinfo if isinstance(start, dt.datetime) else UTC
    if "COUNT" in recur:
        recur.pop("UNTIL", None)  # both is invalid, and dateutil warns
    elif not isinstance(end, dt.date):  # unbounded: stop dateutil at `until`, matches or not
        recur["UNTIL"] = [bound]
    elif isinstance(end, dt.datetime):  # a naive UNTIL is on the start's wall clock
        recur["UNTIL"] = [_in_frame(end if end.tzinfo else end.replace(tzinfo=zone), start)]
    elif isinstance(start, dt.datetime):  # a date UNTIL on a timed series: that whole day
        recur["UNTIL"] = [dt.datetime.combine(end, dt.time(23, 59, 59))]
    else:
        recur["UNTIL"] = [_in_frame(end, start)]
    return str(recur.to_ical().decode())


def _dates(event: _Event, name: str, run: _Run) -> list[dt.date]:
    """The values of an RDATE/EXDATE property (a PERIOD counts by its start). A time with
    no zone is on the wall clock of the series (Outlook and Evolution write EXDATEs so)."""
    wall = event.start.tzinfo if isinstance(event.start, dt.datetime) else None
    wall = wall or UTC
    zones = event.zones
    found: list[dt.date | None] = []
    for prop in _all(event.vevent.get(name)):
        if not isinstance(prop, str):
            tzid = prop.params.get("TZID")
            found += [
                _as_local(i.dt, i.params.get("TZID") or tzid, zones, name, wall) for i in prop.dts
            ]
            continue
        for part in str(prop).split(","):  # vBroken, e.g. Google's RDATE:20131210Z
            try:  # a date with a stray Z is still that date
                value = icalendar.vDDDTypes.from_ical(re.sub(r"^(\d{8})Z$", r"\1", part.strip()))
                found.append(_as_local(value, None, zones, name, wall))
            except ValueError:
                run.error(event.line, name, f"unreadable value ignored: {part!r}")
    return [value for value in found if value is not None]


def _emit(event: _Event, when: dt.date | None, external_id: str, run: _Run) -> None:
    if when is not None and _utc(when, event.zones) > run.until:
        return
    if id(event) not in run.admitted:
        run.admitted[id(event)] = _admit(event, run)
    meeting = run.admitted[id(event)]
    if meeting is not None and when is None:
        run.error(event.line, "DTSTART", "no readable start")
    elif meeting is not None and when is not None:
        if len(external_id) > 500:  # Interaction.external_id is 500 characters
            external_id = "sha256:" + hashlib.sha256(external_id.encode()).hexdigest()
        occurred_at, people = _utc(when, event.zones), list(meeting.participants)
        record = replace(
            meeting, external_id=external_id, occurred_at=occurred_at, participants=people
        )
        run.result.interactions.append(record)


def _admit(event: _Event, run: _Run) -> InteractionRecord | None:
    """This event as an interaction (any occurrence of it: external_id and occurred_at are
    left to fill in), or None, with a skipped entry saying why."""
    vevent = event.vevent
    if _cancelled(event):
        run.skip(event.line, "METHOD" if event.method == "CANCEL" else "STATUS", "cancelled")
        return None
    organizer = _first(vevent.get("ORGANIZER"))
    people: dict[str, Participant] = {}
    for prop in [organizer, *_all(vevent.get("ATTENDEE"))]:
        params = {k: str(v) for k, v in getattr(prop, "params", {}).items()}
        address = _address(str(prop or ""))
        if address in run.me:
            if prop is not organizer and params.get("PARTSTAT", "").upper() == "DECLINED":
                run.skip(event.line, "PARTSTAT", "declined")
                return None
            continue
        absent = (
            params.get("CUTYPE", "").upper() in NOT_PEOPLE
            or params.get("ROLE", "").upper() == "NON-PARTICIPANT"
            or params.get("PARTSTAT", "").upper() in ABSENT
        )
        name = params.get("CN", "").strip()
        name = "" if name.lower() == address else name
        if address is None or not (address or name) or (absent and prop is not organizer):
            continue
        known = people.get(address or name)
        if known is None or (name and not known.name):
            people[address or name] = Participant(email=address, name=name)
    if not people:
        run.skip(event.line, "ATTENDEE", "no other participants")
        return None
    direction = "mutual" if organizer is None else "inbound"
    direction = "outbound" if _address(str(organizer or "")) in run.me else direction
    texts = " ".join(str(_first(vevent.get(n)) or "") for n in ("LOCATION", "DESCRIPTION", "URL"))
    video = VIDEO_URL.search(texts) or any(name in vevent for name in VIDEO_PROPERTIES)
    return InteractionRecord(
        source="calendar",
        path=run.path,
        line=event.line,
        external_id="",
        kind="video" if video else "meeting",
        occurred_at=run.until,
        direction=direction,
        summary=str(_first(vevent.get("SUMMARY")) or "").strip(),
        participants=list(people.values()),
    )


def _address(cal_address: str) -> str | None:
    """The e-mail address of a CAL-ADDRESS: "" when it is none (urn:uuid:...), None when
    it is a pseudo-address (no dotted domain) that names nobody."""
    raw = cal_address.strip()
    if len(raw) > 1 and raw[0] == raw[-1] == '"':  # ORGANIZER:"mailto:a@example.com"
        raw = raw[1:-1].strip()
    if raw.lower().startswith("mailto:"):
        raw = raw[len("mailto:") :].strip()
    elif ":" in raw or "@" not in raw:
        return ""
    return raw.lower() if ADDRESS.fullmatch(raw.lower()) else None


def _first(value: Any) -> Any:
    return (value[0] if value else None) if isinstance(value, list) else value


def _all(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def _local(prop: Any, zones: _Zones, name: str) -> dt.date | None:
    if prop is None or isinstance(prop, str):  # absent, or vBroken: unreadable
        return None
    tzid = getattr(prop, "params", {}).get("TZID")
    return _as_local(getattr(prop, "dt", None), tzid, zones, name)


def _as_local(
    value: Any, tzid: Any, zones: _Zones, name: str, floating: dt.tzinfo = UTC
) -> dt.date | None:
    """A date, or a date-time made aware (TZID resolved; floating -> `floating`); a PERIOD's
    start."""
    value = value[0] if isinstance(value, tuple) and value else value
    if isinstance(value, dt.datetime):
        if tzid:
            return value.replace(tzinfo=zones.get(str(tzid), name))
        return value if value.tzinfo else value.replace(tzinfo=floating)
    return value if isinstance(value, dt.date) else None


def _utc(when: dt.date, zones: _Zones) -> dt.datetime:
    if isinstance(when, dt.datetime):
        return when.astimezone(UTC)
    return dt.datetime.combine(when, dt.time(12), tzinfo=zones.all_day).astimezone(UTC)


def _in_frame(when: dt.date, start: dt.date) -> dt.datetime:
    """`when` as a naive slot of the series starting at `start` (a date: midnight)."""
    if not isinstance(start, dt.datetime):
        return dt.datetime.combine(
            when.date() if isinstance(when, dt.datetime) else when, dt.time()
        )
    if isinstance(when, dt.datetime):
        return when.astimezone(start.tzinfo).replace(tzinfo=None)
    return dt.datetime.combine(when, start.time())


def _slot_when(slot: dt.datetime, start: dt.date) -> dt.date:
    """A naive slot back as a date (all-day series) or an aware datetime."""
    return slot.replace(tzinfo=start.tzinfo) if isinstance(start, dt.datetime) else slot.date()


def _slot_id(when: dt.date) -> str:
    return when.astimezone(UTC).isoformat() if isinstance(when, dt.datetime) else when.isoformat()


def _occurrence_id(event: _Event, slot: dt.date) -> str:
    return f"{event.uid}/{_slot_id(slot)}"
