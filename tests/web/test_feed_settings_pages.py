"""Settings' calendar feeds: made, shown once, made again, switched to titles only,
revoked; each user's own feed of each of their networks, and nobody else's."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from kithkin.models import FeedToken
from kithkin.services.feeds import make_feed
from tests.factories import network_of
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def feed_url(response) -> str:
    found = re.search(
        r'value="(http://testserver/feeds/[^"]+/calendar\.ics)"', response.content.decode()
    )
    assert found, "the new feed's URL is shown"
    return found.group(1)


def test_the_owner_makes_a_feed_and_sees_its_url_once(owner_client, owner, network):
    page = owner_client.get("/settings/")
    assert "Calendar feeds" in page.content.decode()
    assert "no feed" in page.content.decode()

    made = owner_client.post(f"/settings/feeds/{network.pk}/make/")
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    url = feed_url(made)
    assert owner_client.get(url).status_code == 200

    again = owner_client.get("/settings/").content.decode()
    assert url.split("/feeds/")[1] not in again  # shown only that once
    assert "with details" in again and "last fetched" in again


def test_a_new_url_retires_the_old_one(owner_client, network):
    old = feed_url(owner_client.post(f"/settings/feeds/{network.pk}/make/"))
    new = feed_url(owner_client.post(f"/settings/feeds/{network.pk}/make/"))
    assert old != new
    assert owner_client.get(old).status_code == 404
    assert owner_client.get(new).status_code == 200


def test_titles_only_is_switched_and_kept_when_made_again(owner_client, owner, network):
    owner_client.post(f"/settings/feeds/{network.pk}/make/", {"titles_only": "1"})
    assert FeedToken.objects.get(user=owner, revoked_at=None).titles_only
    response = owner_client.post(f"/settings/feeds/{network.pk}/titles-only/", {"titles_only": "0"})
    assert response.status_code == 302
    assert not FeedToken.objects.get(user=owner, revoked_at=None).titles_only
    owner_client.post(f"/settings/feeds/{network.pk}/titles-only/", {"titles_only": "1"})
    owner_client.post(f"/settings/feeds/{network.pk}/make/")  # a new URL, the same choice
    assert FeedToken.objects.get(user=owner, revoked_at=None).titles_only
    assert "titles only" in owner_client.get("/settings/").content.decode()


def test_revoking_kills_the_url(owner_client, owner, network):
    url = feed_url(owner_client.post(f"/settings/feeds/{network.pk}/make/"))
    response = owner_client.post(f"/settings/feeds/{network.pk}/revoke/", follow=True)
    assert "Revoked the calendar feed" in response.content.decode()
    assert owner_client.get(url).status_code == 404
    assert not FeedToken.objects.filter(user=owner, revoked_at=None).exists()


def test_a_teammates_feed_is_their_own(owner, network, teammate):
    owners = make_feed(owner, network)
    client = client_for(teammate)
    assert client.post(f"/settings/feeds/{network.pk}/make/").status_code == 200
    # The owner's feed still works: each user has their own.
    from django.test import Client

    assert Client().get(f"/feeds/{owners.secret}/calendar.ics").status_code == 200
    assert FeedToken.objects.filter(network=network, revoked_at=None).count() == 2


def test_a_viewer_may_make_a_feed_and_changes_nothing_else(viewer_client, viewer, network):
    assert viewer_client.post(f"/settings/feeds/{network.pk}/make/").status_code == 200
    assert FeedToken.objects.filter(user=viewer, revoked_at=None).count() == 1
    assert viewer_client.get(f"/settings/feeds/{network.pk}/make/").status_code == 405


def test_an_outsider_reaches_no_feed_of_another_network(outsider_client, outsider, owner, network):
    make_feed(owner, network)
    for action in ("make", "revoke", "titles-only"):
        response = outsider_client.post(f"/settings/feeds/{network.pk}/{action}/")
        assert response.status_code == 404, action
    assert not FeedToken.objects.filter(user=outsider).exists()
    assert FeedToken.objects.filter(network=network, revoked_at=None).count() == 1
    # Their own network is listed, not the owner's.
    page = outsider_client.get("/settings/").content.decode()
    assert escape(network_of(outsider).name) in page and escape(network.name) not in page


def test_revoking_without_a_feed_is_404(owner_client, network):
    assert owner_client.post(f"/settings/feeds/{network.pk}/revoke/").status_code == 404
