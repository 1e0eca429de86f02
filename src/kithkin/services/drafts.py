"""Message drafts that sound like a person: a template per kind, filled from the person,
the event, the last interaction and what I learned.

Placeholders are ``{first_name}``-style names (``PLACEHOLDERS``). A line whose
placeholders are all empty for this person is left out, so a template can say "You
mentioned {what_matters}." and the draft for someone without it simply skips the line.
Anything in braces that is not a placeholder is kept as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from django.db import transaction

from kithkin import access, clock
from kithkin.errors import InvalidInput
from kithkin.models import (
    Attendance,
    ContactPoint,
    Event,
    FollowUp,
    Interaction,
    Membership,
    MessageTemplate,
    Milestone,
    Network,
    Opportunity,
    Person,
    Role,
    User,
    ValueExchange,
)
from kithkin.services.followups import complete_follow_up
from kithkin.services.interactions import log_interaction

Kind = MessageTemplate.Kind

PLACEHOLDERS: dict[str, str] = {
    "first_name": "their first name (or nickname)",
    "name": "their full name",
    "my_first_name": "my first name",
    "my_name": "my full name",
    "what_matters": "what matters to them",
    "how_we_met": "how we met",
    "event": "the event (where we met)",
    "last_topic": "what our last interaction was about",
    "learned": "what I learned last time",
    "occasion": "what to celebrate or help with (a milestone, a birthday)",
    "thanks_for": "what they gave me (help, a referral...)",
    "opportunity": "the opportunity's title",
    "opportunity_url": "the opportunity's link",
}

_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


DEFAULT_TEMPLATES: dict[str, Template] = {
    Kind.FOLLOW_UP: Template(
        subject="Great to meet you{event_suffix}",
        body=(
            "Hi {first_name},\n\n"
            "It was great to meet you at {event}.\n"
            "I enjoyed our conversation about {last_topic}.\n"
            "You mentioned {what_matters}; if I can help with it, tell me.\n\n"
            "Let's stay in touch.\n\n{my_first_name}"
        ),
    ),
    Kind.THANK_YOU: Template(
        subject="Thank you",
        body=(
            "Hi {first_name},\n\n"
            "Thank you for {thanks_for}. It made a real difference.\n"
            "If there is anything I can do for you, just ask.\n\n{my_first_name}"
        ),
    ),
    Kind.CONGRATULATIONS: Template(
        subject="Congratulations!",
        body=(
            "Hi {first_name},\n\n"
            "Congratulations on {occasion}! Well deserved.\n"
            "I'd love to hear how it's going when you have a moment.\n\n{my_first_name}"
        ),
    ),
    Kind.CHECK_IN: Template(
        subject="How are things?",
        body=(
            "Hi {first_name},\n\n"
            "It's been a while, and I was thinking of you.\n"
            "Last time we talked about {last_topic}; how did it turn out?\n"
            "How is {what_matters} going?\n\n"
            "Would you have time for a coffee or a call soon?\n\n{my_first_name}"
        ),
    ),
    Kind.OFFER_HELP: Template(
        subject="Thinking of you",
        body=(
            "Hi {first_name},\n\n"
            "I heard about {occasion}, and I wanted you to know I'm thinking of you.\n"
            "If an introduction, a reference or just a conversation would help, "
            "I'm glad to.\n\n{my_first_name}"
        ),
    ),
    Kind.OPPORTUNITY: Template(
        subject="Thought of you: {opportunity}",
        body=(
            "Hi {first_name},\n\n"
            "I came across this and thought of you: {opportunity}.\n"
            "{opportunity_url}\n"
            "Knowing {what_matters} matters to you, it seemed a good fit.\n"
            "Happy to introduce you or tell you more.\n\n{my_first_name}"
        ),
    ),
}


@dataclass(frozen=True)
class DraftContext:
    """What a draft may say. Empty strings leave out the lines that need them."""

    person: Person
    me: Person | None = None
    signer: str = ""  # my name as I sign (``signer_name``); else *me*'s name
    event: str = ""
    last_topic: str = ""
    learned: str = ""
    occasion: str = ""
    thanks_for: str = ""
    opportunity: str = ""
    opportunity_url: str = ""

    def values(self) -> dict[str, str]:
        person, me = self.person, self.me
        first = person.nickname or person.given_name or person.full_name.split(" ")[0]
        my_first = ""
        if me is not None:
            my_first = me.nickname or me.given_name or me.full_name.split(" ")[0]
        return {
            "first_name": first,
            "name": person.full_name,
            "my_first_name": my_first,
            "my_name": self.signer or (me.full_name if me else ""),
            "what_matters": _first_line(person.what_matters),
            "how_we_met": _first_line(person.how_we_met),
            "event": self.event,
            "last_topic": _topic(self.last_topic),
            "learned": _first_line(self.learned),
            "occasion": self.occasion,
            "thanks_for": _first_line(self.thanks_for),
            "opportunity": self.opportunity,
            "opportunity_url": self.opportunity_url,
        }


@dataclass(frozen=True)
class Draft:
    kind: str
    subject: str
    body: str


# How notes about a conversation often begin; a draft says "our conversation about X".
_TOPIC_LEADS = re.compile(
    r"^(?:we\s+)?(?:talked|chatted|spoke|discussed|conversation)(?:\s+about)?\s+", re.IGNORECASE
)


def _topic(text: str) -> str:
    """What a conversation was about, from its note: "talked about COBOL" → "COBOL"."""
    return _TOPIC_LEADS.sub("", _first_line(text))


def _first_line(text: str) -> str:
    """One line of a longer note, without a closing full stop (the template has one)."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line.rstrip(".")


