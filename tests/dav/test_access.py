"""Who reaches which address book over CardDAV: owner, teammate, viewer, outsider."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from kithkin.models import Person
from tests import factories
from tests.dav.helpers import PROPFIND_ETAGS, DavClient, card


@pytest.fixture
def ada(network):
    return factories.make_person(network, "Ada Lovelace")


def test_well_known_points_at_the_root(db):
    response = Client().generic("PROPFIND", "/.well-known/carddav")
    assert response.status_code == 301
    assert response["Location"] == "/dav/"


def test_without_an_app_password_nothing_is_answered(owner, network):
    response = Client().generic("PROPFIND", f"/dav/{owner.pk}/{network.pk}/")
    assert response.status_code == 401
    assert "Basic" in response["WWW-Authenticate"]


def test_the_account_password_is_not_an_app_password(owner, network):
    owner.set_password("s3cret-pass")
    owner.save()
    token = base64.b64encode(b"owner:s3cret-pass").decode()
    response = Client().generic(
        "PROPFIND", f"/dav/{owner.pk}/", HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 401


def test_discovery_leads_to_one_address_book_per_network(owner, network, outsider):
    dav = DavClient(owner)
    root = dav.request("PROPFIND", "/dav/", HTTP_DEPTH="0")
    assert root.status_code == 207
    assert f"/dav/{owner.pk}/".encode() in root.content
    home = dav.request("PROPFIND", f"/dav/{owner.pk}/", HTTP_DEPTH="1")
    assert dav.book(network.pk).encode() in home.content
    assert f"/{factories.network_of(outsider).pk}/".encode() not in home.content


def test_owner_and_teammate_list_and_write_cards(owner, teammate, network, ada):
    for user in (owner, teammate):
        dav = DavClient(user)
        listing = dav.request("PROPFIND", dav.book(network.pk), PROPFIND_ETAGS, HTTP_DEPTH="1")
        assert listing.status_code == 207
        assert f"{ada.pk}.vcf".encode() in listing.content
    put = DavClient(teammate).request(
        "PUT",
        DavClient(teammate).book(network.pk) + "new.vcf",
        card("u-1", "Grace Hopper"),
        content_type="text/vcard",
    )
    assert put.status_code == 201
    assert Person.objects.filter(network=network, full_name="Grace Hopper").exists()


def test_viewer_reads_but_never_writes(viewer, network, ada):
    dav = DavClient(viewer)
    got = dav.request("GET", dav.book(network.pk) + f"{ada.pk}.vcf")
    assert got.status_code == 200
    assert b"FN:Ada Lovelace" in got.content
    put = dav.request("PUT", dav.book(network.pk) + "x.vcf", card("u-2", "Grace Hopper"))
    assert put.status_code == 403
    deleted = dav.request("DELETE", dav.book(network.pk) + f"{ada.pk}.vcf")
    assert deleted.status_code == 403
    assert not Person.objects.filter(full_name="Grace Hopper").exists()
    ada.refresh_from_db()
    assert ada.archived_at is None


def test_outsider_finds_no_foreign_address_book_or_card(outsider, owner, network, ada):
    dav = DavClient(outsider)
    foreign = f"/dav/{outsider.pk}/{network.pk}/"
    assert dav.request("PROPFIND", foreign, PROPFIND_ETAGS, HTTP_DEPTH="1").status_code == 404
    assert dav.request("GET", foreign + f"{ada.pk}.vcf").status_code == 404
    assert dav.request("PUT", foreign + "x.vcf", card("u-3", "Eve")).status_code == 404
    # nor through the owner's principal
    assert dav.request("PROPFIND", f"/dav/{owner.pk}/", HTTP_DEPTH="1").status_code == 404
    assert dav.request("GET", f"/dav/{owner.pk}/{network.pk}/{ada.pk}.vcf").status_code == 404


def test_a_card_of_another_network_is_not_found_in_ones_own(outsider, network, ada):
    dav = DavClient(outsider)
    own = factories.network_of(outsider)
    assert dav.request("GET", dav.book(own.pk) + f"{ada.pk}.vcf").status_code == 404
