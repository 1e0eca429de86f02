"""A person's History: every change that touched them, newest first, with who made it
and, for a field edit, what each field was and became (``services.changes`` records it;
``Change.values``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kithkin.models import Change, Network, Person, User

PER_PAGE = 20
PANEL_SIZE = 5  # the newest changes, on the person page

# What each kind of change says in History ("Olive Owner logged an interaction").
_SAYS: dict[str, str] = {
    "person.created": "added them",
    "person.updated": "changed their details",
    "person.archived": "archived them",
    "person.restored": "brought them back from the archive",
    "person.merged": "merged a duplicate into them",
    "person.deleted": "moved them to the trash",
    "tag.added": "tagged them",
    "tag.removed": "removed a tag",
    "circle.updated": "changed their circle's cadence",
    "interaction.logged": "logged an interaction",
    "interaction.updated": "changed an interaction",
    "interaction.deleted": "moved an interaction to the trash",
    "follow_up.created": "created a follow-up",
    "follow_up.updated": "changed a follow-up",
    "follow_up.done": "did a follow-up",
    "follow_up.snoozed": "snoozed a follow-up",
    "follow_up.reopened": "reopened a follow-up",
    "follow_up.deleted": "moved a follow-up to the trash",
    "value.recorded": "recorded value exchanged",
    "value.thanked": "thanked them",
    "value.unthanked": "took back a thank-you",
    "value.deleted": "removed a value exchange",
    "opportunity.created": "recorded an opportunity they brought",
    "opportunity.shared": "shared an opportunity",
    "milestone.recorded": "recorded a milestone",
    "milestone.deleted": "removed a milestone",
    "event.attended": "met them at an event",
    "mentorship.created": "started a mentorship",
    "mentorship.updated": "changed a mentorship",
    "organization.updated": "changed their organization",
    "organization.merged": "merged their organization",
    "organization.deleted": "deleted their organization",
    "import.applied": "imported a file",
    "trash.restored": "restored from the trash",
}


def as_text(value: object) -> str:
    """A stored value as History prints it: a list joined, nothing as "none"."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str  # as a person reads it: "full name", "tags"
    before: object
    after: object

    @property
    def before_text(self) -> str:
        return as_text(self.before)

    @property
    def after_text(self) -> str:
        return as_text(self.after)


@dataclass(frozen=True)
class HistoryEntry:
    change_id: int
    kind: str
    occurred_at: dt.datetime
    who: str  # the user who made it; "Kithkin" for what no user did (the trash's purge)
    says: str  # "changed their details"
    fields: list[str]
    values: list[FieldChange]


@dataclass(frozen=True)
class HistoryPage:
    entries: list[HistoryEntry]
    page: int
    has_next: bool


def who_made(actor: User | None) -> str:
    if actor is None:
        return "Kithkin"
    return actor.get_full_name().strip() or actor.username


def says(kind: str) -> str:
    return _SAYS.get(kind, kind.replace("_", " ").replace(".", " "))


def person_history(
    network: Network, person: Person, *, page: int = 1, per_page: int = PER_PAGE
) -> HistoryPage:
    """One page of the changes that touched ``person``, newest first (read through
    ``ChangePerson``'s index: one query, bounded by ``per_page``)."""
    page = max(page, 1)
    start = (page - 1) * per_page
    rows = list(
        Change.objects.filter(network=network, people__person_id=person.pk)
        .select_related("actor")
        .order_by("-id")[start : start + per_page + 1]
    )
    entries = [_entry(change) for change in rows[:per_page]]
    return HistoryPage(entries, page, len(rows) > per_page)


def _entry(change: Change) -> HistoryEntry:
    fields = change.data.get("fields") if isinstance(change.data, dict) else None
    names = [str(name) for name in fields] if isinstance(fields, list) else []
    stored = change.values or {}
    # In the order the change names its fields (PostgreSQL's jsonb keeps no key order).
    order = [name for name in names if name in stored] + sorted(set(stored) - set(names))
    values = [
        FieldChange(name.replace("_", " "), stored[name][0], stored[name][1])
        for name in order
        if isinstance(stored[name], list) and len(stored[name]) == 2
    ]
    return HistoryEntry(
        change.pk,
        change.kind,
        change.occurred_at,
        who_made(change.actor),
        says(change.kind),
        [name.replace("_", " ") for name in names],
        values,
    )


def person_panel(network: Network, person: Person, today: dt.date) -> HistoryPage:
    """The person page's History panel: the newest changes (the whole History is paged)."""
    del today
    return person_history(network, person, per_page=PANEL_SIZE)
