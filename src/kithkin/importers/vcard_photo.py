"""A card's PHOTO, in the forms vCard writers use, re-encoded by kithkin.photos.

- vCard 2.1 and 3.0 inline: ``PHOTO;ENCODING=b;TYPE=JPEG:<base64>`` (2.1: ``ENCODING=BASE64``
  or a bare ``;BASE64``), folded over many lines;
- vCard 4.0 inline: ``PHOTO:data:image/jpeg;base64,<base64>``;
- by URI: ``PHOTO;VALUE=uri:https://...`` (2.1: ``VALUE=URL``; 4.0 may omit VALUE). It is
  fetched while the file is read, through ``kithkin.outbound`` (only public addresses
  unless KITH_WEBHOOKS_ALLOW_PRIVATE, no redirects), each at most ``FETCH_SECONDS`` and
  ``photos.MAX_BYTES``, and at most ``MAX_FETCHES`` per file: a card is not a way to make
  the server reach inside its network or wait for minutes. Other schemes (``file:``,
  ``cid:``) are never fetched.

A photo that cannot be read, fetched or re-encoded is reported for its card (the file,
the line of PHOTO, and why) and the person imports without it; nothing else of the card
is lost. Only the first PHOTO of a card is read.
"""

from __future__ import annotations

import http.client

from kithkin import outbound
from kithkin.importers.records import ParseResult, RecordError
from kithkin.importers.vcard_text import Property, unescape
from kithkin.photos import MAX_BYTES, PhotoError, PhotoImage, decode_base64, from_data_uri, reencode

FETCH_SECONDS = 5.0
MAX_FETCHES = 20
_BASE64 = {"b", "base64"}


class Fetches:
    """How many photos a file has fetched so far (``MAX_FETCHES`` at most)."""

    def __init__(self) -> None:
        self.count = 0


def card_photo(
    photos: list[Property], path: str, result: ParseResult, fetches: Fetches
) -> PhotoImage | None:
    """The card's first PHOTO re-encoded, or None (none, or reported in ``result``)."""
    prop = next((p for p in photos if p.value.strip()), None)
    if prop is None:
        return None
    try:
        data = _photo_bytes(prop, fetches)
        return reencode(data) if data is not None else None
    except PhotoError as exc:
        message = f"{exc}; the person is imported without a photo"
        result.errors.append(RecordError(path, prop.line, "PHOTO", message))
        return None
    except _NotFetched as exc:
        message = f"{exc}; the person is imported without a photo"
        result.skipped.append(RecordError(path, prop.line, "PHOTO", message))
        return None


class _NotFetched(Exception):
    """A photo given by URI that was deliberately not, or could not be, fetched."""


def _photo_bytes(prop: Property, fetches: Fetches) -> bytes | None:
    encodings = {e.lower() for e in prop.params.get("ENCODING", [])}
    value = prop.value.strip()
    if encodings & _BASE64 or _BASE64 & set(prop.types):
        return decode_base64(value)
    if value.lower().startswith("data:"):
        return from_data_uri(unescape(value))
    uri = unescape(value)
    if uri.lower().startswith(("http://", "https://")):
        return _fetch(uri, fetches)
    kinds = {v.lower() for v in prop.params.get("VALUE", [])}
    if kinds & {"uri", "url"} or ":" in uri[:10]:
        raise _NotFetched(f"{_shown(uri)} is not an http(s) address, so it is not fetched")
    raise PhotoError("the photo is neither base64, a data: URI nor a web address")


def _fetch(url: str, fetches: Fetches) -> bytes:
    if fetches.count >= MAX_FETCHES:
        raise _NotFetched(f"only the first {MAX_FETCHES} photos given by URL are fetched")
    fetches.count += 1
    try:
        answer = outbound.get(url, max_bytes=MAX_BYTES, timeout=FETCH_SECONDS)
    except outbound.Refused as exc:
        raise _NotFetched(f"{_shown(url)} is not fetched: {exc}") from None
    except outbound.TooLarge as exc:
        raise PhotoError(f"{_shown(url)}: {exc}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise _NotFetched(f"{_shown(url)} could not be fetched ({exc})") from None
    if answer.status != 200:
        raise _NotFetched(f"{_shown(url)} answered HTTP {answer.status}")
    return answer.body


def _shown(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
