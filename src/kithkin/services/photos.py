"""Setting and removing a person's photo: the one writer of ``Photo`` and of
``Person.photo_digest``, which it keeps equal to the photo's digest ("" without one).

A photo set or removed is a ``person.updated`` of that person with ``fields: ["photo"]``
(a detail held beside the person, like a contact point: derived_state stamps their
``updated_at``). Setting the photo a person already has (same digest) changes nothing and
records nothing: importing the same card twice is no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import Network, Person, Photo, User
from kithkin.photos import PhotoError, PhotoImage, reencode
from kithkin.services import changes

BATCH = 500  # photos per INSERT (each row holds up to ~100 KB)


def read_photo(data: bytes, what: str = "photo") -> PhotoImage:
    """``data`` re-encoded (kithkin.photos), or InvalidInput naming ``what`` and why."""
    try:
        return reencode(data)
    except PhotoError as exc:
        raise InvalidInput(what, str(exc)) from None


@transaction.atomic
def set_photo(
    network: Network,
    actor: User,
    person: Person,
    data: bytes | PhotoImage,
    *,
    source: str = "upload",
    what: str = "photo",
) -> bool:
    """Give ``person`` the photo ``data`` (bytes as uploaded, re-encoded here; or already
    re-encoded), replacing theirs. False when it is the photo they already have."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    image = data if isinstance(data, PhotoImage) else read_photo(data, what)
    locked = Person.objects.select_for_update().only("pk", "photo_digest").get(pk=person.pk)
    if locked.photo_digest == image.digest:
        return False
    write_photos([(person.pk, image, source)], now=clock.now())
    person.photo_digest = image.digest
    _record(network, actor, person)
    return True


@transaction.atomic
def remove_photo(network: Network, actor: User, person: Person) -> bool:
    """Remove ``person``'s photo; False when they had none."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    deleted, _ = Photo.objects.filter(person=person).delete()
    Person.objects.filter(pk=person.pk).update(photo_digest="")
    had = bool(deleted or person.photo_digest)
    person.photo_digest = ""
    if had:
        _record(network, actor, person)
    return had


def keep_photo_in_merge(keep: Person, other: Person) -> None:
    """Merging ``other`` into ``keep`` (services/merge.py, its transaction): ``keep``'s
    photo stays; without one, ``other``'s becomes theirs (the merge records the change)."""
    if keep.photo_digest or not other.photo_digest:
        return
    Photo.objects.filter(person=keep).delete()
    Photo.objects.filter(person=other).update(person=keep)
    Person.objects.filter(pk=keep.pk).update(photo_digest=other.photo_digest)
    keep.photo_digest = other.photo_digest


def write_photos(photos: Sequence[tuple[int, PhotoImage, str]], *, now: dt.datetime) -> None:
    """Store each (person id, photo, source) in bulk, replacing any photo they had, and set their
    ``photo_digest``. The caller holds the transaction, has checked access and records the
    change (an import records one for everyone; ``set_photo`` its own)."""
    if not photos:
        return
    ids = [pk for pk, _, _ in photos]
    Photo.objects.filter(person_id__in=ids).delete()
    Photo.objects.bulk_create(
        (
            Photo(
                person_id=pk,
                digest=image.digest,
                image=image.image,
                thumbnail=image.thumbnail,
                width=image.width,
                height=image.height,
                source=source,
                created_at=now,
            )
            for pk, image, source in photos
        ),
        batch_size=BATCH,
    )
    people = [Person(pk=pk, photo_digest=image.digest) for pk, image, _ in photos]
    Person.objects.bulk_update(people, ["photo_digest"], batch_size=BATCH)


def _record(network: Network, actor: User, person: Person) -> None:
    changes.record(
        network,
        "person.updated",
        actor=actor,
        record_id=person.pk,
        person_ids=[person.pk],
        data={"fields": ["photo"]},
    )
