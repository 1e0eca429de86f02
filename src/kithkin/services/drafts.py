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

from kithkin.models import MessageTemplate, Network, Person

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
            "my_name": me.full_name if me else "",
            "what_matters": _first_line(person.what_matters),
            "how_we_met": _first_line(person.how_we_met),
            "event": self.event,
            "last_topic": _first_line(self.last_topic),
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
    template = template_for(network, kind)
    values = context.values()
    # "Great to meet you at PyCon" / "Great to meet you": a suffix only when there is one.
    values["event_suffix"] = f" at {values['event']}" if values["event"] else ""
    subject = template.subject.replace("{event_suffix}", values["event_suffix"])
    return Draft(kind=kind, subject=fill(subject, values), body=fill(template.body, values))
