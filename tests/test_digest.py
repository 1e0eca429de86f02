"""The daily digest, sent through a real SMTP server (tests/mailserver.py) and read back:
its parts and links, one digest for several networks, the weekly review, the job that
sends each digest once at the user's local hour (across DST changes), push to ntfy, and a
mail server that refuses."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest

from kithkin import clock, jobs
from kithkin.errors import KithError
from kithkin.models import Claim, DigestPreference, FollowUp, Membership
from kithkin.queries.digest import digest_for
from kithkin.services import digest as digests
from kithkin.services.followups import complete_follow_up
from kithkin.services.mail import email_check, send_test_message
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person, make_user, network_of
from tests.factories_ledger import received
from tests.mailserver import Inbox, parts, smtp_server

pytestmark = pytest.mark.django_db
__all__ = ["smtp_server"]  # the fixture, imported to be used here


@pytest.fixture
def plan(owner, network):
    ada = make_person(network, "Ada Lovelace")
    follow_up = make_follow_up(
        network, ada, "Send Ada the deck", due_on=TODAY - dt.timedelta(days=2)
    )
    return {"ada": ada, "follow_up": follow_up}


def subscribe(user, **fields: Any) -> DigestPreference:
    values = {
        "enabled": True,
        "send_at": dt.time(7, 0),
        "days": list(range(7)),
        "weekly_review": False,
        "weekly_review_day": 0,
    } | fields
    return digests.save_preferences(user, **values)


def test_the_digest_email_has_a_text_and_an_html_part_with_the_plan_and_its_links(
    owner, plan, smtp_server: Inbox
):
    digests.send_digest(owner, clock.now())

    (message,) = smtp_server.messages(to="owner@example.org")
    assert message["Subject"] == "Kithkin, Friday 20 February: your 1 for today"
    assert message["From"] == "Kithkin <kithkin@example.org>"
    text, html = parts(message)["text/plain"], parts(message)["text/html"]
    follow_up, ada = plan["follow_up"], plan["ada"]
    for body in (text, html):
        assert "Send Ada the deck" in body
        assert "overdue by 2 days (due 2026-02-18)" in body
        assert f"https://kithkin.example.org/follow-ups/{follow_up.pk}/draft/" in body
        assert f"https://kithkin.example.org/people/{ada.pk}/" in body
        assert "Follow-ups due: 1" in body
    assert f'<a href="https://kithkin.example.org/people/{ada.pk}/">Send Ada the deck</a>' in html
    assert DigestPreference.objects.filter(user=owner).count() == 0  # sending needs no row


def test_the_digest_carries_a_one_click_unsubscribe_signed_for_its_recipient(
    owner, plan, smtp_server: Inbox
):
    digests.send_digest(owner, clock.now())

    (message,) = smtp_server.messages()
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("https://kithkin.example.org/digest/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in parts(message)["text/plain"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert digests.user_of_token(token) == owner


def test_a_user_of_several_networks_gets_one_digest_with_a_section_each(
    owner, network, plan, outsider, smtp_server: Inbox
):
    other = network_of(outsider)
    Membership.objects.create(user=owner, network=other, role="editor")
    grace = make_person(other, "Grace Hopper")
    make_follow_up(other, grace, "Ask Grace about COBOL", due_on=TODAY)

    digests.send_digest(owner, clock.now())

    (message,) = smtp_server.messages()
    text = parts(message)["text/plain"]
    assert message["Subject"] == "Kithkin, Friday 20 February: your 2 for today"
    assert text.index(f"== {network.name} ==") < text.index("Send Ada the deck")
    assert text.index(f"== {other.name} ==") < text.index("Ask Grace about COBOL")
    # the web app shows one network at a time: each link says which one it opens in
    assert f"https://kithkin.example.org/digest/networks/{other.pk}/open/?to=%2Fpeople%2F" in text
    assert len(smtp_server.messages(to="outsider@example.org")) == 0


def test_the_weekly_review_comes_on_its_day_only(owner, network, plan, smtp_server: Inbox):
    grace = make_person(network, "Grace Hopper")
    log(network, grace, on=TODAY - dt.timedelta(days=2))
    subscribe(owner, weekly_review=True, weekly_review_day=TODAY.weekday())

    digests.send_digest(owner, clock.now())
    tomorrow = clock.now() + dt.timedelta(days=1)
    digests.send_digest(owner, tomorrow)

    review_day, next_day = (parts(m)["text/plain"] for m in smtp_server.messages())
    assert "Your week (since Friday 13 February):" in review_day
    assert "Caught up with 1: Grace Hopper" in review_day
    assert "Follow-ups done on time: 0% (0 of 1)" in review_day
    assert "Your week" not in next_day


def test_the_weekly_review_names_who_is_fading_and_counts_thanks_and_follow_ups(
    owner, network, plan
):
    make_person(network, "Fay Faded", circle="close", connected_on=dt.date(2025, 1, 1))
    make_person(network, "Far Acquaintance", connected_on=dt.date(2025, 1, 1))
    gone = make_person(network, "Gil Given", circle="close", connected_on=dt.date(2025, 1, 1))
    received(network, gone, on=TODAY - dt.timedelta(days=10))
    done = make_follow_up(network, gone, "Send Gil the notes", due_on=TODAY - dt.timedelta(days=3))
    complete_follow_up(network, owner, done, today=TODAY)
    on_its_day = dt.datetime(2026, 2, 17, 18, 0, tzinfo=dt.UTC)  # 19:00 in Paris
    FollowUp.objects.filter(pk=done.pk).update(done_at=on_its_day)

    (part,) = digest_for(owner, TODAY, weekly=True).networks

    review = part.review
    assert review is not None
    assert review.fading == ["Fay Faded", "Gil Given"]  # close circle only
    assert review.thanks_owed == 1
    assert (review.follow_ups_due, review.follow_ups_on_time, review.on_time_rate) == (2, 1, 50)


def test_the_job_sends_once_however_often_it_runs(owner, plan, smtp_server: Inbox):
    subscribe(owner)
    now = clock.now()  # 09:00 in Paris, past 07:00

    first = digests.send_due_digests(now)
    second = digests.send_due_digests(now + dt.timedelta(minutes=1))

    assert first.sent == [owner.pk] and second.sent == []
    assert len(smtp_server.messages()) == 1
    claim = Claim.objects.get(key=f"digest:{owner.pk}:2026-02-20")
    assert claim.done_at is not None
    assert DigestPreference.objects.get(user=owner).last_sent_at == now


def test_a_digest_claimed_by_another_worker_is_not_sent(owner, plan, smtp_server: Inbox):
    subscribe(owner)
    assert jobs.claim(f"digest:{owner.pk}:2026-02-20", worker_id="other")

    assert digests.send_due_digests(clock.now()).sent == []
    assert smtp_server.messages() == []


def test_days_of_the_week_are_respected(owner, plan, smtp_server: Inbox):
    subscribe(owner, days=[0, 1, 2, 3, 4])  # Monday to Friday
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    saturday = dt.datetime(2026, 2, 21, 8, 0, tzinfo=paris)
    monday = dt.datetime(2026, 2, 23, 8, 0, tzinfo=paris)

    assert digests.send_due_digests(saturday).sent == []
    assert digests.send_due_digests(monday).sent == [owner.pk]
    assert [m["Subject"].split(":")[0] for m in smtp_server.messages()] == [
        "Kithkin, Monday 23 February"
    ]


def test_nothing_is_due_before_the_local_time(owner, plan, smtp_server: Inbox):
    subscribe(owner, send_at=dt.time(9, 30))

    assert digests.send_due_digests(clock.now()).sent == []  # 09:00 in Paris
    assert digests.send_due_digests(clock.now() + dt.timedelta(minutes=30)).sent == [owner.pk]


# Each zone's DST changes of 2026, and the days around them.
DST_CHANGES = [
    ("Pacific/Auckland", dt.date(2026, 4, 5)),  # NZDT -> NZST, 03:00 -> 02:00
    ("Pacific/Auckland", dt.date(2026, 9, 27)),  # NZST -> NZDT, 02:00 -> 03:00
    ("America/New_York", dt.date(2026, 3, 8)),  # EST -> EDT, 02:00 -> 03:00
    ("America/New_York", dt.date(2026, 11, 1)),  # EDT -> EST, 02:00 -> 01:00
]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES)
def test_a_seven_oclock_digest_goes_out_once_a_day_at_seven_across_a_dst_change(
    zone, change, frozen_time, plan, smtp_server: Inbox
):
    traveller = make_user("traveller", full_name="Tess Traveller", time_zone=zone)
    subscribe(traveller)
    local = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(change - dt.timedelta(days=1), dt.time(), tzinfo=local)
    end = dt.datetime.combine(change + dt.timedelta(days=2), dt.time(), tzinfo=local)
    moment = start.astimezone(dt.UTC)
    sent_at: list[dt.datetime] = []
    while moment < end:  # the worker's rounds, every ten minutes for three local days
        frozen_time.move_to(moment)
        if digests.send_due_digests(clock.now()).sent:
            sent_at.append(clock.now().astimezone(local))
        moment += dt.timedelta(minutes=10)

    days = [change - dt.timedelta(days=1), change, change + dt.timedelta(days=1)]
    assert [(s.date(), s.time()) for s in sent_at] == [(day, dt.time(7, 0)) for day in days]
    subjects = [m["Subject"] for m in smtp_server.messages(to="traveller@example.org")]
    assert [s.split(":")[0] for s in subjects] == [
        f"Kithkin, {day:%A} {day.day} {day:%B}" for day in days
    ]


class Receiver(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], str]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Receiver.received.append((self.path, dict(self.headers), body))
        self.send_response(Receiver.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def ntfy(settings) -> Iterator[str]:
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # KITH_WEBHOOKS_ALLOW_PRIVATE: a local receiver
    Receiver.received, Receiver.status = [], 200
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/kithkin-owner"
    finally:
        server.shutdown()
        server.server_close()


def test_the_plan_is_pushed_to_the_users_ntfy_topic_once(owner, plan, ntfy):
    subscribe(owner, enabled=False, ntfy_url=ntfy)

    first = digests.send_due_digests(clock.now())
    second = digests.send_due_digests(clock.now() + dt.timedelta(minutes=1))

    assert first.pushed == [owner.pk] and second.pushed == []
    assert first.sent == []  # the email is off; push goes on
    ((path, headers, body),) = Receiver.received
    assert path == "/kithkin-owner"
    assert headers["Title"] == "Kithkin, Friday 20 February: your 1 for today"
    assert headers["Click"] == "http://localhost:8000/today/"
    assert headers["Tags"] == "spiral_calendar"
    assert body == "• Send Ada the deck"
    assert DigestPreference.objects.get(user=owner).last_pushed_at == clock.now()


def test_a_refused_digest_is_recorded_and_retried_without_resending_the_others(
    owner, network, plan, smtp_server: Inbox, caplog
):
    teammate = make_user("teammate2", full_name="Tim Mate")
    Membership.objects.create(user=teammate, network=network, role="editor")
    subscribe(owner)
    subscribe(teammate)
    smtp_server.refuse.add("owner@example.org")

    first = digests.send_due_digests(clock.now())

    assert first.sent == [teammate.pk]
    assert "mailbox unavailable" in first.failed[f"digest:{owner.pk}:2026-02-20"]
    preference = DigestPreference.objects.get(user=owner)
    assert preference.last_sent_at is None
    assert "550" in preference.last_failure and preference.last_failure_at == clock.now()
    assert "Traceback" not in caplog.text
    [finding] = digests.digests_check()
    assert not finding.ok and "the digest of owner failed at 2026-02-20 08:00 UTC" in finding.detail

    smtp_server.refuse.clear()
    second = digests.send_due_digests(clock.now() + dt.timedelta(minutes=1))

    assert second.sent == [owner.pk] and second.failed == {}
    assert len(smtp_server.messages(to="owner@example.org")) == 1
    assert len(smtp_server.messages(to="teammate2@example.org")) == 1
    assert digests.digests_check() == []


def test_a_mail_server_that_cannot_be_reached_is_one_line(owner, plan, settings):
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nobody listens (discard)

    with pytest.raises(
        KithError, match=r"could not reach the mail server at smtp://127\.0\.0\.1:9"
    ):
        digests.send_digest(owner, clock.now())
    [finding] = email_check()
    assert not finding.ok and "could not reach the mail server" in finding.detail


def test_email_off_says_so(owner, plan, settings):
    settings.EMAIL_CONFIGURED = False

    with pytest.raises(KithError, match="Email is off: set KITH_EMAIL_URL"):
        digests.send_digest(owner, clock.now())
    [finding] = email_check()
    assert finding.ok and "email is off" in finding.detail


def test_the_doctor_sees_the_mail_server_answer(smtp_server: Inbox):
    [finding] = email_check()
    assert finding.ok and f"127.0.0.1:{smtp_server.port} answers" in finding.detail


def test_a_test_message_goes_through_the_server(smtp_server: Inbox):
    send_test_message("me@example.org")
    (message,) = smtp_server.messages(to="me@example.org")
    assert message["Subject"] == "Kithkin test message"
    assert "your digest emails can reach you" in message.get_content()


def test_the_digest_reads_the_plan_today_shows(owner, network, plan):
    digest = digest_for(owner, TODAY)
    (part,) = digest.networks
    assert [row.title for row in part.rows] == ["Send Ada the deck"]
    assert part.rows[0].reason == "overdue by 2 days (due 2026-02-18)"
    assert digest.short_text() == "• Send Ada the deck"


def test_an_unreachable_mail_server_is_tried_once_a_round(owner, network, plan, settings):
    teammate = make_user("teammate2", full_name="Tim Mate")
    Membership.objects.create(user=teammate, network=network, role="editor")
    subscribe(owner)
    subscribe(teammate)
    settings.EMAIL_CONFIGURED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nobody listens

    done = digests.send_due_digests(clock.now())

    assert done.sent == [] and len(done.failed) == 2
    assert all("could not reach the mail server" in why for why in done.failed.values())
    assert not Claim.objects.exists()  # both given back for the next round
    assert {p.user.username for p in digests.failing()} == {"owner", "teammate2"}


def test_a_failed_push_is_recorded_and_retried(owner, plan, ntfy):
    subscribe(owner, enabled=False, ntfy_url=ntfy)
    Receiver.status = 503

    first = digests.send_due_digests(clock.now())

    assert first.pushed == []
    assert "answered 503" in first.failed[f"ntfy:{owner.pk}:2026-02-20"]
    assert "answered 503" in DigestPreference.objects.get(user=owner).last_failure
    Receiver.status = 200
    assert digests.send_due_digests(clock.now()).pushed == [owner.pk]
    assert len(Receiver.received) == 2


def test_a_push_to_a_private_address_is_refused_without_the_flag(owner, plan, ntfy, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    subscribe(owner, enabled=False, ntfy_url=ntfy)

    digests.send_due_digests(clock.now())

    assert Receiver.received == []
    assert "private" in DigestPreference.objects.get(user=owner).last_failure
