"""Bounded work for any input: each pathological input ends with a clear error or a stored
result. No test here measures time; bench/imports_bounded.py does."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kithkin import housekeeping, jobs
from kithkin.importers import icalendar_events
from kithkin.importers.icalendar_events import parse_calendar
from kithkin.importers.records import RecordError
from kithkin.models import Person
from kithkin.services import uploads
from kithkin.web.markdown import MAX_MARKDOWN_CHARACTERS
from tests.conftest import FROZEN_NOW
from tests.factories import make_person

FILES = Path(__file__).parent / "files" / "ics"
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
KITH = str(Path(sys.executable).parent / "kith")


@pytest.fixture
def web(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # uploads never touch the real data directory
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.WHITENOISE_AUTOREFRESH = True


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def calendar(*events: list[str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for number, event in enumerate(events):
        lines += ["BEGIN:VEVENT", f"UID:e{number}", "ORGANIZER:mailto:a@example.com", *event]
        lines += ["END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


# Recurrence expansion


def test_rules_that_never_match_end_at_once_with_a_clear_error() -> None:
    name = "rrule_never_matches.ics"
    result = parse_calendar(
        (FILES / name).read_bytes(), name, my_addresses=frozenset(), until=UNTIL
    )
    assert result.errors == [
        RecordError(name, 4, "RRULE", "a meeting does not repeat every second: rule ignored"),
        RecordError(name, 11, "RRULE", "the rule matches no date at all: only DTSTART kept"),
    ]
    assert [(r.external_id, r.occurred_at) for r in result.interactions] == [
        ("never/1990-01-01T00:00:00+00:00", dt.datetime(1990, 1, 1, tzinfo=dt.UTC)),
        ("daily-never/1990-01-01T09:00:00+00:00", dt.datetime(1990, 1, 1, 9, tzinfo=dt.UTC)),
    ]


def test_a_file_that_overspends_the_expansion_budget_reports_each_series_left_out(
    monkeypatch,
) -> None:
    monkeypatch.setattr(icalendar_events, "EXPANSION_BUDGET", 10_000)  # the same, sooner
    every_ten_minutes = "RRULE:FREQ=HOURLY;BYMINUTE=0,10,20,30,40,50"  # 6 x 36 years of hours
    data = calendar(
        ["DTSTART:19900101T000000Z", every_ten_minutes],
        ["DTSTART:20240101T100000Z"],
        ["DTSTART:20200101T100000Z", "RRULE:FREQ=WEEKLY"],
    )
    result = parse_calendar(data, "x.ics", my_addresses=frozenset(), until=UNTIL)
    spent = (
        "more than 10000 candidate occurrences examined in this file "
        "(a rule that never matches?): series left out"
    )
    assert result.errors == [
        RecordError("x.ics", 3, "RRULE", spent),
        RecordError("x.ics", 14, "RRULE", spent),  # nothing left for the next series
    ]
    assert [r.external_id for r in result.interactions] == ["e1"]  # the single event


def test_a_rule_bounded_by_count_that_never_matches_stops_at_until() -> None:
    data = calendar(
        ["DTSTART:20000101T090000Z", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2"]
    )
    result = parse_calendar(data, "x.ics", my_addresses=frozenset(), until=UNTIL)
    assert [r.line for r in result.errors] == [3]
    assert len(result.interactions) == 1


def test_a_rule_whose_first_date_is_after_until_is_no_error() -> None:
    data = calendar(
        ["DTSTART:20251201T090000Z", "RRULE:FREQ=YEARLY;BYMONTH=6"],  # June 2026 onwards
        ["DTSTART:20270101T090000Z", "RRULE:FREQ=WEEKLY"],  # a series to come
        ["DTSTART:20251230T090000Z", "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"],  # 2028
    )
    result = parse_calendar(data, "x.ics", my_addresses=frozenset(), until=UNTIL)
    assert result.errors == []
    assert [r.external_id for r in result.interactions] == [
        "e0/2025-12-01T09:00:00+00:00",
        "e2/2025-12-30T09:00:00+00:00",
    ]


# Markdown


@pytest.mark.django_db
def test_a_note_of_400000_brackets_shows_as_plain_text_on_the_person_page(web, network, owner):
    ada = make_person(network, "Ada Lovelace", notes="[" * 400_000 + "\n\n<script>x</script>")
    page = signed_in(owner).get(f"/people/{ada.pk}/").content.decode()
    assert "[" * 400_000 in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page


@pytest.mark.django_db
def test_notes_up_to_the_limit_are_still_markdown(web, network, owner):
    note = "**Met at PyCon**, see [her talk](https://example.org/talk)."
    ada = make_person(network, "Ada Lovelace", notes=note + " " * (MAX_MARKDOWN_CHARACTERS - 80))
    page = signed_in(owner).get(f"/people/{ada.pk}/").content.decode()
    assert "<strong>Met at PyCon</strong>" in page
    assert 'href="https://example.org/talk"' in page


@pytest.mark.django_db
def test_a_short_note_of_unclosed_brackets_shows_as_plain_text(web, network, owner):
    ada = make_person(network, "Ada Lovelace", notes="[[" + "a_" * 3000 + " **bold**")
    page = signed_in(owner).get(f"/people/{ada.pk}/").content.decode()
    assert "a_a_a_" in page and "**bold**" in page and "<strong>" not in page


# The web import


@pytest.mark.django_db
def test_reading_an_upload_past_its_time_budget_stops_it_and_writes_nothing(
    web, network, owner, monkeypatch
):
    from kithkin import transfer

    monkeypatch.setattr(transfer, "reading_seconds", lambda: 0)  # any file takes longer
    client = signed_in(owner)
    vcard = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n"
    client.post("/import/", {"format": "vcard", "file": SimpleUploadedFile("a.vcf", vcard)})
    response = client.get("/import/preview/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "a.vcf: reading it took longer than 0 s, so it was stopped: nothing was" in page
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()
    assert list(uploads.folder().iterdir()) == []


@pytest.mark.django_db
def test_an_upload_parsed_in_the_child_process_is_planned_and_imported(web, network, owner):
    client = signed_in(owner)
    data = (FILES / "quoted_mailto_organizer.ics").read_bytes()
    client.post(
        "/import/",
        {"format": "ics", "file": SimpleUploadedFile("q.ics", data), "create_people": "on"},
    )
    assert "Plan for q.ics" in client.get("/import/preview/").content.decode()
    client.post("/import/preview/", {"confirm": "yes"})
    assert set(Person.objects.filter(network=network).values_list("full_name", flat=True)) >= {
        "Dana Price",
        "Eli Stone",
    }


@pytest.mark.django_db
def test_the_scheduled_housekeeping_deletes_abandoned_uploads(web) -> None:
    abandoned = uploads.folder() / uploads.store([b"BEGIN:VCARD"], "old.vcf")
    fresh = uploads.folder() / uploads.store([b"BEGIN:VCARD"], "new.vcf")
    old = (FROZEN_NOW - uploads.ABANDONED_AFTER - dt.timedelta(minutes=1)).timestamp()
    os.utime(abandoned, (old, old))
    recent = (FROZEN_NOW - dt.timedelta(hours=1)).timestamp()
    os.utime(fresh, (recent, recent))
    assert "housekeeping" in jobs.all_jobs()  # the worker runs it (tests/test_worker.py)
    housekeeping.housekeeping(FROZEN_NOW)
    assert not abandoned.exists() and fresh.exists()


# Ctrl-C


@pytest.mark.slow
def test_ctrl_c_during_an_import_prints_one_line_and_writes_nothing(tmp_path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    init = [KITH, "init", "--name", "Sam", "--username", "sam", "--time-zone", "Europe/Paris"]
    subprocess.run(init, env=env, capture_output=True, check=True, timeout=120)
    fifo = tmp_path / "contacts.vcf"
    os.mkfifo(fifo)  # the import blocks reading it: interrupted mid-import, for sure
    process = subprocess.Popen(
        [KITH, "import", "vcard", str(fifo)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite started in the background (`pytest &` from a script) inherits SIGINT
        # ignored, and Python keeps it so: the import would never see this Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    writer = None
    deadline = time.monotonic() + 60
    while writer is None and time.monotonic() < deadline:
        try:  # succeeds once the import has opened the file for reading
            writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            time.sleep(0.05)
    assert writer is not None, "the import never opened its file"
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:  # on a loaded machine: Ctrl-C again
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    os.close(writer)
    assert process.returncode == 130
    assert stderr == "Import cancelled: nothing was written.\n"
    assert "Traceback" not in stdout
    people = subprocess.run(
        [KITH, "people", "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert people.stdout.strip() == "[]"


@pytest.mark.django_db
def test_matching_an_upload_past_its_time_budget_stops_it_and_writes_nothing(
    web, network, owner, monkeypatch
):
    from kithkin import transfer

    monkeypatch.setattr(transfer, "planning_seconds", lambda: 0)  # any file takes longer
    client = signed_in(owner)
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEND:VCARD\r\n" for n in range(600)
    )
    upload = SimpleUploadedFile("many.vcf", cards.encode())
    client.post("/import/", {"format": "vcard", "file": upload})
    response = client.get("/import/preview/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "many.vcf: matching it to the network took longer than 0 s, so it was stopped" in page
    assert not Person.objects.filter(full_name="Person 1").exists()
    assert list(uploads.folder().iterdir()) == []
