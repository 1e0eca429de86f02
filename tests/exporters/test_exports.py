"""Every exporter round-trips; Kithkin JSON is lossless."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import vobject
from typer.testing import CliRunner

from kithkin.cli.app import app
from kithkin.demo import generate_network
from kithkin.exporters.csv_export import export_csv, neutralise
from kithkin.exporters.kithkin_json import export_json
from kithkin.exporters.vcard import export_vcards
from kithkin.importers.kithkin_json import read_document, restore
from kithkin.importers.records import ImportFileError
from kithkin.models import (
    Attendance,
    Event,
    Interaction,
    Mentorship,
    MessageTemplate,
    Milestone,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    Relationship,
    Tag,
    ValueExchange,
)
from kithkin.services.accounts import create_network
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_network(network, owner):
    """A network with one of everything, awkward values included."""
    generate_network(network, owner, people=40, interactions=300, seed=3, today=TODAY)
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        phones=["+44 20 7946 0958"],
        urls=["linkedin.com/in/ada"],
        organization="Analytical Engines",
        title="CTO",
        circle="close",
        tags=["mentor-candidate"],
        notes='=HYPERLINK("x")\nsecond line',
        connected_on=dt.date(2024, 1, 12),
    )
    grace = make_person(network, "Grace Hopper", introduced_by=ada)
    Relationship.objects.create(network=network, from_person=ada, to_person=grace, kind="mentor")
    talk = log(
        network, [ada, grace], on=dt.date(2026, 2, 1), summary="Compilers ✨", learned="hiring"
    )
    make_follow_up(network, ada, "Send the paper", due_on=dt.date(2026, 2, 22))
    from kithkin.services.followups import add_follow_up

    add_follow_up(
        network, owner, people=[ada, grace], title="Intro", due_on=TODAY, interaction=talk
    )
    _one_of_each_practice(network, ada, grace, talk)
    return network


def _one_of_each_practice(network, ada, grace, talk):
    """Events, mentorships, templates, the ledger, milestones, opportunities: each linked
    every way it can be, so a restore that drops a link shows in the second export."""
    me = Person.objects.get(network=network, is_self=True)
    org = Organization.objects.get(network=network, name="Analytical Engines")
    tag = Tag.objects.get(network=network, name="mentor-candidate")
    event = Event.objects.create(
        network=network,
        name="PyCon ✨",
        kind="conference",
        starts_on=dt.date(2026, 1, 30),
        ends_on=dt.date(2026, 2, 1),
        organizer=org,
        status="attended",
        notes="*talks*",
    )
    event.tags.add(tag)
    Attendance.objects.create(event=event, person=grace, note="COBOL")
    mentorship = Mentorship.objects.create(
        network=network,
        mentor=ada,
        mentee=me,
        goals="Lead a team\nHire well",
        cadence_days=30,
        started_on=dt.date(2025, 9, 1),
    )
    milestone = Milestone.objects.create(
        network=network, person=ada, kind="promotion", year=2026, month=2, day=2, note="VP"
    )
    Interaction.objects.filter(pk=talk.pk).update(
        event=event,
        mentorship=mentorship,
        milestone=milestone,
        occasion="milestone:1:2026",
        questions_answered_at=talk.occurred_at,
    )
    MessageTemplate.objects.create(
        network=network, kind="thank-you", subject="Merci", body="Merci {first_name}"
    )
    ValueExchange.objects.create(
        network=network,
        giver=me,
        receiver=ada,
        introduced_to=grace,
        kind="introduction",
        occurred_on=dt.date(2026, 2, 1),
        weight=4,
        interaction=talk,
        thanked_at=talk.occurred_at,
        thanked_in=talk,
        external_id="x1",
    )
    job = Opportunity.objects.create(
        network=network,
        kind="job",
        title="Staff engineer",
        organization=org,
        source=ada,
        deadline=dt.date(2026, 3, 1),
        status="shared",
    )
    job.tags.add(tag)
    OpportunityShare.objects.create(
        opportunity=job, person=grace, note="fits", outcome="applied", interaction=talk
    )
    network.thanks_within_days = 5
    network.save()


def test_json_export_restore_export_is_identical(full_network, owner):
    first = export_json(full_network)
    empty = create_network(owner, name="Restored")
    restore(empty, owner, read_document(first.encode(), "export.json"), "export.json")
    assert export_json(empty) == first
    document = json.loads(first)
    assert document["format"] == "kithkin" and document["version"] == 2
    assert len(document["people"]) == 43  # 40 generated, Ada, Grace and me
    assert document["network"]["thanks_within_days"] == 5
    for table in (
        "events",
        "attendances",
        "mentorships",
        "message_templates",
        "value_exchanges",
        "milestones",
        "opportunities",
        "opportunity_shares",
    ):
        assert document[table], f"{table} is empty: the fixture should cover it"


def test_a_version_1_export_still_restores(full_network, owner):
    document = json.loads(export_json(full_network))
    document["version"] = 1
    for table in ("events", "attendances", "mentorships", "message_templates"):
        del document[table]
    for table in ("value_exchanges", "milestones", "opportunities", "opportunity_shares"):
        del document[table]
    for item in document["interactions"]:
        for name in ("questions_answered_at", "event", "mentorship", "milestone", "occasion"):
            del item[name]
    for name in ("renewal_notice_days", "thanks_within_days", "celebrate_within_days"):
        del document["network"][name]
    empty = create_network(owner, name="Restored")
    summary = restore(empty, owner, document, "v1.json")
    assert summary.people == 43
    assert not Event.objects.filter(network=empty).exists()


def test_restored_network_works_like_the_original(full_network, owner):
    from kithkin.queries.agenda import agenda
    from kithkin.queries.search import search

    empty = create_network(owner, name="Restored")
    restore(empty, owner, read_document(export_json(full_network).encode(), "x.json"), "x.json")
    original, copy = agenda(full_network, TODAY), agenda(empty, TODAY)
    assert [c.person.full_name for c in copy.check_ins] == [
        c.person.full_name for c in original.check_ins
    ]
    assert [h.person.full_name for h in search(empty, "analytical").people] == ["Ada Lovelace"]


def test_restoring_needs_an_empty_network(full_network, owner):
    with pytest.raises(ImportFileError, match="empty network"):
        restore(
            full_network,
            owner,
            read_document(export_json(full_network).encode(), "x.json"),
            "x.json",
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{", "is not Kithkin JSON"),
        (b'{"format": "other"}', "is not a Kithkin export"),
        (b'{"format": "kithkin", "version": 99}', "is version 99"),
        (b"\xff\xfe", "is not Kithkin JSON"),
    ],
)
def test_bad_json_files_are_refused_clearly(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_document(data, "x.json")


def test_a_broken_document_names_the_record_and_writes_nothing(full_network, owner):
    document = json.loads(export_json(full_network))
    del document["people"][5]["full_name"]
    empty = create_network(owner, name="Restored")
    with pytest.raises(ImportFileError, match=r"people\[5\]\.full_name: is missing"):
        restore(empty, owner, document, "x.json")
    assert not empty.people.filter(is_self=False).exists()


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_reads_back(full_network, version):
    text = export_vcards(full_network, version=version)
    cards = list(vobject.readComponents(text))
    assert len(cards) == 42
    ada = next(card for card in cards if card.fn.value == "Ada Lovelace")
    assert ada.version.value == version
    assert ada.email.value == "ada@example.org"
    assert ada.org.value == ["Analytical Engines"]
    assert ada.note.value == '=HYPERLINK("x")\nsecond line'
    assert ada.categories.value == ["mentor-candidate"]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ada", "Ada"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_become_formulas(cell, safe):
    assert neutralise(cell) == safe


def test_csv_export_reads_back(full_network):
    rows = list(csv.DictReader(io.StringIO(export_csv(full_network))))
    assert len(rows) == 42
    ada = next(row for row in rows if row["name"] == "Ada Lovelace")
    assert (ada["emails"], ada["organization"], ada["circle"]) == (
        "ada@example.org",
        "Analytical Engines",
        "close",
    )
    assert ada["phones"] == "'+44 20 7946 0958"  # neutralised: it starts with +
    assert ada["notes"] == '\'=HYPERLINK("x")\nsecond line'


def test_export_and_restore_through_the_cli(full_network, owner, tmp_path):
    runner = CliRunner()
    target = tmp_path / "network.json"
    result = runner.invoke(app, ["export", "json", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["network", "new", "Restored"]).exit_code == 0
    dry = runner.invoke(app, ["import", "json", str(target), "--dry-run"])
    assert "Would restore 43 people" in dry.stdout
    result = runner.invoke(app, ["import", "json", str(target)])
    assert "Restored 43 people" in result.stdout
    again = runner.invoke(app, ["import", "json", str(target)])
    assert again.exit_code == 2
    assert "restored into an empty network" in again.stderr
    assert runner.invoke(app, ["export", "json"]).stdout == target.read_text()
    assert runner.invoke(app, ["export", "vcard", "--vcard-version", "3"]).stdout.startswith(
        "BEGIN:VCARD"
    )
    assert runner.invoke(app, ["export", "xml"]).exit_code == 2


@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_reimported_by_kithkin_changes_nothing(full_network, owner, version):
    """Export, then import the file back into the same network: everyone is matched."""
    from kithkin.importers.plan import plan_import
    from kithkin.importers.vcard import parse_vcards

    text = export_vcards(full_network, version=version)
    parsed = parse_vcards(text.encode(), "export.vcf")
    assert parsed.errors == []
    plan = plan_import(full_network, parsed)
    assert plan.summary["new"] == 0
    assert not [c.changes for c in plan.contacts if c.changes]


def test_vcard_export_into_an_empty_network_keeps_names_and_contact_points(full_network, owner):
    from kithkin.importers.apply import apply_plan
    from kithkin.importers.plan import plan_import
    from kithkin.importers.vcard import parse_vcards
    from kithkin.models import ContactPoint, Person

    empty = create_network(owner, name="Copy")
    apply_plan(
        empty,
        owner,
        plan_import(empty, parse_vcards(export_vcards(full_network).encode(), "x.vcf")),
    )

    def summary(network):
        return sorted(
            (p.full_name, tuple(sorted(p.contact_points.values_list("normalized", flat=True))))
            for p in Person.objects.filter(network=network, is_self=False).prefetch_related(
                "contact_points"
            )
        )

    assert summary(empty) == summary(full_network)
    assert ContactPoint.objects.filter(person__network=empty).exists()
