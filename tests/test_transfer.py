"""The transfer service: upload -> plan -> apply (or discard), and exports from the registry.
The CLI's and the web's own tests (tests/importers/test_import_cli.py,
tests/web/test_transfer_pages.py) drive the same functions through their interfaces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kithkin import transfer
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.exporters import EXPORT_FORMATS
from kithkin.importers.records import ImportFileError
from kithkin.models import ImportUpload, Person
from kithkin.services import uploads
from tests.conftest import FROZEN_NOW
from tests.factories import make_person

pytestmark = pytest.mark.django_db

VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    b"EMAIL;TYPE=INTERNET:ada@example.org\r\nORG:Analytical Engines\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\nEND:VCARD\r\n"
)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # uploads never touch the real data directory


def upload(network, user, data: bytes = VCARDS, name: str = "contacts.vcf", **options):
    return transfer.store_upload(network, user, name=name, chunks=[data], **options)


def names(network) -> set[str]:
    return set(
        Person.objects.filter(network=network, is_self=False).values_list("full_name", flat=True)
    )


def files() -> list[Path]:
    return sorted(uploads.folder().iterdir())


# Upload, plan, apply


def test_upload_plan_apply_writes_what_the_plan_said(
    network, owner, django_capture_on_commit_callbacks
):
    stored = upload(network, owner)
    assert (stored.format, stored.original_name, stored.size) == (
        "vcard",
        "contacts.vcf",
        len(VCARDS),
    )
    assert names(network) == set()  # nothing is read on upload

    planned = transfer.plan_upload(network, owner, stored.pk)
    assert planned.plan.summary["new"] == 2
    assert [c.record.full_name for c in planned.plan.contacts] == ["Ada Lovelace", "Grace Hopper"]
    assert names(network) == set()  # nor written on plan

    with django_capture_on_commit_callbacks(execute=True):
        applied = transfer.apply_upload(network, owner, stored.pk)
    assert applied.summary is not None and len(applied.summary.created) == 2
    assert not applied.already_applied
    assert names(network) == {"Ada Lovelace", "Grace Hopper"}
    assert applied.upload.applied == {"created": 2, "updated": 0, "interactions": 0, "values": 0}
    assert files() == []  # the bytes and the plan are gone once applied


def test_the_format_is_told_by_the_name_when_not_chosen(network, owner):
    assert upload(network, owner, name="Contacts.VCF").format == "vcard"
    assert upload(network, owner, b"BEGIN:VCALENDAR", name="cal.ics").format == "ics"
    assert upload(network, owner, b"PK", name="Basic_LinkedInDataExport.zip").format == "linkedin"
    with pytest.raises(InvalidInput, match=r"cannot tell the format of 'people.csv'"):
        upload(network, owner, b"First Name\r\n", name="people.csv")
    with pytest.raises(InvalidInput, match=r"'xml' is not one of"):
        upload(network, owner, name="people.xml", format_name="xml")


def test_an_upload_over_the_limit_is_refused_and_not_kept(network, owner, monkeypatch):
    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(InvalidInput, match=r"contacts.vcf is over"):
        upload(network, owner)  # no size announced: the bytes are counted
    with pytest.raises(InvalidInput, match=r"contacts.vcf is over"):
        upload(network, owner, b"", size=101)
    assert files() == [] and not ImportUpload.objects.exists()


def test_problems_name_the_file_as_uploaded_with_line_and_field(network, owner):
    cards = (
        VCARDS + b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Mail\r\nEMAIL:no at all\r\nEND:VCARD\r\n"
    )
    stored = upload(network, owner, cards, name="mine.vcf")
    [error] = transfer.plan_upload(network, owner, stored.pk).plan.errors
    assert (error.path, error.line, error.field) == ("mine.vcf", 13, "email")
    assert str(error).startswith("mine.vcf:13: email: ")


def test_a_file_that_cannot_be_read_is_refused_by_its_name_and_deleted(network, owner):
    stored = upload(network, owner, b"not a vcard at all", name="oops.vcf")
    with pytest.raises(ImportFileError) as refused:
        transfer.plan_upload(network, owner, stored.pk)
    assert refused.value.path == "oops.vcf"
    assert str(refused.value).startswith("oops.vcf: ")
    assert uploads.folder().as_posix() not in str(refused.value)
    assert files() == [] and not ImportUpload.objects.exists()


def test_apply_needs_a_plan_first(network, owner):
    stored = upload(network, owner)
    with pytest.raises(InvalidInput, match=r"contacts.vcf has no plan yet"):
        transfer.apply_upload(network, owner, stored.pk)
    assert names(network) == set()


def test_applying_twice_writes_once(network, owner):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    transfer.apply_upload(network, owner, stored.pk)
    again = transfer.apply_upload(network, owner, stored.pk)
    assert again.already_applied and again.summary is None
    assert again.upload.applied == {"created": 2, "updated": 0, "interactions": 0, "values": 0}
    assert Person.objects.filter(network=network, is_self=False).count() == 2
    with pytest.raises(InvalidInput, match="was imported already"):
        transfer.plan_upload(network, owner, stored.pk)


def test_the_same_file_again_plans_nothing_and_applies_nothing(network, owner):
    first = upload(network, owner)
    transfer.plan_upload(network, owner, first.pk)
    transfer.apply_upload(network, owner, first.pk)
    second = upload(network, owner)
    plan = transfer.plan_upload(network, owner, second.pk).plan
    assert (plan.summary["unchanged"], plan.changes_anything) == (2, False)
    applied = transfer.apply_upload(network, owner, second.pk)
    assert applied.summary is None
    assert applied.upload.applied == {"created": 0, "updated": 0, "interactions": 0, "values": 0}
    assert Person.objects.filter(network=network, is_self=False).count() == 2


def test_a_stale_plan_is_refused_and_the_new_one_kept_for_review(network, owner, teammate):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    # Meanwhile a teammate adds Ada: the plan reviewed would add her a second time.
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"], by=teammate)
    with pytest.raises(transfer.StalePlan, match="the network changed since this plan was made"):
        transfer.apply_upload(network, owner, stored.pk)
    assert not Person.objects.filter(full_name="Grace Hopper").exists()  # nothing written
    review = transfer.stored_plan(network, owner, stored.pk).plan
    assert review.summary["new"] == 1
    assert [c.person_id for c in review.contacts if c.action != "new"] == [ada.pk]
    transfer.apply_upload(network, owner, stored.pk)  # the new plan, once reviewed
    assert Person.objects.filter(network=network, full_name="Ada Lovelace").count() == 1
    assert Person.objects.filter(network=network, full_name="Grace Hopper").count() == 1


def test_a_change_the_plan_does_not_depend_on_leaves_it_valid(network, owner, teammate):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    make_person(network, "Someone Else", by=teammate)
    assert transfer.apply_upload(network, owner, stored.pk).summary is not None
    assert {"Ada Lovelace", "Grace Hopper"} <= names(network)


def test_a_tampered_plan_is_never_applied(network, owner):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    uploads.plan_path_of(stored.stored_name).write_bytes(b"something else")
    with pytest.raises(NotFound, match="has no plan yet"):
        transfer.apply_upload(network, owner, stored.pk)
    assert names(network) == set()


def test_discard_deletes_the_upload_and_its_plan(network, owner):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    assert len(files()) == 2
    transfer.discard_upload(network, owner, stored.pk)
    assert files() == [] and not ImportUpload.objects.exists()


def test_the_options_of_an_upload_are_kept_for_its_plan_and_apply(network, owner):
    stored = upload(network, owner, circle="regular")
    transfer.plan_upload(network, owner, stored.pk)
    transfer.apply_upload(network, owner, stored.pk)
    joined = Person.objects.filter(network=network, is_self=False).values_list("circle__name")
    assert set(joined) == {("regular",)}


# Expiry


def test_an_expired_upload_is_gone(network, owner, frozen_time):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    frozen_time.move_to(FROZEN_NOW + uploads.ABANDONED_AFTER + dt.timedelta(minutes=1))
    with pytest.raises(NotFound, match=r"contacts.vcf: this upload has expired"):
        transfer.apply_upload(network, owner, stored.pk)
    assert files() == [] and not ImportUpload.objects.exists()
    assert names(network) == set()


def test_housekeeping_deletes_expired_uploads_rows_and_files(network, owner, frozen_time):
    old = upload(network, owner)
    transfer.plan_upload(network, owner, old.pk)
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(hours=23))
    fresh = upload(network, owner, name="fresh.vcf")
    frozen_time.move_to(FROZEN_NOW + uploads.ABANDONED_AFTER + dt.timedelta(minutes=1))
    uploads.sweep_abandoned(FROZEN_NOW + uploads.ABANDONED_AFTER + dt.timedelta(minutes=1))
    assert list(ImportUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert files() == [uploads.path_of(fresh.stored_name)]


# Who may


def test_a_viewer_cannot_upload(network, viewer):
    with pytest.raises(Forbidden):
        upload(network, viewer)
    assert files() == [] and not ImportUpload.objects.exists()


def test_a_viewer_cannot_plan_apply_or_import_a_file(network, owner, viewer, tmp_path):
    stored = upload(network, owner)
    transfer.plan_upload(network, owner, stored.pk)
    with pytest.raises(Forbidden):
        transfer.plan_upload(network, viewer, stored.pk)
    with pytest.raises(Forbidden):
        transfer.apply_upload(network, viewer, stored.pk)
    path = tmp_path / "cards.vcf"
    path.write_bytes(VCARDS)
    with pytest.raises(Forbidden):
        transfer.import_file(network, viewer, "vcard", path)
    assert transfer.import_file(network, viewer, "vcard", path, dry_run=True).summary is None
    assert names(network) == set()


def test_an_outsider_cannot_reach_an_upload(network, owner, outsider):
    from kithkin import access

    stored = upload(network, owner)
    theirs = access.current_network(outsider)
    for step in (transfer.plan_upload, transfer.apply_upload, transfer.discard_upload):
        with pytest.raises(NotFound):
            step(theirs, outsider, stored.pk)  # through their own network
        with pytest.raises(NotFound):
            step(network, outsider, stored.pk)  # or naming the owner's
    assert ImportUpload.objects.filter(pk=stored.pk).exists()


def test_an_upload_is_its_uploaders_own(network, owner, teammate):
    stored = upload(network, owner)
    with pytest.raises(NotFound, match=f"No upload #{stored.pk}"):
        transfer.plan_upload(network, teammate, stored.pk)
    with pytest.raises(NotFound):
        transfer.discard_upload(network, teammate, stored.pk)


# Import from a file here, restore


def test_import_file_plans_and_applies_in_one_go(network, owner, tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_bytes(VCARDS)
    heard: list[str] = []
    dry = transfer.import_file(network, owner, "vcard", path, dry_run=True)
    assert dry.plan.summary["new"] == 2 and dry.summary is None and names(network) == set()
    done = transfer.import_file(network, owner, "VCARD", path, progress=heard.append)
    assert done.summary is not None and len(done.summary.created) == 2
    assert heard[0] == "people" and heard[-1] == "search index"
    again = transfer.import_file(network, owner, "vcard", path)
    assert again.summary is None and again.plan.summary["unchanged"] == 2


def test_restore_file_counts_what_it_restores(network, owner, tmp_path):
    from kithkin.services.accounts import create_network

    make_person(network, "Ada Lovelace")
    path = tmp_path / "export.kithkin.json"
    path.write_text(transfer.export_network(network, owner, "json").body)
    empty = create_network(owner, name="Restored")
    counts = transfer.restore_file(empty, owner, path, dry_run=False)
    assert counts == {"people": 2, "interactions": 0, "follow_ups": 0}
    assert names(empty) == {"Ada Lovelace"}


# Export


@pytest.mark.parametrize("name", list(EXPORT_FORMATS))
def test_every_registered_format_exports_the_network(network, owner, viewer, name):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    export = transfer.export_network(network, viewer, name)  # reading is enough
    assert "Ada Lovelace" in export.body
    assert export.filename.endswith(EXPORT_FORMATS[name].extension)
    assert export.content_type == f"{EXPORT_FORMATS[name].content_type}; charset=utf-8"


def test_export_versions_and_unknown_formats(network, owner):
    make_person(network, "Ada Lovelace")
    assert "VERSION:3.0" in transfer.export_network(network, owner, "vcard", version="3.0").body
    assert "VERSION:4.0" in transfer.export_network(network, owner, "vcard").body
    with pytest.raises(InvalidInput, match=r"'xml' is not one of vcard, csv, json"):
        transfer.export_network(network, owner, "xml")
    with pytest.raises(InvalidInput, match=r"'2.1' is not one of 4.0, 3.0"):
        transfer.export_network(network, owner, "vcard", version="2.1")
    document = json.loads(transfer.export_network(network, owner, "json").body)
    assert document["format"] == "kithkin"


def test_an_outsider_cannot_export_a_network(network, outsider):
    make_person(network, "Ada Lovelace")
    with pytest.raises(NotFound):
        transfer.export_network(network, outsider, "csv")
