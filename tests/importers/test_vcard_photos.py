"""PHOTO in vCards: inline (3.0 base64, 4.0 data URI) and by URI, exported and read back.

The files in files/vcard/photos/ are written the way their programs write them: Apple
Contacts (3.0, ``PHOTO;ENCODING=b;TYPE=JPEG:`` with folded base64), Nextcloud (4.0, a
data: URI), and a server that links its photos (``PHOTO;VALUE=uri:https://...``)."""

from __future__ import annotations

import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kithkin import photos
from kithkin.exporters.kithkin_json import export_json
from kithkin.exporters.vcard import export_vcards
from kithkin.importers import vcard_photo
from kithkin.importers.kithkin_json import read_document, restore
from kithkin.importers.records import ImportFileError
from kithkin.importers.vcard import parse_vcards
from kithkin.models import Change, Person, Photo
from kithkin.services.accounts import create_network
from kithkin.services.photos import set_photo
from kithkin.transfer import import_file
from tests.factories import make_person
from tests.photos.images import jpeg_with_gps, png

pytestmark = pytest.mark.django_db


def fold(text: str, width: int = 74) -> str:
    """Fold a content line as vCard writers do (a space starts each continuation)."""
    return "\r\n ".join(text[i : i + width] for i in range(0, len(text), width))


def card(name: str, photo_line: str, version: str = "3.0") -> str:
    return (
        f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:{name}\r\nEMAIL:{name.split()[0].lower()}"
        f"@example.org\r\n{fold(photo_line)}\r\nEND:VCARD\r\n"
    )


def write(tmp_path: Path, text: str, name: str = "contacts.vcf") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def stored(person: Person) -> Image.Image:
    image = Image.open(io.BytesIO(bytes(Photo.objects.get(person=person).image)))
    image.load()
    return image


def test_an_apple_3_0_inline_photo_imports_without_its_gps(network, owner, tmp_path):
    data = photos.to_base64(jpeg_with_gps())
    path = write(tmp_path, card("Ada Lovelace", f"PHOTO;ENCODING=b;TYPE=JPEG:{data}"))

    result = import_file(network, owner, "vcard", path, create_people=True)

    assert result.plan.errors == []
    ada = Person.objects.get(network=network, full_name="Ada Lovelace")
    image = stored(ada)
    assert image.format == "JPEG" and max(image.size) == photos.SIZE
    assert image.getexif().get_ifd(0x8825) == {} and "exif" not in image.info
    assert ada.photo_digest == Photo.objects.get(person=ada).digest


@pytest.mark.parametrize(
    "photo_line",
    [
        "PHOTO:data:image/png;base64,{}",  # vCard 4.0 (Nextcloud, Thunderbird)
        "PHOTO;VALUE=uri:data:image/png;base64,{}",
        "PHOTO;JPEG;ENCODING=BASE64:{}",  # vCard 2.1 (older Android)
        "PHOTO;TYPE=PNG;ENCODING=B:{}",
    ],
)
def test_inline_forms_import(network, owner, tmp_path, photo_line):
    line = photo_line.format(photos.to_base64(png()))
    path = write(tmp_path, card("Grace Hopper", line, "4.0" if "data:" in line else "3.0"))
    import_file(network, owner, "vcard", path, create_people=True)
    grace = Person.objects.get(network=network, full_name="Grace Hopper")
    assert stored(grace).size == (64, 48)


