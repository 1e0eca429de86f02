"""Images made with Pillow for the photo tests: a real JPEG with EXIF GPS, a bomb..."""

from __future__ import annotations

import io

from PIL import Image
from PIL.TiffImagePlugin import IFDRational

GPS_LATITUDE = (IFDRational(48), IFDRational(51), IFDRational(2402, 100))  # Paris


def jpeg_with_gps(size: tuple[int, int] = (800, 600), orientation: int = 1) -> bytes:
    """A JPEG as a phone writes one: EXIF with a camera, a GPS position and an orientation."""
    image = Image.new("RGB", size, (200, 80, 40))
    for x in range(size[0] // 2):  # the left half another colour: orientation shows
        for y in range(0, size[1], 7):
            image.putpixel((x, y), (20, 90, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 15"  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "E"
    gps[4] = (IFDRational(2), IFDRational(21), IFDRational(700, 100))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def png(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (10, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A small PNG that claims 30,000 x 30,000 pixels (900 million): a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, format="PNG", optimize=True)
    return out.getvalue()
