"""The words a draft is made of, built from notes typed in a hurry: a topic from a
conversation's summary ("Inês messaged about their sabbatical" → "your sabbatical"), what
someone is thanked for ("Introduced me to the hiring manager" → "introducing me to the
hiring manager"), the occasion to congratulate them on, a gentle word about a challenge.

Every function is pure (no database) and returns "" when it cannot say something that
reads well: a draft then leaves the line out rather than glue a raw note into a sentence.
"""

from __future__ import annotations

import re

# Milestone kinds, as stored (kithkin.models.Milestone.Kind values).
BIRTHDAY = "birthday"
WORK_ANNIVERSARY = "work-anniversary"
NEW_JOB = "new-job"
PROMOTION = "promotion"
LAUNCH = "launch"
AWARD = "award"
PUBLICATION = "publication"
GRADUATION = "graduation"
CUSTOM = "custom"
JOB_LOSS = "job-loss"
ILLNESS = "illness"
MOVE = "move"
LOSS = "loss"

_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_POSSESSIVES = {"her", "his", "their", "its"}
_DETERMINERS = {"the", "a", "an", "your", "our", "my", "some", "this", "that"}
_IRREGULAR = {
    "sent": "sending",
    "gave": "giving",
    "lent": "lending",
    "took": "taking",
    "made": "making",
    "wrote": "writing",
    "told": "telling",
    "showed": "showing",
    "put": "putting",
    "got": "getting",
    "brought": "bringing",
    "bought": "buying",
    "found": "finding",
    "paid": "paying",
    "read": "reading",
    "spoke": "speaking",
    "taught": "teaching",
    "met": "meeting",
    "ran": "running",
    "let": "letting",
    "kept": "keeping",
    "held": "holding",
    "won": "winning",
    "began": "beginning",
    "built": "building",
    "left": "leaving",
    "set": "setting",
    "saw": "seeing",
    "went": "going",
    "had": "having",
    "did": "doing",
    "agreed": "agreeing",
    "freed": "freeing",
}
_NOT_VERBS = {"need", "feed", "seed", "speed", "bed", "red", "shed", "bled"}
_WEEKDAYS_AND_MONTHS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}

# Where a summary says what a conversation was about, most telling first.
_CONNECTORS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\babout\s+",
        r"\bto discuss\s+",
        r"\b(?:talk|went|go|walked) through\s+",
        r"\bregarding\s+",
        r"\bmostly\s+",
        r"\bon\s+",
        r":\s+",
    )
]
_SENTENCE_END = re.compile(r"\s*(?:[;.!?]|\s[-\u2013\u2014]\s).*$", re.DOTALL)
_MAX_TOPIC_WORDS = 10
# A summary that speaks to them is the subject of a message I sent, not what we discussed.
_SAID_TO_THEM = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)
_NOT_TOPICS = {
    "thanked",
    "thanks",
    "thank",
    "congratulations",
    "congrats",
    "happy",
    "hi",
    "hello",
    "how",
    "what",
    "why",
    "when",
    "sorry",
    "welcome",
    "great",
    "thinking",
    "thought",
}

# What we had, by interaction kind (kithkin.models.Interaction.Kind values).
_CONVERSATION = {
    "meeting": "our meeting",
    "call": "our call",
    "video": "our video call",
    "email": "our emails",
    "message": "our messages",
    "event": "our chat",
    "social": "our exchange online",
    "session": "our last session",  # a mentoring session, whatever its kind
}
_MEALS = {"coffee", "lunch", "dinner", "breakfast", "drinks", "tea"}


# -- small words --------------------------------------------------------------------------


def first_line(text: str) -> str:
    """One line of a longer note, without a closing full stop (a template has its own)."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line.rstrip(".").strip()


def natural_list(items: list[str], *, limit: int = 3) -> str:
    """ "a", "a and b", "a, b and c"; two or more past ``limit``: "a, b, c and everything
    else" (one past it is simply named)."""
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    if len(seen) > limit + 1:
        seen = [*seen[:limit], "everything else"]
    if len(seen) <= 1:
        return "".join(seen)
    return ", ".join(seen[:-1]) + " and " + seen[-1]


def years_words(count: int) -> str:
    """ "one year", "five years", "12 years"."""
    number = _NUMBERS[count - 1] if 1 <= count <= len(_NUMBERS) else str(count)
    return f"{number} year" if count == 1 else f"{number} years"


