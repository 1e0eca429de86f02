"""Drafts: templates a network can reword, drafts filled from what it knows, kith draft, and
logging a draft as sent. Also the questions a later conversation answers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kithkin import clock
from kithkin.dates import parse_every
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import FollowUp, Interaction, MessageTemplate
from kithkin.services import draft_phrases as phrases
from kithkin.services.drafts import (
    DEFAULT_TEMPLATES,
    Draft,
    draft_for,
    mark_draft_sent,
    suggested_draft,
)
from kithkin.services.interactions import log_interaction
from kithkin.services.message_templates import reset_template, save_template, templates_of
from tests.conftest import TODAY
from tests.factories import log, make_follow_up, make_person
from tests.factories_drafts import met_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(network):
    return make_person(
        network,
        "Ada Lovelace",
        emails=["ada@example.org"],
        what_matters="Her compiler project.\nAnd her kids",
    )


# Templates -------------------------------------------------------------------------------


def test_every_kind_ships_a_default(network):
    entries = templates_of(network)
    assert [e.kind for e in entries] == [kind for kind, _ in MessageTemplate.Kind.choices]
    assert all(not e.customised for e in entries)
    assert entries[0].template == DEFAULT_TEMPLATES[entries[0].kind]


def test_a_saved_template_is_the_networks_wording_until_reset(network, owner, ada):
    save_template(network, owner, "check-in", "  Hello {first_name}  ", "Hi {first_name}!\r\n")
    row = MessageTemplate.objects.get(network=network, kind="check-in")
    assert (row.subject, row.body) == ("Hello {first_name}", "Hi {first_name}!")
    assert draft_for(network, ada, "check-in") == Draft("check-in", "Hello Ada", "Hi Ada!")
    assert [e.customised for e in templates_of(network) if e.kind == "check-in"] == [True]

    save_template(network, owner, "check-in", "Again", "Hi")  # saving twice updates the row
    assert MessageTemplate.objects.filter(network=network).count() == 1

    assert reset_template(network, owner, "check-in") is True
    assert not MessageTemplate.objects.filter(network=network).exists()
    assert draft_for(network, ada, "check-in").subject == "How are things?"
    assert reset_template(network, owner, "check-in") is False


def test_another_networks_template_is_not_used(network, outsider, ada):
    from tests.factories import network_of

    save_template(network_of(outsider), outsider, "check-in", "Theirs", "Theirs")
    assert draft_for(network, ada, "check-in").subject == "How are things?"


@pytest.mark.parametrize(
    ("subject", "body", "field", "words"),
    [
        ("", "Hi", "subject", "must not be empty"),
        ("Hi", "   ", "body", "must not be empty"),
        ("Hi\nthere", "Hi", "subject", "one line"),
        ("x" * 201, "Hi", "subject", "longer than 200"),
        ("Hi {firstname}", "Hi", "subject", "unknown placeholder {firstname} (did you mean"),
        ("Hi", "{nme} and {evnt} and {nme}", "body", "unknown placeholders {nme}"),
    ],
)
def test_a_template_that_cannot_work_is_refused(network, owner, subject, body, field, words):
    with pytest.raises(InvalidInput) as error:
        save_template(network, owner, "thank-you", subject, body)
    assert error.value.field == field
    assert words in error.value.message
    assert not MessageTemplate.objects.exists()


def test_the_error_names_every_unknown_placeholder(network, owner):
    with pytest.raises(InvalidInput) as error:
        save_template(network, owner, "thank-you", "Hi", "{nme} and {evnt} and {nme}")
    assert "{nme}" in error.value.message and "{evnt}" in error.value.message
    assert error.value.message.count("{nme}") == 1


def test_braces_that_are_not_placeholder_names_are_kept(network, owner, ada):
    save_template(network, owner, "check-in", "Hi{event_suffix}", "Hi {first_name} :-{ } {1}")
    assert draft_for(network, ada, "check-in").body == "Hi Ada :-{ } {1}"


def test_an_unknown_kind_is_refused(network, owner):
    with pytest.raises(InvalidInput):
        save_template(network, owner, "love-letter", "Hi", "Hi")
    with pytest.raises(InvalidInput):
        reset_template(network, owner, "love-letter")


def test_viewers_may_not_change_templates(network, viewer):
    with pytest.raises(Forbidden):
        save_template(network, viewer, "check-in", "Hi", "Hi")
    with pytest.raises(Forbidden):
        reset_template(network, viewer, "check-in")


# Drafts filled from the database ---------------------------------------------------------


def test_a_follow_up_draft_says_where_we_met_and_what_we_talked_about(network, owner, ada):
    event = met_at(network, ada, "PyCon 2026")
    meeting = log_interaction(
        network,
        owner,
        kind="event",
        people=[ada],
        occurred_at=clock.local_noon(dt.date(2026, 2, 14), network.time_zone),
        summary="Her compiler project.",
        learned="She is hiring",
        event=event,
    )
    follow_up = FollowUp.objects.create(
        network=network, title="Follow up with Ada", due_on=TODAY, interaction=meeting
    )
    follow_up.people.set([ada])
    draft = draft_for(network, ada, "follow-up", follow_up=follow_up)
    assert draft.subject == "Great to meet you at PyCon 2026"
    assert draft.body == (
        "Hi Ada,\n\n"
        "It was great to meet you at PyCon 2026.\n"
        "I enjoyed our conversation about your compiler project.\n\n"  # said once
        "Let's stay in touch.\n\nOlive"
    )


def test_lines_without_anything_to_say_are_left_out(network):
    grace = make_person(network, "Grace Hopper")
    draft = draft_for(network, grace, "follow-up")
    assert draft.subject == "Great to meet you"
    assert draft.body == "Hi Grace,\n\nIt was great to meet you.\n\nLet's stay in touch.\n\nOlive"


def test_the_last_conversation_and_the_last_event_fill_a_check_in(network, ada):
    met_at(network, ada, "Old Meetup", on=dt.date(2025, 5, 1))
    met_at(network, ada, "Future Summit", on=dt.date(2026, 6, 1))  # not met there yet
    log(network, ada, on=dt.date(2026, 1, 10), summary="Her new job", learned="Loves Rust")
    log(network, ada, on=dt.date(2026, 1, 20), kind="note", summary="Remember: vegan")
    save_template(
        network,
        network.memberships.get(role="owner").user,
        "check-in",
        "Hi",
        "{last_topic} / {learned} / {event}\n{how_we_met}\nnever left out",
    )
    # A line with an empty placeholder is left out: no dangling "/" or "about ."
    assert draft_for(network, ada, "check-in").body == (
        "your new job / Loves Rust / Old Meetup\nnever left out"
    )


def test_others_pass_the_occasion_thanks_and_opportunity(network, ada):
    assert "Thank you for the referral." in (
        draft_for(network, ada, "thank-you", thanks_for="the referral").body
    )
    assert "Congratulations on your promotion! Well deserved." in (
        draft_for(
            network, ada, "congratulations", occasion="your promotion", occasion_kind="promotion"
        ).body
    )
    draft = draft_for(
        network, ada, "opportunity", opportunity="Staff engineer", opportunity_url="https://x.io"
    )
    assert draft.subject == "Thought of you: Staff engineer"
    assert "https://x.io" in draft.body


def test_a_draft_for_someone_outside_the_network_is_refused(network, outsider):
    from tests.factories import network_of

    stranger = make_person(network_of(outsider), "Stranger")
    with pytest.raises(NotFound):
        draft_for(network, stranger, "check-in")


def test_the_suggested_draft_is_the_one_stored_with_an_open_follow_up(network, ada):
    assert suggested_draft(network, ada)[0].kind == "check-in"
    follow_up = make_follow_up(network, ada, "Send the paper", due_on=TODAY)
    FollowUp.objects.filter(pk=follow_up.pk).update(draft="Subject: The paper\n\nHere it is.")
    draft, settles = suggested_draft(network, ada)
    assert (draft.subject, draft.body, settles) == ("The paper", "Here it is.", follow_up)
    # A stored draft without a subject line gets the subject its kind would have.
    FollowUp.objects.filter(pk=follow_up.pk).update(draft="Here it is.")
    draft, _ = suggested_draft(network, ada)
    assert (draft.subject, draft.body) == ("How are things?", "Here it is.")
    # Asking for a kind writes that kind.
    assert suggested_draft(network, ada, kind="thank-you") == (
        draft_for(network, ada, "thank-you"),
        None,
    )


def test_a_follow_up_owed_to_someone_else_is_refused(network, ada):
    grace = make_person(network, "Grace Hopper")
    follow_up = make_follow_up(network, grace, due_on=TODAY)
    with pytest.raises(InvalidInput) as error:
        draft_for(network, ada, "check-in", follow_up=follow_up)
    assert error.value.field == "follow-up"


# Marking a draft as sent -----------------------------------------------------------------


def test_marking_a_draft_sent_logs_an_email_and_closes_the_follow_up(network, owner, ada):
    follow_up = make_follow_up(network, ada, "Write to Ada", due_on=TODAY)
    draft = draft_for(network, ada, "check-in")
    sent = mark_draft_sent(network, owner, person=ada, draft=draft, follow_up=follow_up)
    interaction = sent.interaction
    assert (interaction.kind, interaction.direction, interaction.summary) == (
        "email",
        "outbound",
        "How are things?",
    )
    assert list(interaction.participants.all()) == [ada]
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    ada.refresh_from_db()
    assert ada.last_interaction_at == interaction.occurred_at


def test_the_check_in_moves_when_a_draft_is_sent(network, owner):
    grace = make_person(network, "Grace Hopper", circle="close")  # no email: a message
    log(network, grace, on=dt.date(2025, 6, 1))
    grace.refresh_from_db()
    assert grace.check_in_due_on < TODAY
    sent = mark_draft_sent(
        network, owner, person=grace, draft=draft_for(network, grace, "check-in")
    )
    assert sent.interaction.kind == "message"
    grace.refresh_from_db()
    assert grace.check_in_due_on > TODAY


def test_a_recurring_follow_up_schedules_its_next_one(network, owner, ada):
    follow_up = make_follow_up(network, ada, "Monthly call", due_on=TODAY, every=parse_every("1m"))
    sent = mark_draft_sent(
        network, owner, person=ada, draft=Draft("check-in", "Hi", "Hi"), follow_up=follow_up
    )
    assert sent.next_follow_up is not None
    assert sent.next_follow_up.due_on > TODAY
    assert FollowUp.objects.filter(network=network, done_at__isnull=True).count() == 1


def test_a_done_follow_up_cannot_be_sent_again(network, owner, ada):
    follow_up = make_follow_up(network, ada, due_on=TODAY)
    mark_draft_sent(network, owner, person=ada, draft=Draft("x", "Hi", ""), follow_up=follow_up)
    with pytest.raises(InvalidInput):
        mark_draft_sent(network, owner, person=ada, draft=Draft("x", "Hi", ""), follow_up=follow_up)
    assert Interaction.objects.filter(network=network).count() == 1


def test_a_viewer_cannot_mark_a_draft_sent(network, viewer, ada):
    with pytest.raises(Forbidden):
        mark_draft_sent(network, viewer, person=ada, draft=Draft("x", "Hi", "Hi"))
    assert not Interaction.objects.exists()


# Questions for next time -----------------------------------------------------------------


def _asked(network, ada, on=dt.date(2026, 1, 10)):
    return log(network, ada, on=on, next_questions="How did the launch go?")


def test_a_later_call_answers_last_times_questions(network, ada):
    asked = _asked(network, ada)
    call = log(network, ada, on=dt.date(2026, 2, 1))
    asked.refresh_from_db()
    assert asked.questions_answered_at == call.occurred_at


def test_a_note_or_an_imported_email_answers_nothing(network, ada):
    asked = _asked(network, ada)
    log(network, ada, on=dt.date(2026, 2, 1), kind="note", summary="thinking of her")
    log(network, ada, on=dt.date(2026, 2, 2), kind="email", source="email", external_id="m1")
    asked.refresh_from_db()
    assert asked.questions_answered_at is None


def test_logging_an_earlier_conversation_answers_nothing(network, ada):
    asked = _asked(network, ada)
    log(network, ada, on=dt.date(2026, 1, 2))
    asked.refresh_from_db()
    assert asked.questions_answered_at is None


def test_a_conversation_with_someone_else_answers_nothing(network, ada):
    asked = _asked(network, ada)
    log(network, make_person(network, "Grace Hopper"), on=dt.date(2026, 2, 1))
    asked.refresh_from_db()
    assert asked.questions_answered_at is None


# kith draft ------------------------------------------------------------------------------


def test_kith_draft_prints_a_check_in_by_default(kith, network, ada):
    log(network, ada, on=dt.date(2026, 1, 10), summary="Her compiler project")
    result = kith("draft", "Ada")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Subject: How are things?\n\n"
        "Hi Ada,\n\n"
        "It's been a while, and I was thinking of you.\n"
        "I keep coming back to our call about your compiler project; how did it turn out?\n\n"
        "Would you have time for a coffee or a call soon?\n\n"
        "Olive\n"
    )


def test_kith_draft_of_a_kind_as_json(kith, network, ada):
    result = kith("draft", "ada", "--kind", "thank-you", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "person": {"id": ada.pk, "name": "Ada Lovelace"},
        "kind": "thank-you",
        "follow_up": None,
        "subject": "Thank you",
        "body": "Hi Ada,\n\nThank you for your help. It made a real difference.\n"
        "If there is anything I can do for you, just ask.\n\nOlive",
    }


def test_kith_draft_uses_the_draft_stored_with_a_follow_up(kith, network, ada):
    follow_up = make_follow_up(network, ada, due_on=TODAY)
    FollowUp.objects.filter(pk=follow_up.pk).update(draft="Subject: Paper\n\nAttached.")
    assert kith("draft", "Ada").stdout == "Subject: Paper\n\nAttached.\n"
    data = json.loads(kith("draft", "Ada", "--follow-up", str(follow_up.pk), "--json").stdout)
    assert (data["follow_up"], data["subject"]) == (follow_up.pk, "Paper")


def test_kith_draft_errors_name_the_field(kith, network, ada, outsider):
    result = kith("draft", "Ada", "--kind", "love-letter")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: kind: 'love-letter' is not one of")
    assert kith("draft", "Nobody").exit_code == 1
    from tests.factories import network_of

    theirs = make_follow_up(
        network_of(outsider), make_person(network_of(outsider), "Ada Lovelace"), due_on=TODAY
    )
    assert kith("draft", "Ada", "--follow-up", str(theirs.pk)).exit_code == 1


# Phrases built from notes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "summary", "expected"),
    [
        ("message", "Inês messaged about their sabbatical", "our messages about your sabbatical"),
        (
            "call",
            "Call with Ada about her compiler project",
            "our call about your compiler project",
        ),
        (
            "meeting",
            "Coffee with Ada; talked about LLM evaluation",
            "our chat over coffee about LLM evaluation",
        ),
        ("email", "Sent Ada notes on the reorg", "our emails about the reorg"),
        ("video", "Monthly sync with Ada: pricing", "our video call about pricing"),
        ("call", "Phone catch-up with Ada; mostly the reorg", "our call about the reorg"),
        ("meeting", "Met Ada at Babbage's office to discuss pricing", "our meeting about pricing"),
        ("call", "Ask about Ada's talk on Rust", "our call about your talk on Rust"),
        ("call", "Her new job.", "our call about your new job"),
        ("call", "Rust & compilers", "our call about Rust & compilers"),
        # not a topic: no sentence about nothing
        ("meeting", "Lunch with Ada near Babbage & Co", ""),
        ("message", "Heard Ada is leaving Babbage & Co", ""),
        ("event", "Introduced over lunch; the reorg", ""),
        ("call", "Call on Monday", ""),
        # what a sent draft is logged as
        ("email", "How are things?", ""),
        ("email", "Great to meet you at PyCon 2026", ""),
        ("message", "Thank you", ""),
        ("message", "Thinking of you", ""),
        ("message", "Thanked for: advice (Advice on pricing)", ""),
        ("call", "", ""),
    ],
)
def test_a_conversation_is_a_noun_phrase_or_nothing(kind, summary, expected):
    first = "Inês" if summary.startswith("Inês") else "Ada"
    assert phrases.conversation(kind, summary, first) == expected


@pytest.mark.parametrize(
    ("kind", "description", "introduced_to", "expected"),
    [
        (
            "referral",
            "Introduced me to the hiring manager at Babbage & Co",
            "",
            "introducing me to the hiring manager at Babbage & Co",
        ),
        ("advice", "Advice on my promotion case.", "", "your advice on my promotion case"),
        (
            "resource",
            "Shared their notes on team rituals",
            "",
            "sharing your notes on team rituals",
        ),
        ("endorsement", "Python", "", "endorsing me for Python"),
        ("gift", "Lent me a book on leadership", "", "lending me a book on leadership"),
        ("help", "CV review", "", "your CV review"),
        ("help", "the slides from the keynote", "", "the slides from the keynote"),
        ("introduction", "", "Grace Hopper", "the introduction to Grace Hopper"),
        ("advice", "", "", "your advice"),
        ("recommendation", " ".join(["word"] * 30), "", "your recommendation"),
    ],
)
def test_what_someone_is_thanked_for(kind, description, introduced_to, expected):
    assert phrases.thanks_for(kind, description, introduced_to) == expected


@pytest.mark.parametrize(
    ("kind", "title", "years", "organization", "expected"),
    [
        ("birthday", "", 36, "", "your birthday"),
        ("promotion", "VP Engineering", None, "", "your promotion to VP Engineering"),
        ("promotion", "", None, "", "your promotion"),
        ("new-job", "Babbage & Co", None, "Babbage & Co", "your new job at Babbage & Co"),
        (
            "new-job",
            "Staff engineer at Babbage & Co",
            None,
            "",
            "your new role as staff engineer at Babbage & Co",
        ),
        ("work-anniversary", "", 5, "Babbage & Co", "five years at Babbage & Co"),
        ("work-anniversary", "", 1, "Babbage & Co", "one year at Babbage & Co"),
        ("work-anniversary", "", 12, "Babbage & Co", "12 years at Babbage & Co"),
        ("award", "Turing Award", None, "", "your Turing Award"),
        ("publication", "A paper on compilers", None, "", "publishing a paper on compilers"),
        ("custom", "Founded Babbage & Co", None, "", "founding Babbage & Co"),
        ("custom", "", None, "", "your news"),
        ("job-loss", "Laid off", None, "", "the news about your job"),
    ],
)
def test_an_occasion_is_named(kind, title, years, organization, expected):
    assert phrases.occasion(kind, title, years, organization) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her compiler project.\nAnd her kids", "your compiler project"),
        ("Training for a marathon", "training for a marathon"),
        ("Cares about accessibility", ""),
        ("Two kids; coaches youth football at weekends", ""),
        ("New parent", ""),
        ("", ""),
    ],
)
def test_what_matters_is_said_only_when_it_is_a_phrase(text, expected):
    assert phrases.what_matters(text, "Ada") == expected


def test_a_list_reads_as_a_person_would_say_it():
    assert phrases.natural_list(["a"]) == "a"
    assert phrases.natural_list(["a", "b", "a"]) == "a and b"
    assert phrases.natural_list(["a", "b", "c"]) == "a, b and c"
    assert phrases.natural_list(["a", "b", "c", "d"]) == "a, b, c and d"
    assert phrases.natural_list(["a", "b", "c", "d", "e"]) == "a, b, c and everything else"


# kith draft about a record ---------------------------------------------------------------


def test_kith_draft_about_an_exchange_a_milestone_and_an_opportunity(kith, network, ada):
    from tests.factories_ledger import received
    from tests.factories_milestones import make_milestone
    from tests.factories_opportunities import make_opportunity

    exchange = received(network, ada, "advice", "Advice on pricing", on=dt.date(2026, 2, 1))
    data = json.loads(kith("draft", "Ada", "--exchange", str(exchange.pk), "--json").stdout)
    assert (data["kind"], data["body"]) == (
        "thank-you",
        "Hi Ada,\n\nThank you for your advice on pricing. It made a real difference.\n"
        "If there is anything I can do for you, just ask.\n\nOlive",
    )
    loss = make_milestone(network, ada, "illness", on=dt.date(2026, 2, 10))
    data = json.loads(kith("draft", "Ada", "--milestone", str(loss.pk), "--json").stdout)
    assert (data["kind"], data["subject"], data["body"]) == (
        "offer-help",
        "Thinking of you",
        "Hi Ada,\n\nI was so sorry to hear you've been unwell, and I wanted you to know "
        "I'm thinking of you.\nIf there is anything I can do, even something small, just say."
        "\n\nOlive",
    )
    job = make_opportunity(network, "Staff engineer at Babbage & Co")
    result = kith("draft", "Ada", "--opportunity", str(job.pk))
    assert result.stdout == (
        "Subject: Thought of you: Staff engineer at Babbage & Co\n\n"
        "Hi Ada,\n\nI came across this and thought of you: Staff engineer at Babbage & Co.\n"
        "Knowing how much your compiler project matters to you, it seemed a good fit.\n"
        "Happy to introduce you or tell you more.\n\nOlive\n"
    )
    missing = kith("draft", "Ada", "--kind", "opportunity")
    assert missing.exit_code == 2
    assert "opportunity: say which opportunity to share" in missing.stderr


def test_kith_draft_about_another_networks_record_is_not_found(kith, network, ada, outsider):
    from tests.factories import network_of
    from tests.factories_milestones import make_milestone

    theirs = network_of(outsider)
    milestone = make_milestone(
        theirs, make_person(theirs, "Stranger"), "award", on=dt.date(2026, 2, 18)
    )
    result = kith("draft", "Ada", "--milestone", str(milestone.pk))
    assert result.exit_code == 1


def test_kith_draft_of_a_kind_finds_what_it_is_about(kith, network, ada):
    from tests.factories_ledger import received
    from tests.factories_milestones import with_birthday

    with_birthday(network, ada, 2, 21)
    result = kith("draft", "Ada", "--kind", "congratulations")
    assert result.stdout == (
        "Subject: Happy birthday!\n\n"
        "Hi Ada,\n\nHappy birthday! I hope it's a wonderful day.\n"
        "I'd love to hear how things are going when you have a moment.\n\nOlive\n"
    )
    received(network, ada, "referral", "Referred me for the staff role", on=dt.date(2026, 2, 1))
    received(network, ada, "gift", "Sent me a book on negotiation", on=dt.date(2026, 2, 2))
    received(network, ada, "advice", "", on=dt.date(2026, 2, 3))
    received(network, ada, "help", "Reviewed my talk proposal", on=dt.date(2026, 2, 4))
    data = json.loads(kith("draft", "Ada", "--kind", "thank-you", "--json").stdout)
    assert data["body"].splitlines()[2] == (
        "Thank you for referring me for the staff role, sending me a book on negotiation, "
        "your advice and reviewing my talk proposal. It made a real difference."
    )


# Who signs -------------------------------------------------------------------------------


def test_drafts_are_signed_with_the_users_full_name(network, owner, ada):
    from kithkin.services.drafts import signer_name

    save_template(network, owner, "thank-you", "Thanks", "Thank you.\n\n{my_name}")
    assert signer_name(network) == "Olive Owner"
    assert draft_for(network, ada, "thank-you").body == "Thank you.\n\nOlive Owner"


def test_the_signer_falls_back_to_me_then_to_the_username(network, owner):
    from kithkin.models import Person
    from kithkin.services.drafts import signer_name

    owner.first_name = owner.last_name = ""
    owner.save()
    assert signer_name(network) == "Olive Owner"  # *me*'s name
    Person.objects.filter(network=network, is_self=True).update(full_name="")
    assert signer_name(network) == "owner"
    assert signer_name(network, owner) == "owner"


def test_a_teammate_signs_with_their_own_name(network, teammate):
    from kithkin.services.drafts import signer_name

    assert signer_name(network, teammate) == "Teammate Member"
    assert signer_name(network) == "Olive Owner"  # the network's owner, whose *me* it is
