"""Photos on the web: uploaded, replaced and removed on the edit page by those who may
write, served only to members of the network, shown as avatars without a query per row."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from kithkin import photos
from kithkin.models import Change, Person, Photo
from kithkin.services.photos import set_photo
from tests.factories import log, make_person
from tests.photos.images import bomb, jpeg_with_gps, png
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(network, "Ada Lovelace", circle="close", connected_on=dt.date(2025, 1, 1))


def upload(client, person, data: bytes, name: str = "ada.jpg"):
    return client.post(
        f"/people/{person.pk}/photo/", {"photo": SimpleUploadedFile(name, data)}, follow=True
    )


def test_the_owner_uploads_a_photo_that_comes_back_clean(owner_client, ada):
    response = upload(owner_client, ada, jpeg_with_gps())
    assert "Photo saved." in response.content.decode()
    ada.refresh_from_db()
    assert ada.photo_digest
    page = owner_client.get(f"/people/{ada.pk}/").content.decode()
    url = f"/people/{ada.pk}/photo/{ada.photo_digest}.jpg"
    assert f'src="{url}"' in page

    served = owner_client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["Cache-Control"] == "private, max-age=31536000, immutable"
    assert served["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(served.content))
    assert image.getexif().get_ifd(0x8825) == {} and "exif" not in image.info
    small = owner_client.get(f"/people/{ada.pk}/photo/{ada.photo_digest}/small.jpg")
    assert Image.open(io.BytesIO(small.content)).size == (photos.THUMB, photos.THUMB)
    # pages stay out of every cache
    assert owner_client.get(f"/people/{ada.pk}/")["Cache-Control"] == "no-store"

    change = Change.objects.filter(kind="person.updated").latest("pk")
    assert change.data == {"fields": ["photo"]} and change.person_ids == [ada.pk]


def test_a_teammate_replaces_and_removes_it(network, teammate, ada):
    teammate.current_network = network
    teammate.save()
    client = client_for(teammate)
    upload(client, ada, png())
    ada.refresh_from_db()
    first = ada.photo_digest
    upload(client, ada, png(color=(0, 0, 200)))
    ada.refresh_from_db()
    assert ada.photo_digest not in ("", first)
    assert client.get(f"/people/{ada.pk}/photo/{first}.jpg").status_code == 404  # old URL
    assert Photo.objects.count() == 1

    response = client.post(f"/people/{ada.pk}/photo/remove/", follow=True)
    assert "Photo removed." in response.content.decode()
    ada.refresh_from_db()
    assert ada.photo_digest == "" and not Photo.objects.exists()
    assert "Add a photo" in client.get(f"/people/{ada.pk}/edit/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a but not really", "this is not an image Kithkin reads"),
        (b"<html><script>alert(1)</script></html>", "this is not an image Kithkin reads"),
        (bomb(), "decompression bomb"),
    ],
)
def test_what_is_no_photo_is_refused_naming_the_file_and_field(owner_client, ada, data, message):
    response = upload(owner_client, ada, data, name="holiday.gif")
    text = response.content.decode()
    assert "holiday.gif: photo: " in text and message in text
    ada.refresh_from_db()
    assert ada.photo_digest == "" and not Photo.objects.exists()


def test_uploading_the_same_photo_again_is_no_change(owner_client, ada):
    upload(owner_client, ada, png())
    changes = Change.objects.count()
    upload(owner_client, ada, png())
    assert Change.objects.count() == changes


def test_a_viewer_sees_the_photo_but_cannot_change_it(network, owner, viewer, ada):
    set_photo(network, owner, ada, png())
    ada.refresh_from_db()
    viewer.current_network = network
    viewer.save()
    client = client_for(viewer)
    assert client.get(f"/people/{ada.pk}/photo/{ada.photo_digest}.jpg").status_code == 200
    assert upload(client, ada, png(color=(9, 9, 9))).status_code == 403
    assert client.post(f"/people/{ada.pk}/photo/remove/").status_code == 403
    assert client.get(f"/people/{ada.pk}/edit/").status_code == 403
    ada.refresh_from_db()
    assert Photo.objects.get().digest == ada.photo_digest


def test_an_outsider_gets_404_for_the_photo_and_changes_nothing(network, owner, outsider, ada):
    set_photo(network, owner, ada, png())
    ada.refresh_from_db()
    client = client_for(outsider)
    for url in (
        f"/people/{ada.pk}/photo/{ada.photo_digest}.jpg",
        f"/people/{ada.pk}/photo/{ada.photo_digest}/small.jpg",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Cache-Control"] == "no-store"
    assert client.post(f"/people/{ada.pk}/photo/remove/").status_code == 404
    assert upload(client, ada, png(color=(9, 9, 9))).status_code == 404
    assert Photo.objects.get().digest == ada.photo_digest


def test_signed_out_visitors_are_sent_to_log_in(client, network, owner, ada):
    set_photo(network, owner, ada, png())
    ada.refresh_from_db()
    response = client.get(f"/people/{ada.pk}/photo/{ada.photo_digest}.jpg")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_avatars_show_on_people_today_and_the_brief(network, owner, owner_client, ada):
    set_photo(network, owner, ada, png())
    ada.refresh_from_db()
    small = f"/people/{ada.pk}/photo/{ada.photo_digest}/small.jpg"
    full = f"/people/{ada.pk}/photo/{ada.photo_digest}.jpg"
    grace = make_person(network, "Grace Hopper")
    people = owner_client.get("/people/").content.decode()
    assert f'src="{small}"' in people
    assert ">GH</a>" in people  # no photo: her initials
    today = owner_client.get("/today/").content.decode()
    assert f'src="{small}"' in today  # Ada is due for a check-in (close circle)
    assert f'src="{full}"' in owner_client.get(f"/people/{ada.pk}/brief/").content.decode()
    assert grace.photo_digest == ""


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/people/", "/today/"])
def test_photos_add_no_query_per_row(network, owner, owner_client, url):
    def grow(start: int, count: int, *, with_photos: bool) -> None:
        for i in range(start, start + count):
            person = make_person(network, f"Person {i}", circle="close", tags=[f"t{i % 3}"])
            log(network, person, on=dt.date(2026, 1, 1), summary="chat")
            if with_photos:
                set_photo(network, owner, person, png(color=(i, 2 * i, 100)))

    grow(0, 3, with_photos=False)
    without = queries(owner_client, url)
    grow(3, 12, with_photos=True)
    assert queries(owner_client, url) == without
    assert Person.objects.exclude(photo_digest="").count() == 12