@pytest.fixture
def photo_server(settings) -> Iterator[str]:
    """A web server on this machine answering /face.png with a PNG and /page with HTML."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the server is local on purpose

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = (
                (png(), "image/png") if self.path == "/face.png" else (b"<p>hi", "text/html")
            )
            self.send_response(200 if self.path != "/gone" else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_photo_by_uri_is_fetched_through_the_guarded_client(
    network, owner, tmp_path, photo_server
):
    path = write(tmp_path, card("Alan Turing", f"PHOTO;VALUE=uri:{photo_server}/face.png", "4.0"))
    import_file(network, owner, "vcard", path, create_people=True)
    alan = Person.objects.get(network=network, full_name="Alan Turing")
    assert stored(alan).size == (64, 48)


def test_a_photo_uri_to_a_private_address_is_not_fetched(network, owner, tmp_path, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    path = write(tmp_path, card("Alan Turing", "PHOTO;VALUE=uri:http://127.0.0.1:9/face.png"))
    result = import_file(network, owner, "vcard", path, create_people=True)
    alan = Person.objects.get(network=network, full_name="Alan Turing")
    assert alan.photo_digest == "" and not Photo.objects.exists()
    [note] = [n for n in result.plan.skipped if n.field == "PHOTO"]
    assert note.line == 5 and "not a public address" in note.message


def test_uris_that_are_not_web_addresses_or_not_images_are_reported(tmp_path, photo_server):
    text = (
        card("A One", "PHOTO;VALUE=uri:file:///etc/passwd")
        + card("B Two", f"PHOTO;VALUE=uri:{photo_server}/page")
        + card("C Three", f"PHOTO;VALUE=uri:{photo_server}/gone")
    )
    parsed = parse_vcards(text.encode(), "phone.vcf")
    assert [c.photo for c in parsed.contacts] == [None, None, None]
    notes = {str(n) for n in parsed.skipped + parsed.errors}
    assert (
        "phone.vcf:5: PHOTO: file:///etc/passwd is not an http(s) address, so it is not fetched; the person is imported without a photo"
        in notes
    )
    assert any("phone.vcf:11: PHOTO: this is not an image" in n for n in notes)
    assert any("phone.vcf:17: PHOTO:" in n and "HTTP 404" in n for n in notes)


def test_only_so_many_photos_are_fetched_per_file(tmp_path, photo_server, monkeypatch):
    monkeypatch.setattr(vcard_photo, "MAX_FETCHES", 1)
    text = card("A One", f"PHOTO:{photo_server}/face.png", "4.0") + card(
        "B Two", f"PHOTO:{photo_server}/face.png", "4.0"
    )
    parsed = parse_vcards(text.encode(), "many.vcf")
    assert [bool(c.photo) for c in parsed.contacts] == [True, False]
    assert "only the first 1 photos given by URL are fetched" in str(parsed.skipped[0])


def test_a_bad_photo_is_an_error_for_its_card_and_the_person_still_imports(
    network, owner, tmp_path
):
    text = card("Bad Photo", "PHOTO;ENCODING=b;TYPE=JPEG:" + photos.to_base64(b"no image here"))
    text += card("Bad Base64", "PHOTO;ENCODING=b;TYPE=JPEG:!!!not base64!!!")
    text += card("Good Photo", "PHOTO:data:image/png;base64," + photos.to_base64(png()), "4.0")
    result = import_file(network, owner, "vcard", write(tmp_path, text), create_people=True)
    errors = [str(e) for e in result.plan.errors]
    assert errors == [
        f"{tmp_path / 'contacts.vcf'}:5: PHOTO: this is not an image Kithkin reads "
        "(it reads JPEG, PNG, GIF, WEBP, BMP); the person is imported without a photo",
        f"{tmp_path / 'contacts.vcf'}:11: PHOTO: the photo is not valid base64; "
        "the person is imported without a photo",
    ]
    names = dict(
        Person.objects.filter(network=network, is_self=False).values_list(
            "full_name", "photo_digest"
        )
    )
    assert names["Bad Photo"] == names["Bad Base64"] == ""
    assert names["Good Photo"]


def test_importing_the_same_photo_twice_changes_nothing(network, owner, tmp_path):
    path = write(
        tmp_path,
        card("Ada Lovelace", "PHOTO:data:image/png;base64," + photos.to_base64(png()), "4.0"),
    )
    import_file(network, owner, "vcard", path, create_people=True)
    changes_before = Change.objects.count()
    again = import_file(network, owner, "vcard", path, create_people=True)
    assert not again.plan.changes_anything
    assert Change.objects.count() == changes_before
    assert Photo.objects.count() == 1


def test_a_card_gives_a_photo_to_someone_known_without_one_but_never_replaces_one(
    network, owner, tmp_path
):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    path = write(
        tmp_path,
        card("Ada Lovelace", "PHOTO:data:image/png;base64," + photos.to_base64(png()), "4.0"),
    )
    result = import_file(network, owner, "vcard", path)
    assert any("photo: a photo (64x48)" in line for c in result.plan.contacts for line in c.changes)
    ada.refresh_from_db()
    first = ada.photo_digest
    assert first
    change = Change.objects.filter(kind="import.applied").latest("pk")
    assert ada.pk in change.person_ids

    other = card(
        "Ada Lovelace",
        "PHOTO:data:image/png;base64," + photos.to_base64(png(color=(1, 2, 3))),
        "4.0",
    )
    import_file(network, owner, "vcard", write(tmp_path, other, "other.vcf"))
    ada.refresh_from_db()
    assert ada.photo_digest == first


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcard_export_writes_the_photo_and_reads_back(network, owner, version):
    ada = make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    set_photo(network, owner, ada, jpeg_with_gps())
    ada.refresh_from_db()

    text = export_vcards(network, version=version)
    if version == "3.0":
        assert "PHOTO;ENCODING=b;TYPE=JPEG:" in text
    else:
        assert "PHOTO:data:image/jpeg;base64," in text

    copy = create_network(owner, name="Copy")
    parsed = parse_vcards(text.encode(), "export.vcf")
    assert parsed.errors == []
    from kithkin.importers.apply import apply_plan
    from kithkin.importers.plan import plan_import

    apply_plan(copy, owner, plan_import(copy, parsed, create_people=True))
    twin = Person.objects.get(network=copy, full_name="Ada Lovelace")
    # re-encoded again (JPEG is lossy: other bytes), the same picture
    assert twin.photo_digest and stored(twin).size == stored(ada).size == (512, 384)
    assert stored(twin).getpixel((5, 5)) == pytest.approx(stored(ada).getpixel((5, 5)), abs=12)
    # and importing the export into the network it came from changes nothing
    assert not plan_import(network, parse_vcards(text.encode(), "again.vcf")).changes_anything


def test_kithkin_json_carries_photos_both_ways(network, owner):
    ada = make_person(network, "Ada Lovelace")
    make_person(network, "Grace Hopper")
    set_photo(network, owner, ada, png())
    ada.refresh_from_db()

    text = export_json(network)
    document = read_document(text.encode(), "export.json")
    [with_photo] = [p for p in document["people"] if "photo" in p]
    assert with_photo["full_name"] == "Ada Lovelace"

    copy = create_network(owner, name="Copy")
    restore(copy, owner, document, "export.json")
    twin = Person.objects.get(network=copy, full_name="Ada Lovelace")
    assert twin.photo_digest and stored(twin).size == stored(ada).size
    assert Person.objects.get(network=copy, full_name="Grace Hopper").photo_digest == ""


def test_a_bad_photo_in_kithkin_json_refuses_the_file_by_its_path(network, owner):
    make_person(network, "Ada Lovelace")
    document = read_document(export_json(network).encode(), "export.json")
    document["people"][-1]["photo"] = photos.to_base64(b"<svg>no</svg>")
    copy = create_network(owner, name="Copy")
    with pytest.raises(ImportFileError, match=r"people\[\d\]\.photo: this is not an image"):
        restore(copy, owner, document, "export.json")
    assert not Person.objects.filter(network=copy, is_self=False).exists()


@pytest.mark.parametrize(
    "name",
    [
        "aosp_v21_complicated.vcf",  # Android 2.1, ENCODING=BASE64 folded
        "aosp_v30_ios_613_multiline.vcf",  # iOS 6, CR CR LF line ends
        "ezvcard_John_Doe_IPHONE.vcf",
        "ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf",
        "ezvcard_John_Doe_MS_OUTLOOK.vcf",
        "ezvcard_John_Doe_LOTUS_NOTES.vcf",
        "ezvcard_outlook-2007.vcf",
        "ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf",
        "khard_photov3.vcf",
        "radicale_contact_photo_with_data_uri_v4.vcf",  # 4.0 data: URI
        "roundcube_photo.vcf",
        "vobject_photo-test.vcf",
    ],
)
def test_real_files_photos_are_read(name):
    from tests.importers.test_vcard import parse

    result = parse(name)
    assert [e for e in result.errors if e.field == "PHOTO"] == []
    assert all(c.photo is not None for c in result.contacts)
    image = Image.open(io.BytesIO(result.contacts[0].photo.image))
    assert image.format == "JPEG" and "exif" not in image.info


def test_one_record_through_the_write_path_carries_its_photo(network, owner):
    """CardDAV saves each card with save_contact_record: the photo goes the same way."""
    from kithkin.services.contact_saving import save_contact_record

    parsed = parse_vcards(
        card(
            "Ada Lovelace", "PHOTO:data:image/png;base64," + photos.to_base64(png()), "4.0"
        ).encode(),
        "ada.vcf",
    )
    [record] = parsed.contacts
    saved = save_contact_record(network, owner, record)
    assert saved.created and saved.person.photo_digest == record.photo.digest
    again = save_contact_record(network, owner, record, person=saved.person)
    assert not again.changed

    grace = make_person(network, "Grace Hopper")
    record.full_name = "Grace Hopper"
    updated = save_contact_record(network, owner, record, person=grace)
    assert updated.changed and updated.person.photo_digest == record.photo.digest
    change = Change.objects.filter(kind="person.updated").latest("pk")
    assert "photo" in change.data["fields"]
