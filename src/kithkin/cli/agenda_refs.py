"""What `kith today` prints on each agenda row: the row's typed reference (kithkin.refs)
and the command that acts on it. A test runs every one of those commands, so a reference
on the agenda always works with the command printed next to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kithkin import refs

if TYPE_CHECKING:
    from kithkin.queries.agenda import FollowUpItem
    from kithkin.queries.agenda_items import AgendaItem
    from kithkin.queries.plan import PlanRow


@dataclass(frozen=True)
class RowAction:
    ref: str  # "f6", "p193", "op4"
    command: str  # "kith done f6"


def follow_up(item: FollowUpItem) -> RowAction:
    return follow_up_ref(item.id)


def check_in(person_id: int) -> RowAction:
    ref = refs.PERSON(person_id)
    return RowAction(ref, f"kith log message {ref}")


def _first_person(item: AgendaItem) -> str:
    return refs.PERSON(item.people[0].id) if item.people else ""


def section_item(section_key: str, item: AgendaItem) -> RowAction:
    """The reference and command of a row of the section ``section_key``."""
    record = item.record_id
    person = _first_person(item)
    if section_key == "met" and record is not None:
        return RowAction(person, f"kith event follow-up {refs.EVENT(record)} {person}")
    if section_key == "thanks" and record is not None:  # the row's record is the giver
        ref = refs.PERSON(record)
        return RowAction(ref, f"kith thank {ref}")
    if section_key in ("celebrate", "support"):
        # a milestone's row acts on it; a birthday or work anniversary on the person
        ref = refs.MILESTONE(record) if record is not None else person
        return RowAction(ref, f"kith celebrate {ref}")
    if section_key == "mentoring" and record is not None:
        ref = refs.MENTORSHIP(record)
        return RowAction(ref, f"kith mentor session {ref}")
    if section_key == "opportunities" and record is not None:
        ref = refs.OPPORTUNITY(record)
        return RowAction(ref, f"kith share {ref} {person}".rstrip())
    if section_key == "renewals" and record is not None:
        ref = refs.ORGANIZATION(record)
        return RowAction(ref, f"kith renew {ref} --until +1y")
    if section_key == "fading" and person:
        return RowAction(person, f"kith draft {person} --kind check-in")
    # a section added later without an entry here: its key, which is unique on the agenda
    return RowAction(item.key, "")


def plan_row(row: PlanRow) -> RowAction:
    """The reference and command of a row of "Your N for today": its one action."""
    record = row.record_id
    person = refs.PERSON(row.person.id) if row.person else ""
    if row.action == "done" and record is not None:
        return follow_up_ref(record)
    if row.action == "follow_up" and record is not None:
        return RowAction(person, f"kith event follow-up {refs.EVENT(record)} {person}")
    if row.action == "thank" and record is not None:  # the row's record is the giver
        return RowAction(refs.PERSON(record), f"kith thank {refs.PERSON(record)}")
    if row.action in ("help", "celebrate"):
        ref = refs.MILESTONE(record) if record is not None else person
        return RowAction(ref, f"kith celebrate {ref}")
    return RowAction(person, f"kith log message {person}")


def follow_up_ref(follow_up_id: int) -> RowAction:
    ref = refs.FOLLOW_UP(follow_up_id)
    return RowAction(ref, f"kith done {ref}")
