"""A real calendar program reads the feed: khal imports the fetched file into a calendar
of its own and lists the entries back (khal is in the test extras; CI installs them)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from kithkin.services.feeds import make_feed
from tests.conftest import TODAY
from tests.factories import make_follow_up, make_person
from tests.factories_events import make_event
from tests.factories_mentorships import make_mentorship, make_session
from tests.factories_milestones import born

DAY = dt.timedelta(days=1)
KHAL = shutil.which("khal") or shutil.which("khal", path=str(Path(sys.executable).parent))


@pytest.fixture
def khal(tmp_path):
    if KHAL is None:
        if os.environ.get("CI"):
            pytest.fail("khal is missing: CI installs the test extras, which include it")
        pytest.skip("khal is not installed (pip install -e '.[test]' brings it)")
    calendar = tmp_path / "calendars" / "kithkin"
    calendar.mkdir(parents=True)
    config = tmp_path / "khal.conf"
    config.write_text(
        f"""[calendars]
[[kithkin]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Paris
default_timezone = Europe/Paris

[sqlite]
path = {tmp_path / "khal.db"}
"""
    )

    def run(*args: str) -> str:
        done = subprocess.run(
            [KHAL, "-c", str(config), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "TZ": "Europe/Paris", "LC_ALL": "C.UTF-8"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run, calendar


def test_khal_imports_the_feed_and_lists_its_entries(owner, network, khal, tmp_path):
    run, calendar = khal
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send Ada the paper", due_on=TODAY + 2 * DAY)
    born(network, "Leap Lee", 2, 29, year=1988)
    make_event(network, "PyCon US 2026", starts_on=TODAY + 10 * DAY, ends_on=TODAY + 12 * DAY)
    mentorship = make_mentorship(network, mentee=ada)
    make_session(network, mentorship, on=TODAY - 2 * DAY)
    response = Client().get(f"/feeds/{make_feed(owner, network).secret}/calendar.ics")
    assert response.status_code == 200
    feed = tmp_path / "feed.ics"
    feed.write_bytes(response.content)

    run("import", "--batch", "-a", "kithkin", str(feed))
    stored = list(calendar.glob("*.ics"))
    assert len(stored) >= 5  # one file per entry

    listed = run(
        "list", "--format", "{start} {end} {title}", "--day-format", "", "2026-02-01", "60d"
    )
    lines = [line for line in listed.splitlines() if line.strip()]
    assert "2026-02-22 2026-02-22 Send Ada the paper" in lines
    assert "2026-02-28 2026-02-28 Wish Leap Lee a happy birthday" in lines
    # A three-day event, all day.
    assert "2026-03-02 2026-03-04 PyCon US 2026" in lines
    # The session, timed, at noon in Paris.
    assert "2026-02-18 12:00 2026-02-18 13:00 Mentoring session: You mentor Ada Lovelace" in lines
