"""The calendar feed: fetched as a calendar program would, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import logging

import icalendar
import pytest
from django.test import Client

from kithkin.models import FeedToken, Membership
from kithkin.services.feeds import make_feed, open_feed, revoke_feed, set_titles_only
from tests.conftest import TODAY
from tests.factories import make_follow_up, make_member, make_person, make_user, network_of
from tests.factories_events import make_event
from tests.factories_memberships import make_membership
from tests.factories_mentorships import make_mentorship, make_session
from tests.factories_milestones import born, make_job, make_milestone
from tests.factories_opportunities import make_opportunity

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "kith.example.org"]


def fetch(secret: str, **headers: str):
    return Client(HTTP_HOST="kith.example.org").get(f"/feeds/{secret}/calendar.ics", **headers)


def events_of(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def by_kind(events: dict[str, icalendar.Event], kind: str) -> list[icalendar.Event]:
    return [e for e in events.values() if e["CATEGORIES"].cats == [kind]]


@pytest.fixture
def practised(network):
    """One of each kind of entry in the owner's network."""
    ada = make_person(
        network, "Ada Lovelace", what_matters="Her daughter's recital", notes="Secret note"
    )
    make_follow_up(network, ada, "Send Ada the paper", due_on=TODAY + 2 * DAY)
    make_follow_up(network, ada, "Long ago", due_on=TODAY - 60 * DAY)  # before the window
    grace = make_person(network, "Grace Hopper", circle="close", connected_on=dt.date(2025, 1, 1))
    born(network, "Leap Lee", 2, 29, year=1988)
    born(network, "No Year", 3, 14)
    make_job(network, grace, "Navy", start_on=dt.date(2020, 3, 2))
    make_milestone(network, ada, "promotion", on=TODAY - 3 * DAY, note="VP of Engines")
    make_membership(network, "Society for Product Craft", renews_on=TODAY + 40 * DAY)
    make_event(
        network,
        "PyCon US 2026",
        starts_on=TODAY + 10 * DAY,
        ends_on=TODAY + 12 * DAY,
        location="Pittsburgh",
        notes="Bring stickers",
        status="going",
    )
    mentorship = make_mentorship(network, mentee=ada, cadence_days=30)
    make_session(network, mentorship, on=TODAY - 5 * DAY, note="Talked about leading")
    make_opportunity(network, title="Staff engineer", deadline=TODAY + 20 * DAY)
    return {"ada": ada, "grace": grace, "mentorship": mentorship}


