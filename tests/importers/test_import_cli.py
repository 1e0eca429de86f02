"""`kith import` through the real command tree."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import Person

pytestmark = pytest.mark.django_db

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nORG:Analytical Engines\r\n"
    "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Short\r\n"
)


@pytest.fixture
def kith(owner):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def cards(tmp_path) -> Path:
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS)
    return path


def test_dry_run_shows_the_plan_and_writes_nothing(kith, cards):
    result = kith("import", "vcard", str(cards), "--dry-run")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())  # Rich pads its table with spaces
    assert "new people 2 errors 2" in text
    assert (
        f"error {cards}:7: email: 'grace@' is not a valid email address" in text
    )  # her card's line
    assert f"error {cards}:12: END:" in text  # the card that never ends
    assert "Dry run: nothing was written" in result.stdout
    assert not Person.objects.filter(is_self=False).exists()


def test_import_then_again_changes_nothing(kith, cards):
    first = kith("import", "vcard", str(cards))
    assert "Imported: 2 new, 0 updated, 0 interactions." in first.stdout
    second = kith("import", "vcard", str(cards))
    assert "Nothing to change" in second.stdout
    assert Person.objects.filter(is_self=False).count() == 2


def test_json_output(kith, cards):
    data = json.loads(kith("import", "vcard", str(cards), "--json").stdout)
    assert data["applied"] is True
    assert data["summary"]["new"] == 2
    assert [p["name"] for p in data["people"]] == ["Ada Lovelace", "Grace Hopper"]
    assert {(e["line"], e["field"]) for e in data["errors"]} == {(7, "email"), (12, "END")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "vcard", "/nonexistent.vcf"], "/nonexistent.vcf: no such file or folder"),
        (["import", "fax", "x"], "unknown format 'fax'"),
    ],
)
def test_bad_files_and_formats_are_one_line_and_exit_2(kith, args, message):
    result = kith(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_file_of_another_format_says_so(kith, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    result = kith("import", "google", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:")


def test_a_linkedin_export_zip(kith, tmp_path):
    export = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(
            "Connections.csv",
            'Notes:\n"Some notes"\n\nFirst Name,Last Name,URL,Email Address,'
            "Company,Position,Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada,,"
            "Analytical Engines,CTO,12 Jan 2024\n",
        )
        archive.writestr(
            "Positions.csv",
            "Company Name,Title,Description,Location,Started On,Finished On\n"
            "Babbage & Co,Engineer,,London,Jan 2020,\n",
        )
    result = kith("import", "linkedin", str(export))
    assert "Imported: 1 new" in result.stdout
    ada = Person.objects.get(full_name="Ada Lovelace")
    assert str(ada.connected_on) == "2024-01-12"
    me = Person.objects.get(is_self=True)
    assert [str(a) for a in me.affiliations.all()] == ["Engineer at Babbage & Co"]


MEETING = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//test//EN\r
BEGIN:VEVENT\r
UID:meeting-1@test\r
DTSTAMP:20260101T000000Z\r
DTSTART:20260115T100000Z\r
DTEND:20260115T110000Z\r
SUMMARY:Compilers roadmap\r
ORGANIZER;CN=Olive Owner:mailto:owner@example.org\r
ATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ada@example.org\r
ATTENDEE;CN=Grace Hopper;PARTSTAT=ACCEPTED:mailto:grace@navy.example\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_meetings_with_strangers_create_people_only_when_asked(kith, tmp_path, network):
    from kithkin.models import Interaction
    from tests.factories import make_person

    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"], circle="close")
    path = tmp_path / "calendar.ics"
    path.write_text(MEETING)
    kith("import", "ics", str(path), "--me", "owner@example.org")
    meeting = Interaction.objects.get(summary="Compilers roadmap")
    assert list(meeting.participants.values_list("full_name", flat=True)) == ["Ada Lovelace"]
    ada.refresh_from_db()
    assert str(ada.last_interaction_at.date()) == "2026-01-15"
    assert not Person.objects.filter(full_name="Grace Hopper").exists()

    other = tmp_path / "other.ics"
    other.write_text(
        MEETING.replace("meeting-1@test", "meeting-2@test").replace(
            "Compilers roadmap", "Follow-up"
        )
    )
    result = kith("import", "ics", str(other), "--me", "owner@example.org", "--create-people")
    assert "Imported: 1 new" in result.stdout
    grace = Person.objects.get(full_name="Grace Hopper")
    assert grace.contact_points.get().normalized == "grace@navy.example"
    assert sorted(
        Interaction.objects.get(summary="Follow-up").participants.values_list(
            "full_name", flat=True
        )
    ) == ["Ada Lovelace", "Grace Hopper"]
    again = kith("import", "ics", str(other), "--me", "owner@example.org", "--create-people")
    assert "Nothing to change" in again.stdout


def test_a_viewer_is_refused_before_the_file_is_read(kith, viewer, network, settings, tmp_path):
    viewer.current_network = network
    viewer.save()
    settings.CLI_USERNAME = "viewer"
    missing = tmp_path / "never-read.vcf"  # refused for who runs it, not for the file
    result = kith("import", "vcard", str(missing))
    assert result.exit_code == 3
    assert "viewer may view" in result.stderr and "never-read" not in result.stderr
    path = tmp_path / "contacts.vcf"
    path.write_text(CARDS)
    assert kith("import", "vcard", str(path), "--dry-run").exit_code == 0  # looking is reading
    assert not Person.objects.filter(is_self=False).exists()