def template_for(network: Network, kind: str) -> Template:
    """The network's own wording for ``kind``, else the default that ships."""
    own = MessageTemplate.objects.filter(network=network, kind=kind).first()
    if own is not None:
        return Template(subject=own.subject, body=own.body)
    return DEFAULT_TEMPLATES[kind]


def fill(text: str, values: dict[str, str]) -> str:
    """Fill placeholders line by line; drop a line whose placeholders are all empty."""
    lines = []
    for line in text.splitlines():
        names = _PLACEHOLDER.findall(line)
        if names and not any(values.get(name) for name in names):
            continue
        lines.append(_PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), line))
    filled = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", filled).strip()


def render_draft(network: Network, kind: str, context: DraftContext) -> Draft:
    """The draft of ``kind`` for ``context.person``."""
    return render_template(kind, template_for(network, kind), context)


def render_template(kind: str, template: Template, context: DraftContext) -> Draft:
    """Fill ``template`` (the network's, a default, or one being edited) for ``context``."""
    values = context.values()
    # "Great to meet you at PyCon" / "Great to meet you": a suffix only when there is one.
    values["event_suffix"] = f" at {values['event']}" if values["event"] else ""
    subject = template.subject.replace("{event_suffix}", values["event_suffix"])
    return Draft(kind=kind, subject=fill(subject, values), body=fill(template.body, values))


# Reading the database for a draft, and logging one as sent.


def draft_for(
    network: Network,
    person: Person,
    kind: str,
    *,
    follow_up: FollowUp | None = None,
    event: Event | None = None,
    occasion: str = "",
    thanks_for: str = "",
    opportunity: str = "",
    opportunity_url: str = "",
) -> Draft:
    """The draft of ``kind`` for ``person``, filled from what the network knows.

    The event is ``event``, else the one the follow-up's interaction happened at, else
    the last event I met them at; the last topic and what I learned come from the
    follow-up's interaction, else from our last conversation (notes to self are not).
    """
    if kind not in Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Kind.values)}")
    access.require_in_network(network, person)
    if follow_up is not None:
        _require_owed_to(network, follow_up, person)
    source = (
        Interaction.objects.select_related("event").filter(pk=follow_up.interaction_id).first()
        if follow_up is not None and follow_up.interaction_id
        else None
    )
    last = source or _last_conversation(network, person)
    if event is not None and event.network_id != network.pk:
        raise InvalidInput("event", "that event is not in this network")
    event_name = (
        event.name
        if event is not None
        else source.event.name
        if source is not None and source.event is not None
        else _last_event_met(network, person)
    )
    context = DraftContext(
        person=person,
        me=Person.objects.filter(network=network, is_self=True).first(),
        signer=signer_name(network),
        event=event_name,
        last_topic=last.summary if last else "",
        learned=last.learned if last else "",
        occasion=occasion,
        thanks_for=thanks_for,
        opportunity=opportunity,
        opportunity_url=opportunity_url,
    )
    return render_draft(network, kind, context)


