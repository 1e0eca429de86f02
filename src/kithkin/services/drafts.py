"""Message drafts that sound like a person: a template per kind, filled from the person,
the event, the last interaction, what they did for me and what is happening in their life.

Placeholders are ``{first_name}``-style names (``PLACEHOLDERS``). Their values are
phrases built by ``draft_phrases`` ("our call about your sabbatical", "introducing me to
the hiring manager"), never a raw note glued into a sentence; a value that cannot be said
well is empty. A line with an empty placeholder is left out, so a template can say "You
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
    Affiliation,
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
from kithkin.queries.milestones import person_occasions
from kithkin.queries.occasions import Occasion, milestone_occasion
from kithkin.queries.people import me_in
from kithkin.services import draft_phrases as phrases
from kithkin.services.followups import complete_follow_up
from kithkin.services.interactions import log_interaction

Kind = MessageTemplate.Kind

PLACEHOLDERS: dict[str, str] = {
    "first_name": "their first name (or nickname)",
    "name": "their full name",
    "my_first_name": "my first name (the signature)",
    "my_name": "my full name",
    "what_matters": 'what matters to them, when it reads as a phrase ("your compiler project")',
    "how_we_met": "how we met",
    "event": "the event (where we met)",
    "last_topic": 'what our last conversation was about ("your sabbatical")',
    "last_conversation": 'our last conversation ("our call about your sabbatical")',
    "learned": "what I learned last time",
    "occasion": 'what to celebrate or help with ("your promotion to VP Engineering")',
    "congratulations": 'a line congratulating them ("Happy birthday! ...", '
    '"Congratulations on your new job at Babbage & Co!")',
    "wishes": '"Happy birthday", "Happy work anniversary" or "Congratulations"',
    "sympathy": "a gentle word about the challenge they face (a job loss, an illness...)",
    "help_offer": "an offer of help that fits that challenge",
    "thanks_for": 'what they did for me ("introducing me to Grace and your advice on pricing")',
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
            "It was great to meet you{event_suffix}.\n"
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
        subject="{wishes}!",
        body=(
            "Hi {first_name},\n\n"
            "{congratulations}\n"
            "I'd love to hear how things are going when you have a moment.\n\n{my_first_name}"
        ),
    ),
    Kind.CHECK_IN: Template(
        subject="How are things?",
        body=(
            "Hi {first_name},\n\n"
            "It's been a while, and I was thinking of you.\n"
            "I keep coming back to {last_conversation}; how did it turn out?\n"
            "How are things with {what_matters}?\n\n"
            "Would you have time for a coffee or a call soon?\n\n{my_first_name}"
        ),
    ),
    Kind.OFFER_HELP: Template(
        subject="Thinking of you",
        body="Hi {first_name},\n\n{sympathy}\n{help_offer}\n\n{my_first_name}",
    ),
    Kind.OPPORTUNITY: Template(
        subject="Thought of you: {opportunity}",
        body=(
            "Hi {first_name},\n\n"
            "I came across this and thought of you: {opportunity}.\n"
            "{opportunity_url}\n"
            "Knowing how much {what_matters} matters to you, it seemed a good fit.\n"
            "Happy to introduce you or tell you more.\n\n{my_first_name}"
        ),
    ),
}

# The subject when a network's own subject has nothing left to say for this person.
PLAIN_SUBJECTS: dict[str, str] = {
    Kind.FOLLOW_UP: "Great to meet you",
    Kind.THANK_YOU: "Thank you",
    Kind.CONGRATULATIONS: "Congratulations!",
    Kind.CHECK_IN: "How are things?",
    Kind.OFFER_HELP: "Thinking of you",
    Kind.OPPORTUNITY: "Thought of you",
}

# Kinds a draft cannot be written for without the record it is about.
NEEDS: dict[str, str] = {Kind.OPPORTUNITY: "opportunity"}


@dataclass(frozen=True)
class DraftContext:
    """What a draft may say. ``last_topic`` is the last conversation's summary as typed
    (a phrase is derived from it); ``thanks_for`` and ``occasion`` are phrases already
    (``draft_phrases``); ``occasion_kind`` is a Milestone kind ("birthday", "promotion",
    "job-loss"...). Empty strings leave out the lines that need them."""

    person: Person
    me: Person | None = None
    signer: str = ""  # my name as I sign (``signer_name``); else *me*'s name
    event: str = ""
    last_topic: str = ""
    last_kind: str = ""  # the last conversation's Interaction kind
    learned: str = ""
    occasion: str = ""
    occasion_kind: str = ""
    thanks_for: str = ""
    opportunity: str = ""
    opportunity_url: str = ""

    def values(self) -> dict[str, str]:
        person, me = self.person, self.me
        first = person.nickname or person.given_name or person.full_name.split(" ")[0]
        my_first = ""
        if me is not None:
            my_first = me.nickname or me.given_name or me.full_name.split(" ")[0]
        said = self.last_topic if self.last_kind != Interaction.Kind.SOCIAL else ""
        topic = phrases.topic(said, first)
        matters = phrases.what_matters(person.what_matters, first)
        if matters.casefold() == topic.casefold():
            matters = ""  # said once is enough
        occasion_kind = self.occasion_kind
        return {
            "first_name": first,
            "name": person.full_name,
            "my_first_name": my_first,
            "my_name": self.signer or (me.full_name if me else ""),
            "what_matters": matters,
            "how_we_met": phrases.first_line(person.how_we_met),
            "event": self.event,
            "last_topic": topic,
            "last_conversation": phrases.conversation(self.last_kind, said, first),
            "learned": phrases.first_line(self.learned),
            "occasion": self.occasion,
            "congratulations": phrases.congratulations(occasion_kind, self.occasion),
            "wishes": phrases.wishes(occasion_kind),
            "sympathy": phrases.sympathy(occasion_kind, self.occasion),
            "help_offer": phrases.help_offer(occasion_kind),
            "thanks_for": phrases.first_line(self.thanks_for),
            "opportunity": self.opportunity,
            "opportunity_url": self.opportunity_url,
        }


@dataclass(frozen=True)
class Draft:
    kind: str
    subject: str
    body: str


def template_for(network: Network, kind: str) -> Template:
    """The network's own wording for ``kind``, else the default that ships."""
    own = MessageTemplate.objects.filter(network=network, kind=kind).first()
    if own is not None:
        return Template(subject=own.subject, body=own.body)
    return DEFAULT_TEMPLATES[kind]


