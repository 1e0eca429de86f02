"""LinkedIn endorsements and recommendations received become value received in the
ledger: matched to their giver, never twice, unknown givers reported and not created."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db.models import Value
from django.db.models.functions import Concat

from kithkin.importers.apply import apply_plan
from kithkin.importers.linkedin import parse_endorsements, parse_linkedin, parse_recommendations
from kithkin.importers.plan import plan_import
from kithkin.models import Person, ValueExchange
from kithkin.queries.ledger import thanks_due
from tests.conftest import TODAY
from tests.factories import make_person

pytestmark = pytest.mark.django_db

ADA = "https://www.linkedin.com/in/ada-lovelace"
CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    f"Ada,Lovelace,{ADA},,Analytical Engines,CTO,12 Jan 2024\n"
    "Grace,Hopper,,,Navy,Rear Admiral,01 Jan 2019\n"
)
ENDORSEMENTS = (
    "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,"
    "Endorsement Status\n"
    "2024/01/02 10:00:00 UTC,Python,Ada,Lovelace,www.linkedin.com/in/ada-lovelace,ACCEPTED\n"
    "2026/02/14 18:30:00 UTC,Compilers,Ada,L.,www.linkedin.com/in/ada-lovelace,ACCEPTED\n"
    "2025/05/01 09:00:00 UTC,COBOL,Grace,Hopper,,ACCEPTED\n"
    "2025/05/02 09:00:00 UTC,Python,Alan,Turing,www.linkedin.com/in/alan-turing,ACCEPTED\n"
    "2025/05/03 09:00:00 UTC,Go,Edsger,Dijkstra,,REJECTED\n"
    "someday,Rust,Barbara,Liskov,,ACCEPTED\n"
)
RECOMMENDATIONS = (
    "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
    'Grace,Hopper,Navy,Rear Admiral,"Olive is a great engineer.\nHire her.",'
    "06/22/25 07:30 PM,VISIBLE\n"
)
EXPORT = {
    "Connections.csv": CONNECTIONS,
    "Endorsement_Received_Info.csv": ENDORSEMENTS,
    "Recommendations_Received.csv": RECOMMENDATIONS,
}


def write_export(folder: Path, files: dict[str, str] = EXPORT) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_parsing_endorsements_and_recommendations():
    endorsements = parse_endorsements(ENDORSEMENTS.encode(), "E.csv")
    assert [(v.line, v.kind, v.description, v.occurred_on) for v in endorsements.values] == [
        (2, "endorsement", "Python", dt.date(2024, 1, 2)),
        (3, "endorsement", "Compilers", dt.date(2026, 2, 14)),
        (4, "endorsement", "COBOL", dt.date(2025, 5, 1)),
        (5, "endorsement", "Python", dt.date(2025, 5, 2)),
    ]
    assert endorsements.values[0].giver.profile_url == "www.linkedin.com/in/ada-lovelace"
    assert [(s.line, s.field) for s in endorsements.skipped] == [(6, "Endorsement Status")]
    assert [(e.line, e.field) for e in endorsements.errors] == [(7, "Endorsement Date")]
    (recommendation,) = parse_recommendations(RECOMMENDATIONS.encode(), "R.csv").values
    assert recommendation.description == "Olive is a great engineer. Hire her."
    assert recommendation.occurred_on == dt.date(2025, 6, 22) and recommendation.weight == 3
    assert recommendation.giver.name == "Grace Hopper"


def test_external_ids_are_stable_and_distinct():
    first = parse_endorsements(ENDORSEMENTS.encode(), "a.csv").values
    again = parse_endorsements(ENDORSEMENTS.encode(), "elsewhere/b.csv").values
    assert [v.external_id for v in first] == [v.external_id for v in again]
    assert len({v.external_id for v in first}) == len(first)


def test_the_plan_shows_value_received_and_a_dry_run_writes_nothing(kith, tmp_path):
    export = write_export(tmp_path / "export")
    result = kith("import", "linkedin", str(export), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "value received 4" in lines
    assert "value received from no one known 1" in lines
    assert not ValueExchange.objects.exists() and Person.objects.count() == 1
    data = json.loads(kith("import", "linkedin", str(export), "--dry-run", "--json").stdout)
    assert (data["summary"]["values_new"], data["summary"]["values_unmatched"]) == (4, 1)
    assert any(
        s["field"] == "giver" and s["message"].startswith("Alan Turing: no one")
        for s in data["skipped"]
    )


def test_import_links_givers_then_a_reimport_changes_nothing(kith, tmp_path, network):
    export = write_export(tmp_path / "export")
    result = kith("import", "linkedin", str(export))
    assert result.exit_code == 0, result.output
    assert "4 value received." in result.stdout
    me = Person.objects.get(is_self=True)
    ada = Person.objects.get(full_name="Ada Lovelace")
    grace = Person.objects.get(full_name="Grace Hopper")
    rows = ValueExchange.objects.order_by("occurred_on")
    assert [(v.giver, v.kind, v.description) for v in rows] == [
        (ada, "endorsement", "Python"),
        (grace, "endorsement", "COBOL"),
        (grace, "recommendation", "Olive is a great engineer. Hire her."),
        (ada, "endorsement", "Compilers"),
    ]
    assert all(v.receiver == me and v.source == "linkedin" and v.thanked_at is None for v in rows)
    assert not Person.objects.filter(full_name="Alan Turing").exists()  # reported, not created
    before = list(ValueExchange.objects.values_list("pk", "external_id"))
    again = kith("import", "linkedin", str(export))
    assert "Nothing to change" in again.stdout
    assert list(ValueExchange.objects.values_list("pk", "external_id")) == before


def test_value_imported_under_an_older_id_is_not_imported_twice(kith, tmp_path, network):
    """Ids are derived from the giver's profile key, and keys were normalised differently
    before (percent-escapes): the same value from the same giver is still found."""
    export = write_export(tmp_path / "export")
    assert kith("import", "linkedin", str(export)).exit_code == 0
    ValueExchange.objects.update(external_id=Concat(Value("older/"), "pk"))
    before = list(ValueExchange.objects.values_list("pk", "external_id"))
    again = kith("import", "linkedin", str(export))
    assert "Nothing to change" in again.stdout, again.stdout
    assert list(ValueExchange.objects.values_list("pk", "external_id")) == before


def test_givers_are_found_among_people_already_known(network, owner, tmp_path):
    ada = make_person(network, "Ada Lovelace", urls=[ADA])
    make_person(network, "Grace Hopper", emails=["grace@navy.example"])
    make_person(network, "Grace Hopper", emails=["grace@other.example"])
    files = {k: v for k, v in EXPORT.items() if k != "Connections.csv"}
    parsed = parse_linkedin(write_export(tmp_path / "export", files))
    plan = plan_import(network, parsed)
    assert [(v.record.line, v.action) for v in plan.values] == [
        (2, "new"),
        (3, "new"),
        (4, "unmatched"),
        (5, "unmatched"),
        (2, "unmatched"),
    ]
    assert any("2 people have that name" in s.message for s in plan.skipped)
    apply_plan(network, owner, plan)
    assert set(ValueExchange.objects.values_list("giver", flat=True)) == {ada.pk}


def test_old_imports_are_not_thanks_due_but_recent_ones_are(kith, tmp_path, network):
    kith("import", "linkedin", str(write_export(tmp_path / "export")))
    section = thanks_due(network, TODAY)
    # Only the endorsement of 14 February: the others are more than 30 days old.
    assert [(i.title, i.reason) for i in section.items] == [
        ("Thank Ada Lovelace", "endorsement on 14 February, not thanked after 6 days")
    ]
