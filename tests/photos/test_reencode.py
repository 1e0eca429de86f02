"""kithkin.photos: what comes out of a photo from outside is a small, clean JPEG."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kithkin import photos
from tests.photos.images import bomb, jpeg_with_gps, png


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_phone_jpeg_loses_its_gps_position_and_every_other_metadata():
    original = jpeg_with_gps()
    assert opened(original).getexif().get_ifd(0x8825)  # the GPS position is there before

    photo = photos.reencode(original)

    kept = opened(photo.image)
    assert kept.format == "JPEG"
    assert dict(kept.getexif()) == {}
    assert kept.getexif().get_ifd(0x8825) == {}
    assert "exif" not in kept.info and "comment" not in kept.info and "icc_profile" not in kept.info
    assert b"PhoneMaker" not in photo.image and b"secret comment" not in photo.image
    assert max(kept.size) == photos.SIZE
    assert opened(photo.thumbnail).size == (photos.THUMB, photos.THUMB)


def test_the_exif_orientation_is_applied_before_it_is_dropped():
    photo = photos.reencode(jpeg_with_gps(size=(800, 600), orientation=6))  # rotated 90°
    assert (photo.width, photo.height) == (384, 512)
    assert opened(photo.image).size == (384, 512)


def test_the_same_bytes_give_the_same_photo():
    assert photos.reencode(png()).digest == photos.reencode(png()).digest
    assert photos.reencode(png()).digest != photos.reencode(png(color=(1, 2, 3))).digest


def test_a_small_image_is_not_enlarged_and_transparency_becomes_white():
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 0, 0)).save(out, format="PNG")
    photo = photos.reencode(out.getvalue())
    assert (photo.width, photo.height) == (40, 30)
    assert opened(photo.image).getpixel((20, 15))[0] > 240


def test_a_decompression_bomb_is_refused_without_being_inflated():
    with pytest.raises(photos.PhotoError, match="million pixels"):
        photos.reencode(bomb())


def test_an_image_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 1000)
    with pytest.raises(photos.PhotoError, match="decompression bomb"):
        photos.reencode(png(size=(100, 100)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"hello, this is text", "not an image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not an image"),
        (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", "not an image"),
        (png()[:60], "cannot be read"),
    ],
)
def test_what_is_no_photo_is_refused_clearly(data, message):
    with pytest.raises(photos.PhotoError, match=message):
        photos.reencode(data)


def test_too_many_bytes_are_refused_before_reading(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    with pytest.raises(photos.PhotoError, match="at most"):
        photos.reencode(png(size=(300, 300)) + b"\0" * 200)


def test_data_uris_and_base64():
    data = png()
    assert photos.from_data_uri(photos.data_uri(data)) == data
    assert (
        photos.decode_base64(
            " " + photos.to_base64(data)[:40] + "\n " + photos.to_base64(data)[40:]
        )
        == data
    )
    with pytest.raises(photos.PhotoError, match="not an image"):
        photos.from_data_uri("data:text/html;base64,PGI+")
    with pytest.raises(photos.PhotoError, match="base64"):
        photos.decode_base64("not base64 at all!")


def test_kith_photo_sets_saves_and_removes(kith, network, tmp_path):
    from tests.factories import make_person

    make_person(network, "Ada Lovelace")
    image = tmp_path / "ada.jpg"
    image.write_bytes(jpeg_with_gps())
    assert kith("photo", "ada", str(image)).stdout.strip() == "Ada Lovelace: photo set."
    assert "unchanged" in kith("photo", "ada", str(image)).stdout
    assert kith("photo", "ada").stdout.strip() == "Ada Lovelace has a photo (512x384)."
    saved = tmp_path / "out.jpg"
    kith("photo", "ada", "--save", str(saved))
    assert opened(saved.read_bytes()).getexif().get_ifd(0x8825) == {}
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    refused = kith("photo", "ada", str(text))
    assert refused.exit_code == 2
    assert f"{text}: this is not an image Kithkin reads" in refused.output
    assert kith("photo", "ada", "--remove").stdout.strip() == "Ada Lovelace: photo removed."
    assert kith("photo", "ada").stdout.strip() == "Ada Lovelace has no photo."
