"""Every page says so when background work is not running; Settings says when it last ran."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kithkin.models import WorkerBeat
from tests.conftest import FROZEN_NOW

pytestmark = pytest.mark.django_db

BANNER = "worker-banner"


def page(client, url: str = "/today/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_says_when_no_worker_ever_ran(owner_client):
    for url in ("/today/", "/people/", "/settings/"):
        text = page(owner_client, url)
        assert BANNER in text
        assert "Background work has never run" in text


def test_the_banner_goes_once_the_worker_runs_and_comes_back_when_it_stops(
    owner_client, frozen_time
):
    WorkerBeat.objects.create(worker_id="host:1:1", beat_at=FROZEN_NOW, interval_seconds=5)
    assert BANNER not in page(owner_client)
    frozen_time.shift(dt.timedelta(seconds=10))  # twice its interval: still running
    assert BANNER not in page(owner_client)
    frozen_time.shift(dt.timedelta(seconds=1))
    text = page(owner_client)
    assert BANNER in text
    assert "Background work has not run since 20 Feb 2026 09:00" in text  # the user's zone


def test_the_latest_of_several_workers_counts(owner_client):
    WorkerBeat.objects.create(worker_id="stopped", beat_at=FROZEN_NOW - dt.timedelta(days=1))
    WorkerBeat.objects.create(worker_id="running", beat_at=FROZEN_NOW - dt.timedelta(seconds=3))
    assert BANNER not in page(owner_client)


def test_a_viewer_is_told_too(viewer_client):
    assert BANNER in page(viewer_client)


def test_no_banner_before_signing_in(client):
    assert BANNER not in page(client, "/login/")


def test_settings_says_when_the_worker_last_ran(owner_client):
    WorkerBeat.objects.create(worker_id="w", beat_at=FROZEN_NOW - dt.timedelta(seconds=2))
    text = page(owner_client, "/settings/")
    assert "The worker last ran 0\xa0minutes ago, at 20 Feb 2026 08:59:58." in text
    assert "it is not running" not in text


def test_settings_says_a_stopped_worker_is_not_running(owner_client):
    WorkerBeat.objects.create(
        worker_id="w", beat_at=FROZEN_NOW - dt.timedelta(hours=3), interval_seconds=5
    )
    text = page(owner_client, "/settings/")
    assert (
        "The worker last ran 3\xa0hours ago, at 20 Feb 2026 06:00:00: <strong>it is not running</strong>"
        in text
    )


def test_the_status_is_read_once_per_page(owner_client):
    """The banner and Settings' section read one indexed row, once."""
    with CaptureQueriesContext(connection) as captured:
        page(owner_client, "/settings/")
    beats = [q["sql"] for q in captured.captured_queries if "workerbeat" in q["sql"].lower()]
    assert len(beats) == 1
    assert "LIMIT 1" in beats[0].upper()
