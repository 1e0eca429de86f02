"""Backups carry photos: they are rows of the database, so the SQLite copy and pg_dump
hold them, and the JSON backup writes each as base64 beside its person."""

from __future__ import annotations

import pytest

from kithkin.backups.make import json_document
from kithkin.backups.restore import restore_json
from kithkin.models import Network, Person, Photo, User
from kithkin.services.photos import set_photo
from tests.factories import make_person
from tests.photos.images import jpeg_with_gps, png
from tests.test_backup_cli import env, kith  # noqa: F401  (fixtures)


def test_a_json_backup_restores_photos(owner, network):
    ada = make_person(network, "Ada Lovelace")
    set_photo(network, owner, ada, png())
    document = json_document()
    User.objects.all().delete()
    Network.objects.all().delete()
    assert not Photo.objects.exists()

    restore_json(document, "backup")

    ada = Person.objects.get(full_name="Ada Lovelace")
    assert ada.photo_digest and Photo.objects.get(person=ada).digest == ada.photo_digest


@pytest.mark.slow
def test_kith_backup_and_restore_carry_photos(kith, tmp_path):  # noqa: F811
    assert kith("add", "Ada Lovelace").returncode == 0
    face = tmp_path / "face.jpg"
    face.write_bytes(jpeg_with_gps())
    assert kith("photo", "ada", str(face)).returncode == 0
    target = tmp_path / "all.backup"
    assert kith("backup", str(target)).returncode == 0
    restored = kith("restore", str(target), data=tmp_path / "again")
    assert restored.returncode == 0, restored.stderr
    shown = kith("photo", "ada", data=tmp_path / "again")
    assert shown.stdout.strip() == "Ada Lovelace has a photo (512x384)."


def test_merging_keeps_a_photo(owner, network):
    from kithkin.services.merge import merge_people

    ada = make_person(network, "Ada Lovelace")
    twin = make_person(network, "Ada L.")
    set_photo(network, owner, twin, png())
    twin.refresh_from_db()
    digest = twin.photo_digest
    merge_people(network, owner, ada, twin)
    ada.refresh_from_db()
    assert ada.photo_digest == digest == Photo.objects.get(person=ada).digest

    grace = make_person(network, "Grace Hopper")
    other = make_person(network, "G. Hopper")
    set_photo(network, owner, grace, png(color=(1, 1, 1)))
    set_photo(network, owner, other, png(color=(2, 200, 2)))
    grace.refresh_from_db()
    mine = grace.photo_digest
    merge_people(network, owner, grace, other)
    grace.refresh_from_db()
    assert grace.photo_digest == mine and Photo.objects.count() == 2
