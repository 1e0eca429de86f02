"""A person's photo: served to members of their network only, uploaded and removed by
those who may write (services/photos.py holds the rules)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from kithkin import access, photos
from kithkin.errors import InvalidInput
from kithkin.queries.photos import photo_bytes
from kithkin.services.photos import remove_photo, set_photo
from kithkin.web.decorators import NetworkRequest, network_view

# The URL names the photo's digest, so a URL always means the same bytes: the browser may
# keep them (a list of 50 avatars is not fetched again on each page), but only its own
# cache ("private": never a proxy or shared cache). Every page stays "no-store"
# (web/middleware.py), so a photo is only ever asked for from a page its viewer may see,
# and the view checks access on every request it does receive.
CACHE_CONTROL = "private, max-age=31536000, immutable"


@network_view()
def person_photo(
    request: NetworkRequest, person_id: int, digest: str, size: str = "full"
) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    data = photo_bytes(person, digest, small=size == "small")
    if data is None:
        raise Http404("No such photo.")
    response = HttpResponse(data, content_type=photos.CONTENT_TYPE)
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@network_view(write=True)
def person_photo_upload(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, "photo: choose an image to upload.")
        return redirect("person_edit", person.pk)
    name = upload.name or "the upload"
    try:
        if upload.size is not None and upload.size > photos.MAX_BYTES:
            limit = photos.MAX_BYTES // 1024 // 1024
            raise InvalidInput("photo", f"the file is larger than {limit} MB")
        set_photo(request.network, request.user, person, upload.read(photos.MAX_BYTES + 1))
    except InvalidInput as exc:
        messages.error(request, f"{name}: {exc}")
        return redirect("person_edit", person.pk)
    messages.success(request, "Photo saved.")
    return redirect("person", person.pk)


@network_view(write=True)
def person_photo_remove(request: NetworkRequest, person_id: int) -> HttpResponse:
    person = access.person_for(request.user, request.network, person_id)
    if remove_photo(request.network, request.user, person):
        messages.success(request, "Photo removed.")
    return redirect("person", person.pk)