def test_the_feed_holds_every_kind_on_its_days(owner, network, practised):
    made = make_feed(owner, network)
    response = fetch(made.secret)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    events = events_of(response)
    summaries = {str(e["SUMMARY"]): e for e in events.values()}

    follow_up = summaries["Send Ada the paper"]
    assert follow_up["DTSTART"].dt == TODAY + 2 * DAY
    assert follow_up["DTEND"].dt == TODAY + 3 * DAY  # all-day: the day after
    assert follow_up["DTSTART"].params["VALUE"] == "DATE"
    assert "Long ago" not in summaries

    check_in = summaries["Check in with Grace Hopper"]
    assert check_in["DTSTART"].dt == TODAY

    leap = summaries["Wish Leap Lee a happy birthday"]
    assert leap["DTSTART"].dt == dt.date(2026, 2, 28)  # 29 February in a year without one
    assert "Turns 38" in str(leap["DESCRIPTION"])
    no_year = summaries["Wish No Year a happy birthday"]
    assert no_year["DTSTART"].dt == dt.date(2026, 3, 14)
    assert "Turns" not in str(no_year.get("DESCRIPTION", ""))

    anniversary = summaries["Congratulate Grace Hopper on 6 years at Navy"]
    assert anniversary["DTSTART"].dt == dt.date(2026, 3, 2)
    promotion = summaries["Congratulate Ada Lovelace on their promotion"]
    assert promotion["DTSTART"].dt == TODAY - 3 * DAY
    assert "VP of Engines" in str(promotion["DESCRIPTION"])

    renewal = summaries["Renew my membership of Society for Product Craft"]
    assert renewal["DTSTART"].dt == TODAY + 40 * DAY

    pycon = summaries["PyCon US 2026"]
    assert (pycon["DTSTART"].dt, pycon["DTEND"].dt) == (TODAY + 10 * DAY, TODAY + 13 * DAY)
    assert str(pycon["LOCATION"]) == "Pittsburgh"
    assert "Bring stickers" in str(pycon["DESCRIPTION"])

    next_session = summaries["Session with your mentee Ada Lovelace"]
    assert next_session["DTSTART"].dt == TODAY - 5 * DAY + 30 * DAY
    logged = summaries["Mentoring session: You mentor Ada Lovelace"]
    assert isinstance(logged["DTSTART"].dt, dt.datetime)  # timed
    assert logged["DTSTART"].params["TZID"] == "Europe/Paris"
    assert logged["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2026, 2, 15, 12, 0)

    deadline = next(e for e in events.values() if str(e["SUMMARY"]).startswith("Deadline: "))
    assert deadline["DTSTART"].dt == TODAY + 20 * DAY
    assert "Staff engineer" in str(deadline["SUMMARY"])

    kinds = {e["CATEGORIES"].cats[0] for e in events.values()}
    assert kinds == {
        "follow-up",
        "check-in",
        "birthday",
        "anniversary",
        "milestone",
        "renewal",
        "deadline",
        "event",
        "mentoring",
    }
    assert all(str(e["URL"]).startswith("http://kith.example.org/") for e in events.values())
    assert str(follow_up["UID"]).endswith("@kith.example.org")


def test_uids_stay_the_same_across_fetches(owner, network, practised, frozen_time):
    made = make_feed(owner, network)
    first = events_of(fetch(made.secret))
    frozen_time.shift(dt.timedelta(hours=3))
    second = events_of(fetch(made.secret))
    assert set(first) == set(second)
    assert len(first) == len(set(first))
    assert (
        f"follow-up-{practised['ada'].follow_ups.get(title='Send Ada the paper').pk}@kith.example.org"
        in first
    )


def test_a_timed_entry_carries_its_zone_and_the_zones_definition(db):
    for zone, hour in (("Europe/Paris", 12), ("America/New_York", 12)):
        user = make_user(f"u{hour}{zone[:2]}", time_zone=zone)
        network = network_of(user)
        network.time_zone = zone
        network.save()
        ada = make_person(network, "Ada Lovelace", by=user)
        mentorship = make_mentorship(network, mentee=ada, by=user)
        make_session(network, mentorship, on=TODAY - 2 * DAY, by=user)
        response = fetch(make_feed(user, network).secret)
        calendar = icalendar.Calendar.from_ical(response.content)
        (session,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-")]
        assert session["DTSTART"].params["TZID"] == zone
        assert session["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2026, 2, 18, hour)
        assert session["DTEND"].dt - session["DTSTART"].dt == dt.timedelta(hours=1)
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [zone]


def test_titles_only_hides_notes_places_and_reasons(owner, network, practised):
    made = make_feed(owner, network, titles_only=True)
    response = fetch(made.secret)
    text = response.content.decode()
    for private in (
        "Bring stickers",
        "Pittsburgh",
        "VP of Engines",
        "Talked about leading",
        "Turns 38",
        "Goals",
        "recital",
        "Secret note",
    ):
        assert private not in text
    events = events_of(response)
    assert all("DESCRIPTION" not in e and "LOCATION" not in e for e in events.values())
    assert "Send Ada the paper" in {str(e["SUMMARY"]) for e in events.values()}


def test_switching_to_titles_only_keeps_the_url(owner, network, practised):
    made = make_feed(owner, network)
    assert "Bring stickers" in fetch(made.secret).content.decode()
    set_titles_only(owner, network, True)
    response = fetch(made.secret)
    assert response.status_code == 200
    assert "Bring stickers" not in response.content.decode()


def test_an_unchanged_feed_answers_304_to_its_etag(owner, network, practised):
    made = make_feed(owner, network)
    first = fetch(made.secret)
    again = fetch(made.secret, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    make_follow_up(network, practised["ada"], "Something new", due_on=TODAY)
    changed = fetch(made.secret, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_regenerating_retires_the_old_url_and_revoking_the_new(owner, network):
    old = make_feed(owner, network)
    new = make_feed(owner, network)
    assert fetch(old.secret).status_code == 404
    assert fetch(new.secret).status_code == 200
    assert FeedToken.objects.filter(user=owner, network=network, revoked_at=None).count() == 1
    revoke_feed(owner, network)
    assert fetch(new.secret).status_code == 404
    assert fetch("kithcal_" + "x" * 43).status_code == 404
    assert fetch("nothing").status_code == 404


def test_the_secret_is_stored_only_as_a_digest(owner, network):
    made = make_feed(owner, network)
    stored = FeedToken.objects.get(pk=made.feed.pk)
    assert made.secret not in str(stored.__dict__)
    assert len(stored.digest) == 64


def test_a_member_who_left_the_network_gets_404(owner, network):
    teammate = make_member(network, "teammate", role="editor")
    made = make_feed(teammate, network)
    assert fetch(made.secret).status_code == 200
    Membership.objects.filter(user=teammate, network=network).delete()
    assert fetch(made.secret).status_code == 404


def test_a_deactivated_user_gets_404(owner, network):
    made = make_feed(owner, network)
    owner.is_active = False
    owner.save()
    assert fetch(made.secret).status_code == 404


def test_a_viewer_may_have_a_feed(owner, network, viewer, practised):
    made = make_feed(viewer, network)
    assert "Send Ada the paper" in fetch(made.secret).content.decode()


def test_another_networks_data_is_never_in_the_feed(owner, network, outsider, practised):
    theirs = network_of(outsider)
    make_person(theirs, "Oscar's Friend", by=outsider)
    made = make_feed(outsider, theirs)
    text = fetch(made.secret).content.decode()
    for name in ("Ada", "Grace", "PyCon", "Leap Lee"):
        assert name not in text
    from kithkin.errors import NotFound

    with pytest.raises(NotFound):
        make_feed(outsider, network)


def test_last_use_is_written_at_most_once_a_minute(owner, network, frozen_time):
    made = make_feed(owner, network)
    fetch(made.secret)
    first = FeedToken.objects.get(pk=made.feed.pk).last_used_at
    assert first is not None
    frozen_time.shift(dt.timedelta(seconds=30))
    fetch(made.secret)
    assert FeedToken.objects.get(pk=made.feed.pk).last_used_at == first
    frozen_time.shift(dt.timedelta(seconds=31))
    fetch(made.secret)
    assert FeedToken.objects.get(pk=made.feed.pk).last_used_at > first


def test_the_secret_is_never_logged(owner, network, caplog):
    made = make_feed(owner, network)
    revoke_feed(owner, network)
    with caplog.at_level(logging.DEBUG):
        assert fetch(made.secret).status_code == 404
        assert Client().post(f"/feeds/{made.secret}/calendar.ics").status_code == 405
    assert made.secret not in caplog.text


def test_the_access_log_masks_the_secret():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from kithkin.gunicorn_logging import GunicornLogger as AccessLogger
    from kithkin.log_redaction import redact

    line = "GET /feeds/kithcal_abc-DEF_123/calendar.ics HTTP/1.1"
    assert "kithcal_abc" not in redact(line)
    path = "/feeds/kithcal_abc-DEF_123/calendar.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://kith.example.org{path}",
    }
    atoms = AccessLogger(Config()).atoms(
        SimpleNamespace(status="200 OK", sent=10, headers=[]),
        SimpleNamespace(headers=[]),
        environ,
        dt.timedelta(milliseconds=5),
    )
    assert "kithcal_abc" not in repr(atoms)
    assert atoms["r"].startswith("GET /feeds/") and atoms["r"].endswith("/calendar.ics HTTP/1.1")


def test_open_feed_refuses_what_is_not_a_feed_secret(owner, network):
    make_feed(owner, network)
    assert open_feed("") is None
    assert open_feed("kith_" + "a" * 43) is None  # an API token's shape
    assert open_feed("kithcal_" + "a" * 200) is None


def test_the_backlog_of_check_ins_is_spread_over_the_coming_days(owner, network):
    network.daily_outreach_budget = 2
    network.save()
    for i in range(5):
        make_person(network, f"Friend {i}", circle="close", connected_on=dt.date(2025, 1, 1))
    made = make_feed(owner, network)
    check_ins = by_kind(events_of(fetch(made.secret)), "check-in")
    days = sorted(e["DTSTART"].dt for e in check_ins)
    assert days == [TODAY, TODAY, TODAY + DAY, TODAY + DAY, TODAY + 2 * DAY]


def test_yearly_occasions_fall_once_a_year_in_the_window(owner, network):
    born(network, "Early March", 3, 1, year=1990)  # 1 March 2026 and 1 March 2027? no: once
    born(network, "Mid February", 2, 10, year=1990)  # 10 Feb 2026 (past) and 10 Feb 2027
    made = make_feed(owner, network)
    birthdays = by_kind(events_of(fetch(made.secret)), "birthday")
    days = sorted((str(e["SUMMARY"]), e["DTSTART"].dt) for e in birthdays)
    assert days == [
        ("Wish Early March a happy birthday", dt.date(2026, 3, 1)),
        ("Wish Mid February a happy birthday", dt.date(2026, 2, 10)),
        ("Wish Mid February a happy birthday", dt.date(2027, 2, 10)),
    ]
    uids = {str(e["UID"]) for e in birthdays}
    assert len(uids) == 3


def test_one_session_shows_at_its_instant_in_each_users_zone(owner, network):
    """The owner is in Paris, a teammate in New York: the same session, the same instant,
    each in their own zone."""
    ada = make_person(network, "Ada Lovelace")
    mentorship = make_mentorship(network, mentee=ada)
    make_session(network, mentorship, on=TODAY - 2 * DAY)  # noon in Paris, 11:00 UTC
    teammate = make_member(network, "teammate", role="editor")
    teammate.time_zone = "America/New_York"
    teammate.save()
    starts = {}
    for user in (owner, teammate):
        calendar = icalendar.Calendar.from_ical(fetch(make_feed(user, network).secret).content)
        (session,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("session-")]
        starts[user.time_zone] = session["DTSTART"]
    paris, new_york = starts["Europe/Paris"], starts["America/New_York"]
    assert paris.params["TZID"] == "Europe/Paris"
    assert new_york.params["TZID"] == "America/New_York"
    assert paris.dt.replace(tzinfo=None) == dt.datetime(2026, 2, 18, 12, 0)
    assert new_york.dt.replace(tzinfo=None) == dt.datetime(2026, 2, 18, 6, 0)
    assert paris.dt == new_york.dt  # one instant


def test_the_feed_is_bounded_and_says_where_birthdays_were_cut(owner, network, monkeypatch):
    from kithkin.queries import feed as feed_query

    monkeypatch.setattr(feed_query, "MAX_ENTRIES", 4)
    ada = make_person(network, "Ada Lovelace")
    make_follow_up(network, ada, "Send Ada the paper", due_on=TODAY + 2 * DAY)
    for day in (21, 22, 23, 24, 25):
        born(network, f"Born {day}", 2, day)
    result = feed_query.calendar_feed(network, owner, titles_only=False)
    assert [e.title for e in result.entries] == [
        "Send Ada the paper",
        "Wish Born 21 a happy birthday",
        "Wish Born 22 a happy birthday",
        "Wish Born 23 a happy birthday",
    ]
    assert result.yearly_until == dt.date(2026, 2, 22)
    monkeypatch.setattr(feed_query, "MAX_ENTRIES", 100)
    assert feed_query.calendar_feed(network, owner, titles_only=False).yearly_until is None


def test_doctor_reads_a_live_feed_back(owner, network, practised):
    from kithkin.doctor import run_checks

    def feed_findings():
        return [f for f in run_checks() if f.check == "calendar feeds"]

    assert [f.detail for f in feed_findings()] == ["no calendar feed is set up"]
    make_feed(owner, network)
    (finding,) = feed_findings()
    assert finding.ok
    assert "renders and reads back" in finding.detail
    teammate = make_member(network, "teammate", role="editor")
    make_feed(teammate, network)
    Membership.objects.filter(user=teammate).delete()
    details = [f.detail for f in feed_findings()]
    assert any("left their network" in d for d in details)
    assert all(f.ok for f in feed_findings())
