"""A person's photo through the API: read (full and thumbnail), set from a request body
(re-encoded, metadata stripped), remove; the person's card and row name where it is;
viewers read but do not write, outsiders see nothing."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from kithkin.models import Change, Person
from tests.factories import make_person
from tests.photos.images import jpeg_with_gps, png

pytestmark = pytest.mark.django_db


def _path(network, person) -> str:
    return f"/api/v1/networks/{network.pk}/people/{person.pk}/photo"


def _put(api, path: str, data: bytes, content_type: str = "image/jpeg"):
    """PUT the image bytes themselves as the body (``Caller.call`` sends JSON)."""
    return Client().generic(
        "PUT", path, data=data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {api.secret}"
    )


def test_set_read_and_remove_a_photo(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    path = _path(network, ada)
    assert owner_api.get(path).status_code == 404

    answer = _put(owner_api, path, jpeg_with_gps())
    assert answer.status_code == 200
    digest = answer.json()["digest"]
    assert answer.json()["url"] == path
    ada.refresh_from_db()
    assert ada.photo_digest == digest

    full = owner_api.get(path)
    assert full.status_code == 200
    assert full["Content-Type"] == "image/jpeg"
    assert full["ETag"] == f'"{digest}"'
    image = Image.open(io.BytesIO(full.content))
    assert image.format == "JPEG"
    assert not image.getexif()  # no EXIF, so no GPS
    small = owner_api.get(path + "?size=small")
    assert Image.open(io.BytesIO(small.content)).size < image.size

    card = owner_api.get(f"/api/v1/networks/{network.pk}/people/{ada.pk}").json()
    assert card["photo"] == path
    rows = owner_api.get(f"/api/v1/networks/{network.pk}/people").json()["items"]
    assert [row["photo"] for row in rows if row["id"] == ada.pk] == [path]

    assert owner_api.call("DELETE", path).status_code == 204
    assert owner_api.get(path).status_code == 404
    assert Person.objects.get(pk=ada.pk).photo_digest == ""
    assert owner_api.get(f"/api/v1/networks/{network.pk}/people/{ada.pk}").json()["photo"] is None


def test_the_same_photo_twice_is_no_change(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    image = png()
    first = _put(owner_api, _path(network, ada), image, "image/png").json()
    changes = Change.objects.count()
    again = _put(owner_api, _path(network, ada), image, "image/png").json()
    assert again == first
    assert Change.objects.count() == changes


def test_what_is_not_an_image_is_a_422_naming_the_photo(owner_api, network):
    ada = make_person(network, "Ada Lovelace")
    answer = _put(owner_api, _path(network, ada), b"%PDF-1.4 not an image", "application/pdf")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "photo"
    empty = _put(owner_api, _path(network, ada), b"")
    assert empty.status_code == 422
    assert Person.objects.get(pk=ada.pk).photo_digest == ""


def test_a_viewer_reads_but_cannot_set_and_an_outsider_sees_nothing(
    owner_api, viewer_api, outsider_api, network
):
    ada = make_person(network, "Ada Lovelace")
    path = _path(network, ada)
    assert _put(owner_api, path, png()).status_code == 200
    assert viewer_api.get(path).status_code == 200
    assert _put(viewer_api, path, png(color=(1, 2, 3))).status_code == 403
    assert viewer_api.call("DELETE", path).status_code == 403
    for answer in (
        outsider_api.get(path),
        _put(outsider_api, path, png()),
        outsider_api.call("DELETE", path),
    ):
        assert answer.status_code == 404
    assert Person.objects.get(pk=ada.pk).photo_digest != ""