def gerund(word: str) -> str:
    """The -ing form of a past-tense verb ("introduced" → "introducing"), or ""."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) > 4 and lower.endswith("ied"):
        return lower[:-3] + "ying"
    if len(lower) > 3 and lower.endswith("ed") and lower not in _NOT_VERBS:
        return lower[:-2] + "ing"
    return ""


def _sentence_lower(text: str) -> str:
    """Lower the first letter of a sentence-case phrase ("Public beta of X" → "public beta
    of X"); a proper name or an acronym ("Turing Award", "VP Engineering") is kept."""
    words = text.split()
    if words and words[0].lower() in _DETERMINERS:
        return _to_you(text)
    capitalised = len(words) >= 2 and words[0][:1].isupper() and words[0][1:].islower()
    if capitalised and words[1][:1].islower():
        return text[:1].lower() + text[1:]
    return text


def _to_you(text: str, first_name: str = "") -> str:
    """Address it to them: a leading "her/his/their" and "Ada's" become "your", a leading
    article is lower-cased."""
    words = text.split(" ")
    if words and words[0].lower() in _POSSESSIVES:
        words[0] = "your"
    elif words and words[0].lower() in _DETERMINERS:
        words[0] = words[0].lower()
    text = " ".join(words)
    if first_name:
        text = re.sub(rf"\b{re.escape(first_name)}['\u2019]s\b", "your", text)
    return text


def _mentions(text: str, name: str) -> bool:
    return bool(name) and re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) is not None


def _clean_phrase(text: str, first_name: str) -> str:
    """A noun phrase cut from a note, addressed to them, or "" when it is not one."""
    phrase = _SENTENCE_END.sub("", text).strip().rstrip(",:").strip()
    if "(" in phrase or ")" in phrase:
        return ""
    phrase = _to_you(phrase, first_name)
    words = phrase.split()
    if not words or len(words) > _MAX_TOPIC_WORDS:
        return ""
    if _mentions(phrase, first_name) or phrase.lower() in _WEEKDAYS_AND_MONTHS:
        return ""
    return phrase


# -- the last conversation ----------------------------------------------------------------


def topic(summary: str, first_name: str = "") -> str:
    """What a conversation was about, as a noun phrase addressed to them, or "".

    "Call with Ada about her compiler project" → "your compiler project"; "Her new job" →
    "your new job"; "Lunch with Ada near Babbage & Co" or "Heard Ada is leaving" → ""."""
    line = first_line(summary)
    if not line or _SAID_TO_THEM.search(line) or line.endswith(("?", "!")):
        return ""  # a message I sent them ("How are things?", "Thank you"), not a topic
    if line.split()[0].lower().strip(",:!") in _NOT_TOPICS:
        return ""
    for connector in _CONNECTORS:
        found = connector.search(line)
        if found and found.end() < len(line):
            return _clean_phrase(line[found.end() :], first_name)
    words = line.split()
    if len(words) > 6 or " with " in f" {line.lower()} " or gerund(words[0]):
        return ""
    return _clean_phrase(line, first_name)


def conversation(kind: str, summary: str, first_name: str = "") -> str:
    """Our last conversation as a noun phrase: "our call about your sabbatical", "our chat
    over coffee about the reorg"; "" when what it was about cannot be told."""
    about = topic(summary, first_name)
    if not about:
        return ""
    lead = first_line(summary).split()[0].lower().rstrip(",;:") if summary.strip() else ""
    noun = f"our chat over {lead}" if lead in _MEALS else _CONVERSATION.get(kind, "our chat")
    return f"{noun} about {about}"


def what_matters(text: str, first_name: str = "") -> str:
    """What matters to them as a noun phrase ("Her compiler project" → "your compiler
    project", "Training for a marathon" → "training for a marathon"), or "" for a note that
    is not one ("Cares about accessibility", "Two kids; coaches football")."""
    line = first_line(text)
    if not line or ";" in line:
        return ""
    first = line.split()[0].lower()
    if first in _POSSESSIVES or first in _DETERMINERS:
        return _clean_phrase(line, first_name)
    if first.endswith("ing") and len(first) > 4:
        return _clean_phrase(line[:1].lower() + line[1:], first_name)
    return ""


# -- thanks -------------------------------------------------------------------------------

_KIND_THANKS = {
    "advice": "your advice",
    "introduction": "the introduction",
    "referral": "the referral",
    "resource": "what you shared",
    "help": "your help",
    "recommendation": "your recommendation",
    "endorsement": "the endorsement",
    "gift": "the gift",
    "opportunity": "thinking of me for the opportunity",
}


def thanks_for(kind: str, description: str = "", introduced_to: str = "") -> str:
    """What to thank someone for, as it follows "Thank you for": "introducing me to the
    hiring manager at Babbage & Co", "your advice on pricing", "endorsing me for Python",
    "the introduction to Grace Hopper"."""
    text = first_line(description)
    if text and len(text.split()) <= 12:
        words = text.split(" ")
        verb = gerund(words[0])
        if verb:
            return " ".join([verb, _to_you(" ".join(words[1:]))]).strip()
        first = words[0].lower()
        if first.endswith("ing") and len(first) > 4:
            return _sentence_lower(text) if len(words) > 1 else first
        if kind == "endorsement":
            return f"endorsing me for {text}"
        if first in _POSSESSIVES or first in _DETERMINERS:
            return _to_you(text)
        return f"your {_sentence_lower(text)}" if len(words) > 1 else f"your {first}"
    phrase = _KIND_THANKS.get(kind, "your help")
    if kind == "introduction" and introduced_to:
        phrase += f" to {introduced_to}"
    return phrase


