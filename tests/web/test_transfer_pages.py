"""Import with a preview, and exports as downloads, in the web app."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kithkin.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db

VCARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nN:Lovelace;Ada;;;\r\n"
    b"EMAIL;TYPE=INTERNET:ada@example.org\r\nORG:Analytical Engines\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@navy.example\r\nEND:VCARD\r\n"
)


def upload(client, data: bytes = VCARDS, name: str = "contacts.vcf", fmt: str = "vcard"):
    return client.post("/import/", {"format": fmt, "file": SimpleUploadedFile(name, data)})


def test_upload_shows_the_plan_and_writes_nothing_until_confirmed(owner_client, network):
    response = upload(owner_client)
    assert response.url == "/import/preview/"
    page = owner_client.get("/import/preview/").content.decode()
    assert "Plan for contacts.vcf" in page
    assert "2 new" in page
    assert "Ada Lovelace" in page
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()
    owner_client.post("/import/preview/", {"confirm": "yes"})
    assert (
        Person.objects.filter(
            network=network, full_name__in=["Ada Lovelace", "Grace Hopper"]
        ).count()
        == 2
    )


def test_the_same_file_again_changes_nothing(owner_client, network):
    upload(owner_client)
    owner_client.post("/import/preview/", {"confirm": "yes"})
    upload(owner_client)
    page = owner_client.get("/import/preview/").content.decode()
    assert "Nothing to change" in page
    assert "2 unchanged" in page


def test_cancel_deletes_the_upload(owner_client, settings):
    from pathlib import Path

    upload(owner_client)
    owner_client.post("/import/preview/", {"confirm": "no"})
    assert list((Path(settings.DATA_DIR) / "uploads").iterdir()) == []
    assert not Person.objects.filter(full_name="Ada Lovelace").exists()


def test_a_file_of_the_wrong_format_says_so(owner_client):
    upload(owner_client, b"not a vcard at all", "oops.vcf")
    response = owner_client.get("/import/preview/")
    assert response.status_code == 400
    assert "oops.vcf" in response.content.decode()


def test_viewers_cannot_import(viewer_client, viewer, network):
    viewer.current_network = network
    viewer.save()
    assert viewer_client.get("/import/").status_code == 403
    assert upload(viewer_client).status_code == 403


@pytest.mark.parametrize(
    ("fmt", "kind", "marker"),
    [
        ("vcard", "text/vcard", "FN:Ada Lovelace"),
        ("csv", "text/csv", "Ada Lovelace"),
        ("json", "application/json", '"full_name": "Ada Lovelace"'),
    ],
)
def test_exports_download(owner_client, network, fmt, kind, marker):
    make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    response = owner_client.get(f"/export/{fmt}/")
    assert response["Content-Type"].startswith(kind)
    assert response["Content-Disposition"].startswith("attachment;")
    assert marker in response.content.decode()
    if fmt == "json":
        assert json.loads(response.content)["format"] == "kithkin"


def test_unknown_export_is_404(owner_client):
    assert owner_client.get("/export/xml/").status_code == 404


def test_abandoned_uploads_are_swept_after_a_day(owner_client, teammate, settings):
    import os
    from pathlib import Path

    from tests.web.conftest import client_for

    uploads = Path(settings.DATA_DIR) / "uploads"
    upload(owner_client)  # the owner never confirms nor cancels
    [abandoned] = list(uploads.iterdir())
    other = client_for(teammate)
    upload(other, name="recent.vcf")
    assert abandoned.exists()  # a fresh upload of someone else is left alone
    os.utime(abandoned, (0, 0))  # ... until it is a day old
    upload(other, name="again.vcf")
    assert not abandoned.exists()
    assert len(list(uploads.iterdir())) == 1


def test_a_calendar_upload_may_add_the_people_it_names(owner_client, network):
    from tests.importers.test_import_cli import MEETING

    owner_client.post(
        "/import/",
        {
            "format": "ics",
            "create_people": "on",
            "file": SimpleUploadedFile("cal.ics", MEETING.encode()),
        },
    )
    page = owner_client.get("/import/preview/").content.decode()
    assert "Grace Hopper" in page
    owner_client.post("/import/preview/", {"confirm": "yes"})
    assert (
        Person.objects.filter(
            network=network, full_name__in=["Ada Lovelace", "Grace Hopper"]
        ).count()
        == 2
    )


def test_a_plan_made_stale_by_a_teammate_is_shown_again_not_applied(
    owner_client, network, teammate
):
    upload(owner_client)
    owner_client.get("/import/preview/")  # the owner reviews: 2 new
    make_person(network, "Ada Lovelace", emails=["ada@example.org"], by=teammate)
    response = owner_client.post("/import/preview/", {"confirm": "yes"})
    page = response.content.decode()
    assert "the network changed since this plan was made" in page
    assert "1 new" in page  # the new plan, to review
    assert not Person.objects.filter(full_name="Grace Hopper").exists()
    owner_client.post("/import/preview/", {"confirm": "yes"})
    assert Person.objects.filter(network=network, full_name="Ada Lovelace").count() == 1
    assert Person.objects.filter(network=network, full_name="Grace Hopper").count() == 1


def test_an_expired_upload_says_so(owner_client, frozen_time):
    import datetime as dt

    from kithkin.services.uploads import ABANDONED_AFTER
    from tests.conftest import FROZEN_NOW

    upload(owner_client)
    frozen_time.move_to(FROZEN_NOW + ABANDONED_AFTER + dt.timedelta(minutes=1))
    response = owner_client.get("/import/preview/", follow=True)
    assert "contacts.vcf: this upload has expired" in response.content.decode()


def test_the_export_links_are_the_registrys(owner_client):
    from kithkin.exporters import EXPORT_FORMATS

    page = owner_client.get("/import/").content.decode()
    for export in EXPORT_FORMATS.values():
        assert f'href="/export/{export.name}/"' in page and export.label in page


def test_an_upload_over_the_limit_is_refused(owner_client, monkeypatch, settings):
    from pathlib import Path

    from kithkin import transfer

    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 100)
    response = upload(owner_client)
    assert "contacts.vcf is over" in response.content.decode()
    assert list((Path(settings.DATA_DIR) / "uploads").iterdir()) == []
