"""The API's import (upload → plan → apply, discard) and export."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kithkin.models import ImportUpload, Person
from tests.api.conftest import Caller
from tests.factories import make_person

pytestmark = pytest.mark.django_db

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Vera Rubin\r\nEMAIL:vera@example.org\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Edwin Hubble\r\nEND:VCARD\r\n"
)


def url(network, rest: str = "") -> str:
    return f"/api/v1/networks/{network.pk}{rest}"


def upload(api: Caller, network, body: str = VCARD, name: str = "contacts.vcf", **form):
    file = SimpleUploadedFile(name, body.encode(), content_type="text/vcard")
    return Client().post(
        url(network, "/imports"),
        {"file": file, "create_people": "true", **form},
        HTTP_AUTHORIZATION=f"Bearer {api.secret}",
    )


def test_upload_plan_apply_then_applying_again_writes_nothing_more(owner_api, network):
    stored = upload(owner_api, network)
    assert stored.status_code == 201, stored.content
    assert stored.json() | {"id": 0} == {
        "id": 0,
        "name": "contacts.vcf",
        "format": "vcard",
        "size": len(VCARD),
        "create_people": True,
        "circle": "",
        "planned": False,
        "applied": False,
    }
    upload_id = stored.json()["id"]
    early = owner_api.call("POST", url(network, f"/imports/{upload_id}/apply"))
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "upload"
    plan = owner_api.call("POST", url(network, f"/imports/{upload_id}/plan"))
    assert plan.status_code == 200, plan.content
    assert plan.json()["summary"]["new"] == 2
    assert [p["name"] for p in plan.json()["people"]] == ["Vera Rubin", "Edwin Hubble"]
    assert not Person.objects.filter(full_name="Vera Rubin").exists()
    applied = owner_api.call("POST", url(network, f"/imports/{upload_id}/apply"))
    assert applied.status_code == 200, applied.content
    assert (applied.json()["created"], applied.json()["already_applied"]) == (2, False)
    assert Person.objects.filter(network=network, full_name="Vera Rubin").count() == 1
    again = owner_api.call("POST", url(network, f"/imports/{upload_id}/apply"))
    assert (again.json()["created"], again.json()["already_applied"]) == (2, True)
    assert Person.objects.filter(network=network, full_name="Vera Rubin").count() == 1


def test_a_plan_gone_stale_is_409_and_the_new_plan_is_there_to_review(owner_api, network):
    upload_id = upload(owner_api, network).json()["id"]
    owner_api.call("POST", url(network, f"/imports/{upload_id}/plan"))
    make_person(network, "Edwin Hubble")  # the network changed since the plan was made
    stale = owner_api.call("POST", url(network, f"/imports/{upload_id}/apply"))
    assert stale.status_code == 409
    assert "nothing was written" in stale.json()["detail"]
    assert not Person.objects.filter(full_name="Vera Rubin").exists()
    reviewed = owner_api.get(url(network, f"/imports/{upload_id}/plan")).json()
    assert reviewed["summary"]["new"] == 1
    assert owner_api.call("POST", url(network, f"/imports/{upload_id}/apply")).status_code == 200
    assert Person.objects.filter(full_name="Vera Rubin").exists()


def test_a_file_that_cannot_be_read_is_422_naming_it(owner_api, network):
    upload_id = upload(owner_api, network, body="not a vcard at all", name="broken.vcf").json()[
        "id"
    ]
    refused = owner_api.call("POST", url(network, f"/imports/{upload_id}/plan"))
    assert refused.status_code == 422, refused.content
    assert "broken.vcf" in refused.json()["detail"]
    assert refused.json()["errors"][0]["field"] == "file"
    assert not ImportUpload.objects.exists()


def test_a_format_that_cannot_be_told_is_422_naming_the_field(owner_api, network):
    refused = upload(owner_api, network, name="people.csv")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "format"


def test_an_upload_is_its_uploaders_own(owner_api, teammate_api, network):
    upload_id = upload(owner_api, network).json()["id"]
    assert teammate_api.get(url(network, f"/imports/{upload_id}")).status_code == 404
    assert teammate_api.call("POST", url(network, f"/imports/{upload_id}/plan")).status_code == 404
    assert teammate_api.call("DELETE", url(network, f"/imports/{upload_id}")).status_code == 404
    assert owner_api.call("DELETE", url(network, f"/imports/{upload_id}")).status_code == 204
    assert not ImportUpload.objects.exists()


def test_an_expired_upload_is_not_found(owner_api, network, frozen_time):
    upload_id = upload(owner_api, network).json()["id"]
    frozen_time.shift(60 * 60 * 25)
    gone = owner_api.call("POST", url(network, f"/imports/{upload_id}/plan"))
    assert gone.status_code == 404 and "expired" in gone.json()["detail"]


def test_a_viewer_uploads_nothing(viewer_api, network):
    assert upload(viewer_api, network).status_code == 403
    assert not ImportUpload.objects.exists()


def test_an_upload_may_be_larger_than_a_records_json(owner_api, network):
    big = VCARD + "NOTE:" + "x" * (1024 * 1024 + 10) + "\r\n"
    assert upload(owner_api, network, body=big).status_code == 201


@pytest.mark.parametrize(
    ("format_name", "content_type", "filename"),
    [
        ("vcard", "text/vcard; charset=utf-8", ".vcf"),
        ("csv", "text/csv; charset=utf-8", ".csv"),
        ("json", "application/json; charset=utf-8", ".kithkin.json"),
    ],
)
def test_export_as_the_webs_download(owner_api, network, format_name, content_type, filename):
    make_person(network, "Vera Rubin")
    response = owner_api.get(url(network, f"/export/{format_name}"))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith(f'{filename}"')
    assert "Vera Rubin" in response.content.decode()


def test_export_versions_and_unknown_formats(owner_api, network):
    make_person(network, "Vera Rubin")
    old = owner_api.get(url(network, "/export/vcard?version=3.0")).content.decode()
    assert "VERSION:3.0" in old
    bad = owner_api.get(url(network, "/export/vcard?version=9"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "version"
    assert owner_api.get(url(network, "/export/pdf")).status_code == 404
    document = json.loads(owner_api.get(url(network, "/export/json")).content)
    assert any(p["full_name"] == "Vera Rubin" for p in document["people"])
