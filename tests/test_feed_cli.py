"""`kith feed url|revoke`: the URL printed once, made again on request, revoked."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kithkin.models import FeedToken


def path_of(url: str) -> str:
    assert url.startswith("http://localhost:8000/feeds/kithcal_"), url
    return url.removeprefix("http://localhost:8000")


def test_the_first_call_makes_the_feed_and_prints_its_url(kith, owner):
    result = kith("feed", "url")
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert Client().get(path_of(url)).status_code == 200

    again = kith("feed", "url")
    assert again.exit_code == 0
    assert url not in again.output  # shown only once
    assert "--regenerate" in again.stderr
    assert again.stdout == ""


def test_regenerate_retires_the_old_url(kith, owner):
    old = kith("feed", "url").stdout.strip()
    new = kith("feed", "url", "--regenerate").stdout.strip()
    assert old != new
    assert Client().get(path_of(old)).status_code == 404
    assert Client().get(path_of(new)).status_code == 200


def test_titles_only_and_full(kith, owner):
    kith("feed", "url", "--titles-only")
    assert FeedToken.objects.get(user=owner, revoked_at=None).titles_only
    result = kith("feed", "url", "--full")
    assert result.stdout == ""  # the same URL: not shown again
    assert not FeedToken.objects.get(user=owner, revoked_at=None).titles_only


def test_base_url_and_json(kith, owner):
    result = kith("feed", "url", "--base-url", "https://kith.example.org/", "--json")
    printed = json.loads(result.stdout)
    assert printed["url"].startswith("https://kith.example.org/feeds/kithcal_")
    assert printed["network"]["name"] == "Olive Owner's network"
    assert printed["titles_only"] is False and printed["live"] is True
    again = json.loads(kith("feed", "url", "--json").stdout)
    assert again["url"] is None


def test_revoke(kith, owner):
    url = kith("feed", "url").stdout.strip()
    result = kith("feed", "revoke")
    assert result.exit_code == 0
    assert "Revoked the calendar feed" in result.stdout
    assert Client().get(path_of(url)).status_code == 404
    assert kith("feed", "revoke").exit_code != 0  # nothing left to revoke


def test_another_network_by_name(kith, owner, outsider):
    result = kith("feed", "url", "--network", "Oscar Outsider's network")
    assert result.exit_code != 0
    assert "no network" in result.output
    assert not FeedToken.objects.exists()


@pytest.mark.parametrize("args", [["feed", "url", "--network", "Olive Owner's network"]])
def test_the_network_by_name(kith, owner, args):
    assert kith(*args).stdout.startswith("http://localhost:8000/feeds/")
