"""The Dashboard computes every chart on each view, in the same few queries whatever the
size of the network (its totals are stored: docs/insights.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import log, make_person

pytestmark = pytest.mark.django_db


def queries_of(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(captured)


def test_the_dashboard_reads_as_many_rows_for_many_people_as_for_few(owner_client, network):
    first = make_person(network, "Ada", circle="close")
    log(network, first, on=dt.date(2026, 1, 5), kind="meeting")
    few = queries_of(owner_client)
    for i in range(15):
        person = make_person(network, f"Person {i}", circle="regular")
        log(network, person, on=dt.date(2025, 6 + i % 6, 1 + i), kind="call")
    assert queries_of(owner_client) == few


def test_a_logged_meeting_is_on_the_dashboard_at_once(owner_client, network):
    ada = make_person(network, "Ada")
    owner_client.get(reverse("dashboard"))
    log(network, ada, on=dt.date(2026, 2, 2), kind="meeting")
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert "<title>2026-02, meeting: 1 interactions</title>" in page
