"""A person's photo: bytes from a stranger made into a small, clean JPEG.

Every photo Kithkin keeps comes through :func:`reencode`, whatever brought it (an upload,
a vCard's PHOTO, a CardDAV PUT, a Kithkin JSON restore): the bytes are never stored or
served as they came. The rules, written once:

- at most ``MAX_BYTES`` in, and one of ``FORMATS`` as Pillow recognises it (a PDF or an
  EPS, which Pillow would hand to Ghostscript, is never opened);
- at most ``MAX_PIXELS`` pixels, read from the header before any pixel is decoded: a
  decompression bomb (a small PNG of 20,000 x 20,000 pixels) is refused, never inflated;
- the EXIF orientation applied, then every piece of metadata dropped (EXIF with its GPS
  position, XMP, ICC profiles, comments): a new image is made from the pixels alone;
- written as a JPEG of at most ``SIZE`` pixels on its longest side, plus a ``THUMB``-pixel
  square thumbnail for lists. The same bytes in give the same bytes out (and digest), so
  importing the same photo twice changes nothing.

``PhotoError`` says what is wrong in words for the person; callers add the file and field.
The pure part (no database) lives here so that parsers, which run in a child process on
the import's bytes, re-encode there (importers/isolated.py bounds their time).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # an upload, an inline PHOTO or a fetched one
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8064 x 6048: past it, refused
SIZE = 512  # the longest side of the photo kept
THUMB = 96  # the side of the square thumbnail (shown at 32-48 CSS pixels, 2x screens)
QUALITY = 85
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP")
CONTENT_TYPE = "image/jpeg"

# Below the check above, Pillow's own guard too (it warns past this and raises past twice it).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_DATA_URI = re.compile(r"data:(?P<type>[\w.+/-]*)(?P<params>(?:;[^,;]*)*),(?P<data>.*)", re.DOTALL)


class PhotoError(ValueError):
    """These bytes are not a photo Kithkin keeps; the message says why."""


@dataclass(frozen=True)
class PhotoImage:
    """A photo re-encoded: what is stored and served. ``digest`` names its bytes."""

    image: bytes
    thumbnail: bytes
    width: int
    height: int
    digest: str
    # The digest of the bytes it was made from: a contacts program that sends back the
    # photo it was served sends bytes whose digest is the stored photo's own.
    source_digest: str = ""

    def is_photo(self, digest: str) -> bool:
        """Whether this is the stored photo named ``digest`` (or was made from it)."""
        return bool(digest) and digest in (self.digest, self.source_digest)

    def __str__(self) -> str:  # how an import's plan shows it
        return f"a photo ({self.width}x{self.height})"


def reencode(data: bytes) -> PhotoImage:
    """``data`` as a clean JPEG and thumbnail; ``PhotoError`` when it is no photo we keep."""
    if not data:
        raise PhotoError("the photo is empty")
    if len(data) > MAX_BYTES:
        raise PhotoError(
            f"the photo is {len(data) / 1024 / 1024:.1f} MB; at most {MAX_BYTES // 1024 // 1024} MB"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as opened:
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise PhotoError(
                        f"the image is {width:,} x {height:,} pixels; at most "
                        f"{MAX_PIXELS // 1_000_000} million pixels (a decompression bomb?); "
                        "it is not opened"
                    )
                opened.seek(0)  # the first frame of an animation
                if opened.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 when that is enough
                    opened.draft("RGB", (SIZE, SIZE))
                upright = ImageOps.exif_transpose(opened)
                pixels = _flattened(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(
                f"the image claims more than {MAX_PIXELS // 1_000_000} million pixels "
                "(a decompression bomb?); it is not opened"
            ) from None
        except UnidentifiedImageError:
            raise PhotoError(
                f"this is not an image Kithkin reads (it reads {', '.join(FORMATS)})"
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise PhotoError(f"the image cannot be read ({exc})") from None
    pixels.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS, reducing_gap=2.0)
    image = _jpeg(pixels)
    square = ImageOps.fit(pixels, (THUMB, THUMB), Image.Resampling.BICUBIC)
    return PhotoImage(
        image=image,
        thumbnail=_jpeg(square),
        width=pixels.width,
        height=pixels.height,
        digest=hashlib.sha256(image).hexdigest(),
        source_digest=hashlib.sha256(data).hexdigest(),
    )


def _flattened(image: Image.Image) -> Image.Image:
    """The pixels alone, in RGB (transparency on white), in a new image: no ``info``,
    EXIF, XMP or ICC profile of the original comes along."""
    image.load()
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = image.convert("RGB")
    clean = Image.new("RGB", flat.size)
    clean.paste(flat)
    return clean


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=QUALITY, optimize=True)
    return out.getvalue()


def decode_base64(text: str) -> bytes:
    """Base64 as vCards and Kithkin JSON write it (folded lines, spaces); ``PhotoError``
    when it is not base64 or decodes to more than ``MAX_BYTES``."""
    compact = "".join(text.split())
    if len(compact) > (MAX_BYTES * 4) // 3 + 4:
        raise PhotoError(f"the photo is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise PhotoError("the photo is not valid base64") from None


def from_data_uri(uri: str) -> bytes:
    """The bytes of a ``data:image/...;base64,...`` URI (vCard 4.0's inline PHOTO)."""
    found = _DATA_URI.fullmatch(uri.strip())
    if found is None:
        raise PhotoError("the photo is not a data: URI")
    if found["type"] and not found["type"].lower().startswith("image/"):
        raise PhotoError(f"the data: URI holds {found['type']}, not an image")
    if ";base64" not in found["params"].lower():
        raise PhotoError("the data: URI is not base64")
    return decode_base64(found["data"])


def to_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def data_uri(data: bytes) -> str:
    return f"data:{CONTENT_TYPE};base64,{to_base64(data)}"