def signer_name(network: Network, user: User | None = None) -> str:
    """The name everything written "from me" is signed with: the user's full name (by
    default the network's first owner, whose *me* it is), else *me*'s name, else the
    username."""
    if user is None:
        owner = (
            Membership.objects.filter(network=network, role=Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        user = owner.user if owner is not None else None
    if user is not None and user.get_full_name().strip():
        return user.get_full_name().strip()
    me = Person.objects.filter(network=network, is_self=True).only("full_name").first()
    if me is not None and me.full_name.strip():
        return me.full_name.strip()
    return user.username if user is not None else ""


def draft_for_follow_up(
    network: Network, follow_up: FollowUp, person: Person, kind: str | None = None
) -> Draft:
    """The message that settles ``follow_up``: ``kind``'s draft when given, else the draft
    stored with it, else a follow-up after meeting (when it came from an interaction) or a
    check-in. A stored draft may start with a "Subject: ..." line."""
    if kind:
        return draft_for(network, person, kind, follow_up=follow_up)
    fitting = Kind.FOLLOW_UP if follow_up.interaction_id else Kind.CHECK_IN
    drafted = draft_for(network, person, fitting, follow_up=follow_up)
    stored = follow_up.draft.strip()
    if not stored:
        return drafted
    subject = drafted.subject
    first, _, rest = stored.partition("\n")
    if first.lower().startswith("subject:"):
        subject, stored = first.split(":", 1)[1].strip() or subject, rest.strip()
    return Draft(kind=fitting, subject=subject, body=stored)


def follow_up_with_draft(network: Network, person: Person) -> FollowUp | None:
    """The person's first open follow-up that has a draft stored with it, if any."""
    return (
        FollowUp.objects.filter(network=network, people=person, done_at__isnull=True)
        .exclude(draft="")
        .order_by("due_on", "id")
        .first()
    )


def suggested_draft(
    network: Network,
    person: Person,
    *,
    kind: str | None = None,
    follow_up: FollowUp | None = None,
) -> tuple[Draft, FollowUp | None]:
    """The draft to write to ``person`` now, and the follow-up it settles (if any).

    ``follow_up`` given: its draft. ``kind`` given: that kind. Else the draft stored with
    an open follow-up of theirs, else a check-in.
    """
    if follow_up is not None:
        return draft_for_follow_up(network, follow_up, person, kind), follow_up
    if kind:
        return draft_for(network, person, kind), None
    pending = follow_up_with_draft(network, person)
    if pending is not None:
        return draft_for_follow_up(network, pending, person), pending
    return draft_for(network, person, Kind.CHECK_IN), None


@dataclass(frozen=True)
class SentDraft:
    interaction: Interaction
    next_follow_up: FollowUp | None  # a recurring follow-up's next occurrence


@transaction.atomic
def mark_draft_sent(
    network: Network,
    actor: User,
    *,
    person: Person,
    draft: Draft,
    follow_up: FollowUp | None = None,
) -> SentDraft:
    """I sent ``draft`` to ``person``: log it (an email when they have an address, else a
    message, reaching out, the subject as its summary) and close the follow-up it settles.
    Logging it resets their check-in; a recurring follow-up schedules its next one."""
    access.require_write(actor, network)
    access.require_in_network(network, person)
    if follow_up is not None:
        _require_owed_to(network, follow_up, person)
        if follow_up.done_at is not None:
            raise InvalidInput("follow-up", f"#{follow_up.pk} is already done")
    has_email = ContactPoint.objects.filter(person=person, kind=ContactPoint.Kind.EMAIL).exists()
    interaction = log_interaction(
        network,
        actor,
        kind=Interaction.Kind.EMAIL if has_email else Interaction.Kind.MESSAGE,
        people=[person],
        occurred_at=clock.now(),
        summary=draft.subject or _first_line(draft.body),
        direction=Interaction.Direction.OUTBOUND,
    )
    following = None
    if follow_up is not None:
        following = complete_follow_up(
            network, actor, follow_up, today=clock.today_in(network.time_zone)
        )
    return SentDraft(interaction=interaction, next_follow_up=following)


def _require_owed_to(network: Network, follow_up: FollowUp, person: Person) -> None:
    access.require_in_network(network, follow_up, "follow-up")
    if not follow_up.people.filter(pk=person.pk).exists():
        raise InvalidInput("follow-up", f"#{follow_up.pk} is not owed to {person.full_name}")


def _last_conversation(network: Network, person: Person) -> Interaction | None:
    return (
        Interaction.objects.filter(network=network, participants=person)
        .exclude(kind=Interaction.Kind.NOTE)
        .exclude(summary="")
        .order_by("-occurred_at", "-id")
        .first()
    )


def _last_event_met(network: Network, person: Person) -> str:
    today = clock.today_in(network.time_zone)
    attendance = (
        Attendance.objects.filter(
            person=person, event__network=network, event__starts_on__lte=today
        )
        .select_related("event")
        .order_by("-event__starts_on", "-id")
        .first()
    )
    return attendance.event.name if attendance else ""


class DraftWords(TypedDict, total=False):
    occasion: str
    thanks_for: str
    opportunity: str
    opportunity_url: str


def words_for(
    person: Person,
    *,
    exchange: ValueExchange | None = None,
    milestone: Milestone | None = None,
    opportunity: Opportunity | None = None,
) -> DraftWords:
    """What a draft to ``person`` says about the record it answers, as ``draft_for``
    keywords: the help to thank for, the milestone to celebrate (or help with), the
    opportunity. The exchange and the milestone must be theirs."""
    if exchange is not None and person.pk not in (exchange.giver_id, exchange.receiver_id):
        raise InvalidInput("exchange", f"that exchange is not with {person.full_name}")
    if milestone is not None and milestone.person_id != person.pk:
        raise InvalidInput("milestone", f"that milestone is not {person.full_name}'s")
    words: DraftWords = {}
    if exchange is not None:
        thanks = f"the {str(exchange.get_kind_display()).lower()}"
        if exchange.kind == ValueExchange.Kind.INTRODUCTION and exchange.introduced_to_id:
            thanks += f" to {exchange.introduced_to.full_name}"  # type: ignore[union-attr]
        words["thanks_for"] = thanks
    if milestone is not None:
        what = milestone.get_kind_display().lower()
        if milestone.kind == Milestone.Kind.CUSTOM:
            words["occasion"] = milestone.title or "your news"
        else:
            words["occasion"] = f"your {what}" + (
                f" ({milestone.title})" if milestone.title else ""
            )
    if opportunity is not None:
        words["opportunity"] = opportunity.title
        words["opportunity_url"] = opportunity.url
    return words
