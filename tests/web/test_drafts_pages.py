"""Draft pages, Mark as sent, the prep brief and the message templates, as their users see
them: owner, viewer, outsider; hostile text stays text."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse

from kithkin.dates import parse_every
from kithkin.models import FollowUp, Interaction, MessageTemplate, Milestone, ValueExchange
from kithkin.services.message_templates import save_template
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person, network_of
from tests.factories_drafts import me_of, met_at, relate

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def ada(network):
    ada = make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        circle="close",
        what_matters="Her compiler project",
    )
    log(network, ada, on=dt.date(2026, 1, 10), summary="Rust & compilers", learned="Hiring")
    return ada


def html(response) -> str:
    return response.content.decode()


# The draft pages -------------------------------------------------------------------------


def test_a_person_draft_is_ready_to_copy_and_to_email(owner_client, ada):
    response = owner_client.get(reverse("person_draft", args=[ada.pk]))
    assert response.status_code == 200
    page = html(response)
    assert 'value="How are things?"' in page
    assert "I keep coming back to our call about Rust &amp; compilers; how did it turn out?" in page
    assert 'data-copy="draft-body" hidden' in page
    assert "/static/kithkin/copy.js" in page
    expected = "mailto:ada@example.org?subject=How%20are%20things%3F&amp;body=Hi%20Ada%2C%0A%0A"
    assert expected in page
    assert reverse("person_draft_sent", args=[ada.pk]) in page


def test_another_kind_is_one_click_away(owner_client, ada):
    response = owner_client.get(reverse("person_draft", args=[ada.pk]) + "?kind=thank-you")
    assert 'value="Thank you"' in html(response)
    assert "?kind=congratulations" in html(response)
    missing = owner_client.get(reverse("person_draft", args=[ada.pk]) + "?kind=love-letter")
    assert missing.status_code == 404


def test_a_draft_about_a_record_says_what_it_is_about(owner_client, network, ada):
    exchange = ValueExchange.objects.create(
        network=network,
        giver=ada,
        receiver=me_of(network),
        kind="introduction",
        introduced_to=make_person(network, "Grace Hopper"),
        occurred_on=TODAY,
    )
    url = reverse("person_draft", args=[ada.pk])
    page = html(owner_client.get(f"{url}?kind=thank-you&exchange={exchange.pk}"))
    assert "Thank you for the introduction to Grace Hopper." in page
    assert f'name="exchange" value="{exchange.pk}"' in page
    milestone = Milestone.objects.create(
        network=network, person=ada, kind="promotion", title="VP", year=2026, month=2, day=18
    )
    page = html(owner_client.get(f"{url}?kind=congratulations&milestone={milestone.pk}"))
    assert "Congratulations on your promotion to VP! Well deserved." in page


def test_a_record_of_another_network_is_not_found(owner_client, outsider, ada):
    theirs = network_of(outsider)
    milestone = Milestone.objects.create(
        network=theirs,
        person=make_person(theirs, "Stranger"),
        kind="award",
        year=2026,
        month=2,
        day=18,
    )
    url = reverse("person_draft", args=[ada.pk]) + f"?kind=congratulations&milestone={milestone.pk}"
    assert owner_client.get(url).status_code == 404


def test_a_record_about_someone_else_is_not_theirs_to_be_thanked_for(owner_client, network, ada):
    bob = make_person(network, "Bob Babbage")
    exchange = ValueExchange.objects.create(
        network=network, giver=bob, receiver=me_of(network), kind="advice", occurred_on=TODAY
    )
    milestone = Milestone.objects.create(
        network=network, person=bob, kind="award", year=2026, month=2, day=18
    )
    url = reverse("person_draft", args=[ada.pk])
    assert owner_client.get(f"{url}?kind=thank-you&exchange={exchange.pk}").status_code == 404
    assert (
        owner_client.get(f"{url}?kind=congratulations&milestone={milestone.pk}").status_code == 404
    )
    before = ada.interactions.count()
    sent = owner_client.post(
        reverse("person_draft_sent", args=[ada.pk]),
        {"kind": "thank-you", "exchange": exchange.pk},
    )
    assert sent.status_code == 302
    assert ada.interactions.count() == before  # nothing logged to Ada about Bob's advice


def test_the_person_draft_opens_the_follow_ups_stored_draft(owner_client, network, ada):
    follow_up = make_follow_up(network, ada, "Send the paper", due_on=TODAY)
    FollowUp.objects.filter(pk=follow_up.pk).update(draft="Subject: The paper\n\nAttached!")
    response = owner_client.get(reverse("person_draft", args=[ada.pk]))
    assert response.status_code == 302
    assert response.url == reverse("follow_up_draft", args=[follow_up.pk])
    page = html(owner_client.get(response.url))
    assert 'value="The paper"' in page and "Attached!" in page
    assert "Settles “Send the paper”" in page


def test_a_follow_up_draft_after_meeting_at_an_event(owner_client, owner, network, ada):
    from kithkin import clock
    from kithkin.services.followups import add_follow_up
    from kithkin.services.interactions import log_interaction

    event = met_at(network, ada, "PyCon 2026")
    meeting = log_interaction(
        network,
        owner,
        kind="event",
        people=[ada],
        occurred_at=clock.local_noon(dt.date(2026, 2, 14), network.time_zone),
        summary="Compilers",
        event=event,
    )
    follow_up = add_follow_up(
        network, owner, people=[ada], title="Follow up", due_on=TODAY, interaction=meeting
    )
    page = html(owner_client.get(reverse("follow_up_draft", args=[follow_up.pk])))
    assert 'value="Great to meet you at PyCon 2026"' in page


def test_mark_as_sent_logs_an_email_and_closes_the_follow_up(owner_client, network, ada):
    ada.refresh_from_db()
    follow_up = make_follow_up(network, ada, "Write to Ada", due_on=TODAY)
    response = owner_client.post(reverse("follow_up_sent", args=[follow_up.pk]), {"kind": ""})
    assert response.status_code == 302
    assert response.url == reverse("person", args=[ada.pk])
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    sent = Interaction.objects.filter(network=network).order_by("-occurred_at").first()
    assert (sent.kind, sent.direction, sent.summary) == ("email", "outbound", "How are things?")
    page = html(owner_client.get(response.url))
    assert "Logged your email to Ada Lovelace and closed “Write to Ada”." in page


def test_mark_as_sent_moves_the_check_in(owner_client, network):
    grace = make_person(network, "Grace Hopper", circle="close")
    log(network, grace, on=dt.date(2025, 6, 1))
    grace.refresh_from_db()
    assert grace.check_in_due_on < TODAY
    response = owner_client.post(
        reverse("person_draft_sent", args=[grace.pk]), {"kind": "check-in"}
    )
    assert response.status_code == 302
    grace.refresh_from_db()
    assert grace.check_in_due_on > TODAY
    assert grace.interactions.order_by("-occurred_at").first().kind == "message"  # no email


def test_mark_as_sent_on_a_recurring_follow_up_schedules_the_next(owner_client, network, ada):
    follow_up = make_follow_up(network, ada, "Call", due_on=TODAY, every=parse_every("1m"))
    owner_client.post(reverse("follow_up_sent", args=[follow_up.pk]))
    assert FollowUp.objects.filter(network=network, done_at__isnull=True).get().due_on > TODAY


def test_a_done_follow_up_is_not_sent_twice(owner_client, network, ada):
    follow_up = make_follow_up(network, ada, due_on=TODAY)
    url = reverse("follow_up_sent", args=[follow_up.pk])
    owner_client.post(url)
    count = Interaction.objects.count()
    response = owner_client.post(url, follow=True)
    assert "is already done" in html(response)
    assert Interaction.objects.count() == count


def test_a_viewer_reads_drafts_but_cannot_mark_them_sent(viewer_client, viewer, network, ada):
    viewer.current_network = network
    viewer.save()
    follow_up = make_follow_up(network, ada, due_on=TODAY)
    page = html(viewer_client.get(reverse("follow_up_draft", args=[follow_up.pk])))
    assert "How are things?" in page and "Mark as sent" not in page
    count = Interaction.objects.count()
    assert viewer_client.post(reverse("follow_up_sent", args=[follow_up.pk])).status_code == 403
    response = viewer_client.post(reverse("person_draft_sent", args=[ada.pk]), {"kind": "check-in"})
    assert response.status_code == 403
    assert Interaction.objects.count() == count
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_an_outsider_gets_nothing(outsider_client, network, ada):
    follow_up = make_follow_up(network, ada, due_on=TODAY)
    for name, args in [
        ("person_draft", [ada.pk]),
        ("follow_up_draft", [follow_up.pk]),
        ("person_brief", [ada.pk]),
    ]:
        assert outsider_client.get(reverse(name, args=args)).status_code == 404
    assert outsider_client.post(reverse("follow_up_sent", args=[follow_up.pk])).status_code == 404
    assert outsider_client.post(reverse("person_draft_sent", args=[ada.pk])).status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


# The person page's buttons ---------------------------------------------------------------


def test_the_person_page_offers_the_brief_and_a_draft(owner_client, viewer_client, viewer, ada):
    page = html(owner_client.get(reverse("person", args=[ada.pk])))
    assert reverse("person_brief", args=[ada.pk]) in page
    assert reverse("person_draft", args=[ada.pk]) in page
    viewer.current_network = ada.network
    viewer.save()
    page = html(viewer_client.get(reverse("person", args=[ada.pk])))
    assert reverse("person_brief", args=[ada.pk]) in page
    assert reverse("person_draft", args=[ada.pk]) not in page


# The prep brief --------------------------------------------------------------------------


def test_the_brief_page(owner_client, network, ada):
    me = me_of(network)
    alan = make_person(network, "Alan Turing")
    relate(network, alan, ada)
    relate(network, me, alan, "friend")
    log(network, ada, on=dt.date(2026, 1, 12), next_questions="How is Lyon?")
    page = html(owner_client.get(reverse("person_brief", args=[ada.pk])))
    assert "Prep brief" in page
    assert "How is Lyon?" in page
    assert "Alan Turing" in page and "their colleague, your friend" in page
    assert "<strong>Learned:</strong> Hiring" in page
    assert "Coming up" not in page  # nothing to say: left out


def test_pages_escape_hostile_text(owner_client, owner, network):
    evil = make_person(network, HOSTILE, what_matters=HOSTILE, how_we_met=HOSTILE)
    log(network, evil, on=dt.date(2026, 1, 10), summary=HOSTILE, next_questions=HOSTILE)
    make_follow_up(network, evil, HOSTILE, due_on=TODAY)
    save_template(network, owner, "check-in", "Hi {first_name}", "{what_matters} {last_topic}")
    for url in [
        reverse("person_brief", args=[evil.pk]),
        reverse("person_draft", args=[evil.pk]),
        reverse("message_templates"),
        reverse("message_template", args=["check-in"]),
    ]:
        page = html(owner_client.get(url))
        assert HOSTILE not in page, url
    assert "&lt;script&gt;" in html(owner_client.get(reverse("person_brief", args=[evil.pk])))
    mailto = html(owner_client.get(reverse("person_draft", args=[evil.pk])))
    assert "<script>" not in mailto.split("<main", 1)[1]
    preview = owner_client.get(
        reverse("message_template_preview", args=["check-in"]),
        {"subject": HOSTILE, "body": HOSTILE},
    )
    assert HOSTILE not in html(preview)


# Message templates -----------------------------------------------------------------------


def test_the_settings_page_links_to_the_templates(owner_client):
    assert reverse("message_templates") in html(owner_client.get(reverse("settings")))


def test_the_templates_list_every_kind(owner_client):
    page = html(owner_client.get(reverse("message_templates")))
    for kind, _ in MessageTemplate.Kind.choices:
        assert reverse("message_template", args=[kind]) in page
    assert "Great to meet you{event_suffix}" in page


def test_editing_a_template(owner_client, network):
    url = reverse("message_template", args=["thank-you"])
    page = html(owner_client.get(url))
    assert "{first_name}" in page and "their first name" in page  # the placeholder list
    assert "Thank you for introducing me to Grace." in page  # the sample preview
    response = owner_client.post(url, {"subject": "Thanks, {first_name}", "body": "Merci!"})
    assert response.status_code == 302
    row = MessageTemplate.objects.get(network=network, kind="thank-you")
    assert (row.subject, row.body) == ("Thanks, {first_name}", "Merci!")
    assert "your wording" in html(owner_client.get(reverse("message_templates")))


def test_an_unknown_placeholder_is_named(owner_client, network):
    url = reverse("message_template", args=["thank-you"])
    response = owner_client.post(url, {"subject": "Hi", "body": "Hi {frist_name}"})
    assert response.status_code == 200
    assert "unknown placeholder {frist_name} (did you mean {first_name}?)" in html(response)
    response = owner_client.post(url, {"subject": "", "body": "Hi"})
    assert "This field is required." in html(response)
    assert not MessageTemplate.objects.exists()


def test_the_live_preview(owner_client):
    url = reverse("message_template_preview", args=["check-in"])
    page = html(owner_client.get(url, {"subject": "Hey {first_name}", "body": "{learned}!"}))
    assert "Hey Ada" in page and "she is hiring!" in page
    page = html(owner_client.get(url, {"subject": "Hey", "body": "{nope}"}))
    assert "unknown placeholder {nope}" in page


def test_reset_to_default(owner_client, owner, network):
    save_template(network, owner, "check-in", "Mine", "Mine")
    response = owner_client.post(reverse("message_template_reset", args=["check-in"]))
    assert response.status_code == 302
    assert not MessageTemplate.objects.exists()


def test_viewers_read_templates_but_cannot_change_them(viewer_client, viewer, owner, network):
    viewer.current_network = network
    viewer.save()
    save_template(network, owner, "check-in", "Mine", "Mine")
    page = html(viewer_client.get(reverse("message_template", args=["check-in"])))
    assert "Mine" in page and 'name="body"' not in page
    url = reverse("message_template", args=["check-in"])
    assert viewer_client.post(url, {"subject": "X", "body": "X"}).status_code == 403
    reset = reverse("message_template_reset", args=["check-in"])
    assert viewer_client.post(reset).status_code == 403
    assert MessageTemplate.objects.get().subject == "Mine"


def test_an_unknown_kind_is_not_found(owner_client):
    assert owner_client.get(reverse("message_template", args=["nope"])).status_code == 404
    assert owner_client.post(reverse("message_template_reset", args=["nope"])).status_code == 404


def test_mailto_quotes_everything(owner_client, network):
    odd = make_person(network, "Odd Person", emails=["odd+tag@example.org"])
    page = html(owner_client.get(reverse("person_draft", args=[odd.pk]) + "?kind=thank-you"))
    assert f"mailto:{quote('odd+tag@example.org', safe='@')}?subject=Thank%20you" in page
