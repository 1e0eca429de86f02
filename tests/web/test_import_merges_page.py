"""The web import preview lists every merge the plan makes, with its reason (issue 11)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.importers.test_identity import CARDS

pytestmark = pytest.mark.django_db


def test_the_web_preview_lists_every_merge_with_its_reason(owner_client, network):
    owner_client.post(
        "/import/",
        {"format": "vcard", "file": SimpleUploadedFile("contacts.vcf", CARDS.encode())},
    )
    page = owner_client.get("/import/preview/").content.decode()
    assert "Merges" in page
    assert (
        "contacts.vcf:14: Grace Hopper -&gt; Grace Hopper (new, line 8): "
        "same email grace@navy.example"
    ) in page
    assert "Ada Lovelace -&gt;" not in page  # two people behind one switchboard
