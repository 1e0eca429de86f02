"""A real CardDAV client syncs both ways: vdirsyncer between a folder of .vcf files and
the network's address book on a live server -- create, edit and delete on each side, and
a card changed on both sides at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kithkin.models import Person
from kithkin.services.app_passwords import create_app_password
from kithkin.services.people import PersonChanges, archive_person, update_person
from tests import factories

pytestmark = [pytest.mark.slow, pytest.mark.once, pytest.mark.django_db(transaction=True)]

VDIRSYNCER = shutil.which("vdirsyncer") or shutil.which(
    "vdirsyncer", path=str(Path(sys.executable).parent)
)


class Sync:
    def __init__(self, root: Path, url: str, username: str, password: str) -> None:
        self.local = root / "local"
        self.local.mkdir()
        self.config = root / "config"
        self.config.write_text(
            f"""[general]
status_path = "{root / "status"}/"

[pair contacts]
a = "local"
b = "kithkin"
collections = null
conflict_resolution = {{resolution}}

[storage local]
type = "filesystem"
path = "{self.local}/"
fileext = ".vcf"

[storage kithkin]
type = "carddav"
url = "{url}"
username = "{username}"
password = "{password}"
"""
        )
        self.template = self.config.read_text()

    def run(self, resolution: str = "null") -> subprocess.CompletedProcess[str]:
        self.config.write_text(self.template.replace("{resolution}", resolution))
        assert VDIRSYNCER is not None
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        args = [VDIRSYNCER, "-c", str(self.config)]
        subprocess.run([*args, "discover"], capture_output=True, text=True, env=env, input="y\n")
        return subprocess.run([*args, "sync"], capture_output=True, text=True, env=env, timeout=120)

    def files(self) -> dict[str, str]:
        return {p.name: p.read_text() for p in sorted(self.local.glob("*.vcf"))}

    def file_with(self, text: str) -> Path:
        return next(p for p in self.local.glob("*.vcf") if text in p.read_text())


@pytest.fixture
def sync(tmp_path, live_server, owner, network):
    if VDIRSYNCER is None:
        if os.environ.get("CI"):
            pytest.fail("vdirsyncer is missing: CI installs the test extras")
        pytest.skip("vdirsyncer is not installed (pip install -e '.[test]' brings it)")
    secret = create_app_password(owner, "vdirsyncer").secret
    url = f"{live_server.url}/dav/{owner.pk}/{network.pk}/"
    return Sync(tmp_path, url, owner.username, secret)


def _synced(sync: Sync, resolution: str = "null") -> None:
    done = sync.run(resolution)
    assert done.returncode == 0, done.stderr


def test_cards_go_both_ways(sync, owner, network):
    ada = factories.make_person(network, "Ada Lovelace", emails=["ada@example.org"])
    _synced(sync)
    assert [text for text in sync.files().values() if "FN:Ada Lovelace" in text]

    # Kithkin -> files: an edit, a new person, an archived one
    grace = factories.make_person(network, "Grace Hopper")
    update_person(network, owner, ada, PersonChanges(notes="Wrote the first program"))
    factories.make_person(network, "Alan Turing")
    _synced(sync)
    texts = "".join(sync.files().values())
    assert "FN:Grace Hopper" in texts and "FN:Alan Turing" in texts
    assert "Wrote the first program" in texts
    archive_person(network, owner, Person.objects.get(full_name="Alan Turing"))
    _synced(sync)
    assert "Alan Turing" not in "".join(sync.files().values())

    # files -> Kithkin: an edit, a new card, a deleted one
    path = sync.file_with("FN:Grace Hopper")
    path.write_text(path.read_text().replace("FN:Grace Hopper", "FN:Grace Brewster Hopper"))
    (sync.local / "new-card.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:new-card-1\r\nFN:Katherine Johnson\r\n"
        "TEL;TYPE=CELL:+1 202 555 0100\r\nEND:VCARD\r\n"
    )
    sync.file_with("FN:Ada Lovelace").unlink()
    _synced(sync)
    grace.refresh_from_db()
    assert grace.full_name == "Grace Brewster Hopper"
    katherine = Person.objects.get(network=network, full_name="Katherine Johnson")
    assert katherine.contact_points.get().normalized == "+12025550100"
    assert Person.objects.get(pk=ada.pk).archived_at is not None  # DELETE archives

    # Kithkin's normalised card (TYPE=mobile, the phone as shown) comes back once; then
    # nothing moves on a sync with nothing new
    _synced(sync)
    assert "TEL;TYPE=mobile:+1 202-555-0100" in sync.files()["new-card.vcf"]
    before = sync.files()
    _synced(sync)
    assert sync.files() == before
    assert Person.objects.filter(network=network, full_name="Katherine Johnson").count() == 1


def test_a_card_changed_on_both_sides_is_a_conflict(sync, owner, network):
    grace = factories.make_person(network, "Grace Hopper")
    _synced(sync)
    path = sync.file_with("FN:Grace Hopper")
    path.write_text(path.read_text().replace("FN:Grace Hopper", "FN:Grace (local)"))
    update_person(network, owner, grace, PersonChanges(notes="Changed in Kithkin"))
    conflict = sync.run()
    assert conflict.returncode != 0
    assert "conflict" in (conflict.stderr + conflict.stdout).lower()
    _synced(sync, '"b wins"')
    assert "Changed in Kithkin" in path.read_text()
    grace.refresh_from_db()
    assert grace.full_name == "Grace Hopper"
