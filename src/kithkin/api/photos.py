"""A person's photo: its JPEG (full or thumbnail), replacing it with an image sent as the
request body, removing it. The rules are services/photos.py's, as on the web and in
`kith photo`; the bytes are served only to those who may see the person."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema, Status

from kithkin import access, photos
from kithkin.api.auth import grant
from kithkin.api.paging import queried
from kithkin.api.responses import writing
from kithkin.errors import InvalidInput, NotFound
from kithkin.queries.photos import photo_bytes
from kithkin.schemas.people import photo_path
from kithkin.services.photos import remove_photo, set_photo

router = Router(tags=["people"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_IMAGE_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            f"The image itself (JPEG, PNG, GIF, WebP or HEIC as Pillow reads it; at most "
            f"{photos.MAX_BYTES // 1024 // 1024} MB). It is re-encoded as a JPEG without its "
            "metadata (EXIF, GPS) and bounded in size."
        ),
        "content": {"image/*": _BINARY, "application/octet-stream": _BINARY},
    }
}


class PhotoQuery(Schema):
    size: Literal["full", "small"] = "full"


class PhotoOut(Schema):
    """The photo now: its digest (also its ETag) and where to read it."""

    digest: str
    url: str


@router.get(
    "/people/{int:person_id}/photo",
    response=queried(str),
    summary="A person's photo",
    openapi_extra={
        "responses": {
            200: {"description": "The photo as a JPEG.", "content": {"image/jpeg": _BINARY}}
        }
    },
)
def photo(
    request: HttpRequest, network_id: Path[int], person_id: int, query: Query[PhotoQuery]
) -> HttpResponse:
    """The person's photo as a JPEG (``size=small``: the thumbnail lists show); 404 when
    they have none. Its ETag is the photo's digest."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    data = photo_bytes(person, person.photo_digest, small=query.size == "small")
    if not person.photo_digest or data is None:
        raise NotFound(f"{person.full_name} has no photo.")
    response = HttpResponse(data, content_type=photos.CONTENT_TYPE)
    response["ETag"] = f'"{person.photo_digest}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.put(
    "/people/{int:person_id}/photo",
    response=writing(PhotoOut),
    summary="Set a person's photo",
    openapi_extra=_IMAGE_BODY,
)
def put_photo(request: HttpRequest, network_id: Path[int], person_id: int) -> PhotoOut:
    """Replace the person's photo with the image in the body (sending the photo they
    have already changes nothing)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    data = request.read(photos.MAX_BYTES + 1)
    if not data:
        raise InvalidInput("photo", "send the image as the request body")
    set_photo(found.network, found.actor.user, person, data)
    return PhotoOut(digest=person.photo_digest, url=photo_path(person) or "")


@router.delete(
    "/people/{int:person_id}/photo", response=writing(None, 204), summary="Remove a photo"
)
def delete_photo(request: HttpRequest, network_id: Path[int], person_id: int) -> Status[None]:
    """Remove the person's photo (204 as well when they had none)."""
    found = grant(request)
    person = access.person_for(found.actor.user, found.network, person_id)
    remove_photo(found.network, found.actor.user, person)
    return Status(204, None)
