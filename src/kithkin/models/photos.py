from __future__ import annotations

from django.db import models

from kithkin.clock import now


class Photo(models.Model):
    """A person's photo, re-encoded by ``kithkin.photos.reencode`` (never the bytes as they
    came). Kept in the database: backed up, restored and replicated with it on both
    engines, and served only through an access-checked view (web/views/photos.py).
    ``Person.photo_digest`` repeats ``digest`` so lists show avatars without a join."""

    person = models.OneToOneField(
        "kithkin.Person", on_delete=models.CASCADE, primary_key=True, related_name="photo"
    )
    digest = models.CharField(max_length=64)  # sha256 of ``image``: in the photo's URL
    image = models.BinaryField()  # JPEG, at most photos.SIZE pixels on its longest side
    thumbnail = models.BinaryField()  # JPEG, photos.THUMB pixels square
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20)  # upload, vcard, kithkin-json...
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"photo of person {self.person_id}"
