"""Reading a person's stored photo (the person already loaded through access.py)."""

from __future__ import annotations

from kithkin.models import Person, Photo


def photo_bytes(person: Person, digest: str, *, small: bool) -> bytes | None:
    """The JPEG of ``person``'s photo (``small``: its thumbnail) when ``digest`` is still
    its digest; None when they have no photo or it has changed since the URL was made."""
    column = "thumbnail" if small else "image"
    found = Photo.objects.filter(person=person, digest=digest).values_list(column, flat=True)
    data = found.first()
    return bytes(data) if data is not None else None