def fill(text: str, values: dict[str, str]) -> str:
    """Fill placeholders line by line; drop a line with a placeholder that is empty (it
    would read "about ." or dangle), and the spaces a value left doubled."""
    lines = []
    for line in text.splitlines():
        names = _PLACEHOLDER.findall(line)
        if names and not all(values.get(name) for name in names):
            continue
        filled = _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), line)
        lines.append(re.sub(r"(?<=\S) {2,}(?=\S)", " ", filled).rstrip())
    filled = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", filled).strip()


def render_draft(network: Network, kind: str, context: DraftContext) -> Draft:
    """The draft of ``kind`` for ``context.person``."""
    return render_template(kind, template_for(network, kind), context)


def render_template(kind: str, template: Template, context: DraftContext) -> Draft:
    """Fill ``template`` (the network's, a default, or one being edited) for ``context``."""
    values = context.values()
    # "Great to meet you at PyCon" / "Great to meet you": a suffix only when there is one.
    suffix = f" at {values['event']}" if values["event"] else ""
    subject = fill(template.subject.replace("{event_suffix}", suffix), values)
    body = fill(template.body.replace("{event_suffix}", suffix), values)
    return Draft(kind=kind, subject=subject or PLAIN_SUBJECTS.get(kind, ""), body=body)


# Reading the database for a draft, and logging one as sent.