# -- occasions ----------------------------------------------------------------------------


def occasion(kind: str, title: str = "", years: int | None = None, organization: str = "") -> str:
    """The occasion as a noun phrase that follows "Congratulations on": "your promotion to
    VP Engineering", "your new job at Babbage & Co", "five years at Babbage & Co", "your
    birthday"; for a challenge, what follows "I heard about": "your move"."""
    title = first_line(title)
    if kind == BIRTHDAY:
        return "your birthday"
    if kind == WORK_ANNIVERSARY:
        where = title or organization
        if years:
            return years_words(years) + (f" at {where}" if where else "")
        return "your work anniversary" + (f" at {where}" if where else "")
    if kind == PROMOTION:
        return "your promotion" + (f" to {title}" if title else "")
    if kind == NEW_JOB:
        if not title:
            return "your new job" + (f" at {organization}" if organization else "")
        if title.lower() == organization.lower():
            return f"your new job at {title}"
        return f"your new role as {_sentence_lower(title)}"
    if kind == LAUNCH:
        return "your launch" + (f" ({title})" if title else "")
    if kind == AWARD:
        return f"your {title}" if title else "your award"
    if kind == PUBLICATION:
        return f"publishing {_sentence_lower(title)}" if title else "your publication"
    if kind == GRADUATION:
        return "your graduation" + (f" ({title})" if title else "")
    if kind in (JOB_LOSS, ILLNESS, MOVE, LOSS):
        return {
            JOB_LOSS: "the news about your job",
            ILLNESS: "your illness",
            MOVE: "your move",
            LOSS: "your loss",
        }[kind]
    if title:  # a custom milestone: "Founded Babbage & Co" → "founding Babbage & Co"
        words = title.split(" ")
        verb = gerund(words[0])
        if verb:
            return " ".join([verb, *words[1:]])
        if words[0].lower() in _POSSESSIVES | _DETERMINERS:
            return _to_you(title)
        return f"your {_sentence_lower(title)}" if len(words) > 1 else f"your {title}"
    return "your news"


def wishes(kind: str) -> str:
    """A short wish for a subject line: "Happy birthday", "Congratulations"."""
    if kind == BIRTHDAY:
        return "Happy birthday"
    if kind == WORK_ANNIVERSARY:
        return "Happy work anniversary"
    return "Congratulations"


_DESERVED = {PROMOTION, NEW_JOB, AWARD, GRADUATION, PUBLICATION, LAUNCH}


def congratulations(kind: str, occasion_words: str) -> str:
    """The line that congratulates them: "Happy birthday! I hope it's a wonderful day.",
    "Congratulations on your promotion to VP Engineering! Well deserved."."""
    if kind == BIRTHDAY:
        return "Happy birthday! I hope it's a wonderful day."
    if not occasion_words:
        return "I heard your good news: congratulations!"
    line = f"Congratulations on {occasion_words}!"
    return line + (" Well deserved." if kind in _DESERVED else "")


_SYMPATHY = {
    JOB_LOSS: "I was sorry to hear the news about your job, and I wanted you to know "
    "I'm thinking of you.",
    ILLNESS: "I was so sorry to hear you've been unwell, and I wanted you to know "
    "I'm thinking of you.",
    MOVE: "I heard about your move; that's a lot to take on, and I wanted you to know "
    "I'm thinking of you.",
    LOSS: "I was so sorry to hear about your loss. I'm thinking of you.",
}
_HELP = {
    JOB_LOSS: "If an introduction, a reference or just a conversation would help, I'm glad to.",
    ILLNESS: "If there is anything I can do, even something small, just say.",
    MOVE: "If introductions to people where you are now would help, I'm glad to make them.",
    LOSS: "There's no need to reply; I'm here whenever you want to talk.",
}


def sympathy(kind: str, occasion_words: str) -> str:
    """A gentle word about what they are going through."""
    if kind in _SYMPATHY:
        return _SYMPATHY[kind]
    if occasion_words:
        return f"I heard about {occasion_words}, and I wanted you to know I'm thinking of you."
    return "I wanted you to know I'm thinking of you."


def help_offer(kind: str) -> str:
    """An offer of help that fits the challenge."""
    return _HELP.get(kind, "If there is anything I can do, just say.")
