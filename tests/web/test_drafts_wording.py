"""The whole text of every draft kind, opened from every place that links to one, with and
without what it is about (the draft pages themselves: test_drafts_pages.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kithkin.models import FollowUp, Milestone, ValueExchange
from kithkin.services.message_templates import save_template
from tests.factories import log, make_person
from tests.factories_drafts import me_of
from tests.factories_ledger import received

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


# Every kind, from every place a draft opens, with and without what it is about -------------
#
# Each case sets up Inês Duarte's record (``present``: what a draft of that kind is about is
# on record; otherwise nothing is), opens the draft the way that place links to it, and
# asserts the whole subject and body. Signed by the user (Olive).


def _ines(network, present: bool):
    from tests.factories_milestones import make_job, make_milestone, with_birthday

    fields = {"what_matters": "Her compiler project"} if present else {}
    ines = make_person(network, "Inês Duarte", **fields)
    if present:
        log(network, ines, kind="message", on=dt.date(2026, 1, 10), summary=SABBATICAL)
        received(network, ines, "referral", HIRING_MANAGER, on=dt.date(2026, 2, 1))
        received(network, ines, "advice", "Advice on my promotion case", on=dt.date(2026, 2, 5))
        make_milestone(network, ines, "promotion", on=dt.date(2026, 2, 18), title="VP Engineering")
        make_milestone(network, ines, "job-loss", on=dt.date(2026, 2, 15))
        with_birthday(network, ines, 2, 22, year=1990)
        make_job(network, ines, "Babbage & Co", start_on=dt.date(2021, 2, 23))
    return ines


SABBATICAL = "Inês messaged about their sabbatical"
HIRING_MANAGER = "Introduced me to the hiring manager at Babbage & Co"
SIGNED = "\n\nOlive"
CHECK_IN_HEAD = "Hi Inês,\n\nIt's been a while, and I was thinking of you.\n"
CHECK_IN_TAIL = "\nWould you have time for a coffee or a call soon?" + SIGNED
LATER = "I'd love to hear how things are going when you have a moment." + SIGNED


def _url_for(place: str, network, ines) -> str:
    """The link each place puts on its Draft button (see the templates named)."""
    from kithkin.models import Affiliation

    draft = reverse("person_draft", args=[ines.pk])
    milestone = Milestone.objects.filter(person=ines)
    job = Affiliation.objects.filter(person=ines).first()
    return {
        # person_head_actions.html, brief.html: no kind; then the kind switcher
        "person page": draft,
        # agenda_actions_thanks.html (the giver's row), person_ledger.html
        "thanks row": f"{draft}?kind=thank-you",
        # a single exchange, as ?exchange=
        "exchange": f"{draft}?kind=thank-you&exchange="
        + str(
            ValueExchange.objects.filter(giver=ines, kind="referral")
            .values_list("pk", flat=True)
            .first()
        ),
        # agenda_actions_celebrate.html, milestone_row.html: a milestone
        "milestone": f"{draft}?kind=congratulations&milestone="
        + str(milestone.filter(kind="promotion").values_list("pk", flat=True).first()),
        # agenda_actions_celebrate.html, milestone_row.html: a birthday
        "birthday row": f"{draft}?kind=congratulations&occasion=birthday:2026",
        # agenda_actions_celebrate.html, milestone_row.html: a work anniversary
        "anniversary row": f"{draft}?kind=congratulations&occasion=anniversary:"
        + (f"{job.pk}:2026" if job else "0:2026"),
        # agenda_actions_support.html: a challenge
        "support row": f"{draft}?kind=offer-help&milestone="
        + str(milestone.filter(kind="job-loss").values_list("pk", flat=True).first()),
    }.get(place, f"{draft}?kind={place}")


DRAFT_CASES = [
    # (kind, place, data on record?, subject, body)
    (
        "thank-you",
        "thanks row",
        True,
        "Thank you",
        "Hi Inês,\n\nThank you for introducing me to the hiring manager at Babbage & Co and "
        "your advice on my promotion case. It made a real difference.\n"
        "If there is anything I can do for you, just ask." + SIGNED,
    ),
    (
        "thank-you",
        "exchange",
        True,
        "Thank you",
        "Hi Inês,\n\nThank you for introducing me to the hiring manager at Babbage & Co. "
        "It made a real difference.\nIf there is anything I can do for you, just ask." + SIGNED,
    ),
    (
        "thank-you",
        "thanks row",
        False,
        "Thank you",
        "Hi Inês,\n\nThank you for your help. It made a real difference.\n"
        "If there is anything I can do for you, just ask." + SIGNED,
    ),
    (
        "congratulations",
        "milestone",
        True,
        "Congratulations!",
        "Hi Inês,\n\nCongratulations on your promotion to VP Engineering! Well deserved.\n" + LATER,
    ),
    (
        "congratulations",
        "birthday row",
        True,
        "Happy birthday!",
        "Hi Inês,\n\nHappy birthday! I hope it's a wonderful day.\n" + LATER,
    ),
    (
        "congratulations",
        "anniversary row",
        True,
        "Happy work anniversary!",
        "Hi Inês,\n\nCongratulations on five years at Babbage & Co!\n" + LATER,
    ),
    (
        # the kind switcher on the person page: the nearest occasion due (the promotion, two
        # days ago, before the birthday in two days)
        "congratulations",
        "congratulations",
        True,
        "Congratulations!",
        "Hi Inês,\n\nCongratulations on your promotion to VP Engineering! Well deserved.\n" + LATER,
    ),
    (
        "congratulations",
        "congratulations",
        False,
        "Congratulations!",
        "Hi Inês,\n\nI heard your good news: congratulations!\n" + LATER,
    ),
    (
        "offer-help",
        "support row",
        True,
        "Thinking of you",
        "Hi Inês,\n\nI was sorry to hear the news about your job, and I wanted you to know "
        "I'm thinking of you.\n"
        "If an introduction, a reference or just a conversation would help, I'm glad to." + SIGNED,
    ),
    (
        "offer-help",
        "offer-help",
        True,
        "Thinking of you",
        "Hi Inês,\n\nI was sorry to hear the news about your job, and I wanted you to know "
        "I'm thinking of you.\n"
        "If an introduction, a reference or just a conversation would help, I'm glad to." + SIGNED,
    ),
    (
        "offer-help",
        "offer-help",
        False,
        "Thinking of you",
        "Hi Inês,\n\nI wanted you to know I'm thinking of you.\n"
        "If there is anything I can do, just say." + SIGNED,
    ),
    (
        "check-in",
        "person page",
        True,
        "How are things?",
        CHECK_IN_HEAD
        + "I keep coming back to our messages about your sabbatical; how did it turn out?\n"
        "How are things with your compiler project?\n" + CHECK_IN_TAIL,
    ),
    ("check-in", "person page", False, "How are things?", CHECK_IN_HEAD + CHECK_IN_TAIL),
    (
        "follow-up",
        "follow-up",
        True,
        "Great to meet you",
        "Hi Inês,\n\nIt was great to meet you.\n"
        "I enjoyed our conversation about your sabbatical.\n"
        "You mentioned your compiler project; if I can help with it, tell me.\n\n"
        "Let's stay in touch." + SIGNED,
    ),
    (
        "follow-up",
        "follow-up",
        False,
        "Great to meet you",
        "Hi Inês,\n\nIt was great to meet you.\n\nLet's stay in touch." + SIGNED,
    ),
]


@pytest.mark.parametrize(
    ("kind", "place", "present", "subject", "body"),
    DRAFT_CASES,
    ids=[f"{c[0]}-{c[1]}-{'present' if c[2] else 'missing'}" for c in DRAFT_CASES],
)
def test_every_kind_from_every_place_reads_whole(
    owner_client, network, kind, place, present, subject, body
):
    ines = _ines(network, present)
    response = owner_client.get(_url_for(place, network, ines))
    assert response.status_code == 200
    draft = response.context["draft"]
    assert (draft.kind, draft.subject, draft.body) == (kind, subject, body)


def test_a_follow_up_after_meeting_at_an_event_reads_whole(owner_client, network):
    from tests.factories_events import make_event, meet

    event = make_event(network, "PyCon 2026", starts_on=dt.date(2026, 2, 14))
    met = meet(network, event, "Inês Duarte", note="Talked about LLM evaluation", new=True)
    ines = met.person
    ines.what_matters = "Training for a marathon"
    ines.save()
    follow_up = FollowUp.objects.get(people=ines)
    draft = owner_client.get(reverse("follow_up_draft", args=[follow_up.pk])).context["draft"]
    # the draft stored when we met (what mattered to her was not known yet)
    assert (draft.subject, draft.body) == (
        "Great to meet you at PyCon 2026",
        "Hi Inês,\n\nIt was great to meet you at PyCon 2026.\n"
        "I enjoyed our conversation about LLM evaluation.\n\nLet's stay in touch." + SIGNED,
    )
    fresh = owner_client.get(reverse("follow_up_draft", args=[follow_up.pk]) + "?kind=follow-up")
    assert fresh.context["draft"].body == (
        "Hi Inês,\n\nIt was great to meet you at PyCon 2026.\n"
        "I enjoyed our conversation about LLM evaluation.\n"
        "You mentioned training for a marathon; if I can help with it, tell me.\n\n"
        "Let's stay in touch." + SIGNED
    )


def test_an_opportunity_share_names_the_opportunity_and_needs_one(owner_client, network):
    from tests.factories_opportunities import make_opportunity

    ines = _ines(network, True)
    job = make_opportunity(
        network, "Staff engineer at Babbage & Co", url="https://example.org/jobs/42"
    )
    url = reverse("person_draft", args=[ines.pk])
    draft = owner_client.get(f"{url}?kind=opportunity&opportunity={job.pk}").context["draft"]
    assert (draft.subject, draft.body) == (
        "Thought of you: Staff engineer at Babbage & Co",
        "Hi Inês,\n\nI came across this and thought of you: Staff engineer at Babbage & Co.\n"
        "https://example.org/jobs/42\n"
        "Knowing how much your compiler project matters to you, it seemed a good fit.\n"
        "Happy to introduce you or tell you more." + SIGNED,
    )
    # Without an opportunity there is nothing to share: not offered, not written.
    assert owner_client.get(f"{url}?kind=opportunity").status_code == 404
    assert "kind=opportunity" not in html(owner_client.get(f"{url}?kind=check-in"))


def test_a_networks_own_wording_still_renders_with_the_new_phrases(owner_client, owner, network):
    ines = _ines(network, True)
    # An override saved before these placeholders existed.
    save_template(
        network,
        owner,
        "check-in",
        "Hello {first_name}",
        "Hi {first_name}!\nLast time we talked about {last_topic}.\n{learned}\n\n{my_first_name}",
    )
    draft = owner_client.get(reverse("person_draft", args=[ines.pk])).context["draft"]
    assert (draft.subject, draft.body) == (
        "Hello Inês",
        "Hi Inês!\nLast time we talked about your sabbatical.\n\nOlive",
    )


def test_the_today_rows_link_their_drafts_to_the_occasion(owner_client, network):
    ines = _ines(network, True)
    page = html(owner_client.get(reverse("today")))
    url = reverse("person_draft", args=[ines.pk])
    assert f"{url}?kind=congratulations&amp;occasion=birthday%3A2026" in page
    assert f"{url}?kind=thank-you" in page


def test_the_opportunity_row_on_today_opens_a_share_draft(owner_client, network):
    from tests.factories_opportunities import make_compiler_engineer, make_opportunity

    grace = make_compiler_engineer(network)  # what matters to her is no phrase: left out
    job = make_opportunity(
        network,
        "Staff engineer at Babbage",
        organization="Babbage",
        tags=["rust", "compilers"],
        url="https://babbage.example/jobs/1",
    )
    section = html(
        owner_client.get(reverse("today_section", args=["opportunities"]), HTTP_HX_REQUEST="true")
    )
    link = f"{reverse('person_draft', args=[grace.pk])}?kind=opportunity&amp;opportunity={job.pk}"
    assert link in section
    draft = owner_client.get(link.replace("&amp;", "&")).context["draft"]
    assert (draft.subject, draft.body) == (
        "Thought of you: Staff engineer at Babbage",
        "Hi Grace,\n\nI came across this and thought of you: Staff engineer at Babbage.\n"
        "https://babbage.example/jobs/1\nHappy to introduce you or tell you more.\n\nOlive",
    )


def test_a_check_in_after_a_mentoring_session_names_the_session(owner_client, network):
    from tests.factories_mentorships import make_mentorship, make_session

    ines = make_person(network, "Inês Duarte")
    mentorship = make_mentorship(network, mentor=me_of(network), mentee=ines)
    make_session(network, mentorship, on=dt.date(2026, 2, 1), note="Went through her CV")
    draft = owner_client.get(reverse("person_draft", args=[ines.pk])).context["draft"]
    assert "I keep coming back to our last session about your CV; how did it turn out?" in (
        draft.body
    )


def test_the_placeholder_help_lists_the_new_phrases(owner_client):
    page = html(owner_client.get(reverse("message_template", args=["check-in"])))
    for name in ["last_conversation", "congratulations", "wishes", "sympathy", "help_offer"]:
        assert "{" + name + "}" in page.replace("<code>{", "{").replace("}</code>", "}"), name
    assert "event_suffix" in page
