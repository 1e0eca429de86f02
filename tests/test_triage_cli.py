"""`kith triage`, `kith people` bulk changes, `kith import --circle`, `kith circles --new-people`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.models import Person
from tests.factories import log, make_person
from tests.factories_ledger import imported

pytestmark = pytest.mark.django_db

CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.org\r\nEND:VCARD\r\n"
)


@pytest.fixture
def kith(owner):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def people(network):
    bea = make_person(network, "Bea Met")
    for day in (5, 12, 19):
        log(network, bea, on=dt.date(2026, 1, day), kind="meeting")
    carl = make_person(network, "Carl Call")
    log(network, carl, on=dt.date(2025, 10, 1), kind="call")
    imported(network, carl, on=dt.date(2025, 3, 1), external_id="e/carl")
    make_person(network, "Eve Never", connected_on=dt.date(2018, 5, 5))
    make_person(network, "Placed Already", circle="close")
    return network


def test_triage_piped_prints_one_line_per_person(kith, people):
    result = kith("triage")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    bea = Person.objects.get(full_name="Bea Met")
    assert lines[0] == (
        f"p{bea.pk}\tBea Met\tclose\t3 interactions, last 4 weeks ago; "
        "met 3 times, last 4 weeks ago"
    )
    assert lines[1].split("\t")[1:3] == ["Carl Call", "regular"]
    assert "endorsed you for 1 skill" in lines[1]
    assert lines[2].split("\t")[1:] == [
        "Eve Never",
        "acquaintance",
        "connected 7 years ago; no conversation recorded",
    ]


def test_triage_json_and_limit(kith, people):
    result = kith("triage", "--json", "--limit", "1")
    data = json.loads(result.stdout)
    assert [(row["name"], row["suggested_circle"]) for row in data] == [("Bea Met", "close")]
    assert data[0]["evidence"][1] == "met 3 times, last 4 weeks ago"


def test_triage_accept_places_everyone(kith, people):
    result = kith("triage", "--accept")
    assert result.exit_code == 0, result.output
    assert "Placed 3 people in their suggested circle." in result.stdout
    assert "4 people have a check-in cadence." not in result.stdout  # acquaintance: never due
    assert "3 people have a check-in cadence." in result.stdout
    circles = dict(Person.objects.filter(is_self=False).values_list("full_name", "circle__name"))
    assert circles["Eve Never"] == "acquaintance"
    assert kith("triage").stdout == "Everyone has a circle: nothing to triage.\n"


def test_people_bulk_changes_use_the_list_filters(kith, network):
    make_person(network, "Ada", tags=["conf"])
    make_person(network, "Bob", tags=["conf"])
    make_person(network, "Cy")
    result = kith("people", "--tag", "conf", "--set-circle", "close")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2 people moved to close.\n"
    assert Person.objects.get(full_name="Ada").check_in_due_on == dt.date(2026, 3, 22)
    assert Person.objects.get(full_name="Cy").circle is None
    assert (
        kith("people", "--circle", "close", "--add-tag", "vip").stdout == "2 people tagged vip.\n"
    )
    assert kith("people", "--tag", "vip", "--remove-tag", "conf").stdout == (
        "2 people untagged conf.\n"
    )
    assert kith("people", "--tag", "vip", "--archive", "--json").stdout.strip() == (
        '{\n  "changed": 2\n}'
    )
    assert Person.objects.filter(archived_at__isnull=False).count() == 2


def test_people_bulk_refuses_two_changes_at_once(kith, network):
    result = kith("people", "--set-circle", "close", "--archive")
    assert result.exit_code == 2
    assert "one change at a time" in result.stderr


def test_import_with_a_circle_and_what_to_do_next(kith, tmp_path):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    result = kith("import", "vcard", str(cards), "--circle", "regular")
    assert result.exit_code == 0, result.output
    assert "2 people have a check-in cadence." in result.stdout
    assert "kith triage" not in result.stdout
    assert set(Person.objects.filter(is_self=False).values_list("circle__name", flat=True)) == {
        "regular"
    }
    assert Person.objects.get(full_name="Ada Lovelace").check_in_due_on == dt.date(2026, 5, 21)


def test_import_without_a_circle_points_to_triage(kith, tmp_path):
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    result = kith("import", "vcard", str(cards))
    assert (
        "0 people have a check-in cadence. 2 people have no circle and will never be due: "
        "run `kith triage`." in result.stdout
    )


def test_the_circle_new_people_join(kith, tmp_path):
    result = kith("add", "Lone Wolf")
    assert "Lone Wolf has no circle and will never be due" in result.stderr
    assert kith("circles", "--new-people", "occasional").stdout == (
        "People added without a circle now join occasional.\n"
    )
    result = kith("add", "Kai Newcomer")
    assert "first check-in due 2026-08-19" in result.stdout
    assert result.stderr == ""
    cards = tmp_path / "cards.vcf"
    cards.write_text(CARDS)
    kith("import", "vcard", str(cards))
    assert Person.objects.get(full_name="Grace Hopper").circle.name == "occasional"
    circles = json.loads(kith("circles", "--json").stdout)
    assert [c["name"] for c in circles if c["new_people_join"]] == ["occasional"]
    kith("circles", "--new-people", "none")
    kith("add", "Zed Later")
    assert Person.objects.get(full_name="Zed Later").circle is None