def draft_for(
    network: Network,
    person: Person,
    kind: str,
    *,
    follow_up: FollowUp | None = None,
    event: Event | None = None,
    occasion: str = "",
    occasion_kind: str = "",
    occasion_key: str = "",
    thanks_for: str = "",
    opportunity: str = "",
    opportunity_url: str = "",
) -> Draft:
    """The draft of ``kind`` for ``person``, filled from what the network knows.

    The event is ``event``, else the one the follow-up's interaction happened at, else
    the last event I met them at; the last topic and what I learned come from the
    follow-up's interaction, else from our last conversation (notes to self are not).
    A thank-you without ``thanks_for`` thanks them for everything they gave me that I have
    not thanked yet; a congratulation or an offer of help without ``occasion`` is about the
    occasion ``occasion_key`` names ("birthday:2026"), else their nearest one due now.
    An opportunity share needs its opportunity.
    """
    if kind not in Kind.values:
        raise InvalidInput("kind", f"{kind!r} is not one of: {', '.join(Kind.values)}")
    access.require_in_network(network, person)
    if kind in NEEDS and not opportunity:
        raise InvalidInput(NEEDS[kind], f"say which {NEEDS[kind]} to share")
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
    if kind == Kind.THANK_YOU and not thanks_for:
        thanks_for = unthanked_words(network, person) or "your help"
    if kind in (Kind.CONGRATULATIONS, Kind.OFFER_HELP) and not occasion:
        found = occasion_due(network, person, support=kind == Kind.OFFER_HELP, key=occasion_key)
        if found is not None:
            occasion, occasion_kind = occasion_words(found), found.kind
    context = DraftContext(
        person=person,
        me=me_in(network),
        signer=signer_name(network),
        event=event_name,
        last_topic=last.summary if last else "",
        last_kind=("session" if last.mentorship_id else last.kind) if last else "",
        learned=last.learned if last else "",
        occasion=occasion,
        occasion_kind=occasion_kind,
        thanks_for=thanks_for,
        opportunity=opportunity,
        opportunity_url=opportunity_url,
    )
    return render_draft(network, kind, context)


def unthanked_words(network: Network, person: Person) -> str:
    """Everything ``person`` gave me that I have not thanked yet, oldest first, as it
    follows "Thank you for": "introducing me to Grace and your advice on pricing"."""
    exchanges = (
        ValueExchange.objects.filter(
            network=network, giver=person, receiver__is_self=True, thanked_at__isnull=True
        )
        .select_related("introduced_to")
        .order_by("occurred_on", "pk")
    )
    return phrases.natural_list([_thanks(exchange) for exchange in exchanges[:20]])


def _thanks(exchange: ValueExchange) -> str:
    to = exchange.introduced_to.full_name if exchange.introduced_to else ""
    return phrases.thanks_for(exchange.kind, exchange.description, to)


def occasion_due(
    network: Network, person: Person, *, support: bool, key: str = ""
) -> Occasion | None:
    """The person's occasion a draft is about: the one ``key`` names, else the nearest one
    to celebrate (``support``: a challenge to help with) that is due now."""
    panel = person_occasions(network, person, clock.today_in(network.time_zone))
    if key:
        every = [panel.next_birthday, *panel.anniversaries, *(r.occasion for r in panel.milestones)]
        named = [o for o in every if o is not None and o.key == key]
        if named:
            return named[0]
    return next((o for o in panel.due if o.support == support), None)


def occasion_words(found: Occasion) -> str:
    """An occasion as it follows "Congratulations on" (or "I heard about")."""
    organization = found.title if found.source == "anniversary" else ""
    title = "" if organization else found.title
    return phrases.occasion(found.kind, title, found.years, organization)


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
    me = me_in(network)
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
    words: DraftWords | None = None,
) -> tuple[Draft, FollowUp | None]:
    """The draft to write to ``person`` now, and the follow-up it settles (if any).

    ``follow_up`` given: its draft. ``kind`` given: that kind, saying ``words`` (what
    ``words_for`` says about an exchange, a milestone, an opportunity). Else the draft
    stored with an open follow-up of theirs, else a check-in.
    """
    if follow_up is not None:
        return draft_for_follow_up(network, follow_up, person, kind), follow_up
    if kind:
        return draft_for(network, person, kind, **(words or {})), None
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
        summary=draft.subject or phrases.first_line(draft.body),
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
    occasion_kind: str
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
        words["thanks_for"] = _thanks(exchange)
    if milestone is not None:
        milestone.person = person
        found = milestone_occasion(
            milestone, clock.today_in(person.network.time_zone), nearest=True
        )
        organization = ""
        if milestone.kind == Milestone.Kind.NEW_JOB and milestone.title:
            organization = _organization_named(person, milestone.title)
        words["occasion"] = phrases.occasion(
            milestone.kind, milestone.title, found.years, organization
        )
        words["occasion_kind"] = milestone.kind
    if opportunity is not None:
        words["opportunity"] = opportunity.title
        words["opportunity_url"] = opportunity.url
    return words


def _organization_named(person: Person, title: str) -> str:
    """``title`` when it is the name of an organization they work at ("Babbage & Co"),
    so a new job reads "at Babbage & Co" rather than "as"."""
    named = Affiliation.objects.filter(person=person, organization__name__iexact=title.strip())
    return title.strip() if named.exists() else ""
