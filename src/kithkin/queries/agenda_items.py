"""The shape every agenda section beyond follow-ups and check-ins shares, so Today (web),
``kith today`` and its JSON render them all the same way.

Each section comes from a query in the module of its subject (events, ledger,
milestones...), listed by key in ``kithkin.queries.agenda.SECTIONS``. Its web actions live in
``kithkin/partials/agenda_actions_<key>.html``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PersonRef:
    id: int
    name: str


@dataclass(frozen=True)
class AgendaItem:
    key: str  # unique on the agenda and safe as an HTML id: "thanks-12"
    title: str  # what to do: "Thank Ada Lovelace for the referral"
    people: list[PersonRef]
    reason: str  # why now: "received 5 days ago (15 February), not thanked yet"
    on: dt.date | None = None  # the day it is about: due, occasion, deadline
    record_id: int | None = None  # the row its actions act on (exchange, milestone...)
    draft_kind: str = ""  # MessageTemplate.Kind of the draft that fits, if any
    detail: str = ""  # one more line: what matters to them, why they match


@dataclass(frozen=True)
class Section:
    key: str  # "met", "thanks", "celebrate", "support", "mentoring", "opportunities"...
    title: str  # "Say thanks"
    note: str  # one line on why the section is there
    items: list[AgendaItem] = field(default_factory=list)
    total: int = 0  # how many there are, when ``items`` shows only the first ones
    # Not computed yet: the web page loads a slow section after the rest of Today.
    deferred: bool = False

    def __post_init__(self) -> None:
        if self.total < len(self.items):
            object.__setattr__(self, "total", len(self.items))
