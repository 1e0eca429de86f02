"""Merging two people into one, and remembering two who are not (DESIGN.md §3).

A merge keeps every interaction, contact point, tag, affiliation, follow-up, relationship,
introduction, event attended, mentorship, value exchange, milestone and opportunity of
both. The kept person's own details win; the other's fill what the
kept one leaves blank, and whatever of theirs differs is written into the notes rather than
dropped. ``preview_merge`` computes the plan without writing; ``merge_people`` applies the
same plan in one transaction, so the preview is what happens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import QuerySet

from kithkin import access, clock
from kithkin.errors import InvalidInput, NotFound
from kithkin.fulltext import fold
from kithkin.models import (
    Affiliation,
    Attendance,
    ContactPoint,
    DismissedDuplicate,
    FollowUp,
    InteractionParticipant,
    Mentorship,
    Milestone,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    Relationship,
    User,
    ValueExchange,
)
from kithkin.services import changes
from kithkin.services.photos import keep_photo_in_merge

M = TypeVar("M", Person, Organization)

# Every relation that points at a Person, and so every one a merge moves. A test fails when
# a model gains a link to Person that is not listed (and handled) here.
MERGED_RELATIONS = frozenset(
    {
        "kithkin.ContactPoint.person",
        "kithkin.Affiliation.person",
        "kithkin.InteractionParticipant.person",
        "kithkin.Interaction.participants",
        "kithkin.FollowUp.people",
        "kithkin.Relationship.from_person",
        "kithkin.Relationship.to_person",
        "kithkin.Person.introduced_by",
        "kithkin.DismissedDuplicate.person_a",
        "kithkin.DismissedDuplicate.person_b",
        "kithkin.Attendance.person",
        "kithkin.Event.people",
        "kithkin.Mentorship.mentor",
        "kithkin.Mentorship.mentee",
        "kithkin.ValueExchange.giver",
        "kithkin.ValueExchange.receiver",
        "kithkin.ValueExchange.introduced_to",
        "kithkin.Milestone.person",
        "kithkin.Opportunity.source",
        "kithkin.OpportunityShare.person",
        # Kept: the kept person's photo, else the other's (services.photos).
        "kithkin.Photo.person",
        # Derived, not moved: the kept person's tally is recounted (person.merged), the
        # other's goes with them.
        "kithkin.InteractionTally.person",
        # Derived, not moved: the kept person's strength is computed again (person.merged
        # feeds it), the other's goes with them.
        "kithkin.Strength.person",
        # Derived, not moved: the kept person's Dashboard spans are computed again
        # (person.merged feeds them, services.insight_totals), the other's go with them.
        "kithkin.KeptSpan.person",
        # Derived: the stored duplicate pairs of the other go with them; the merge marks the
        # network's pairs stale (search_index), and they are computed again.
        "kithkin.DuplicateCandidate.person_a",
        "kithkin.DuplicateCandidate.person_b",
        # Not moved: the other's CardDAV card stays behind as the tombstone (no database
        # constraint), so every phone learns on its next sync that the card is gone; the
        # kept person's card carries what the merge gave them.
        "kithkin.DavCard.person",
    }
)

# Short fields: the other's value fills a blank; a different value is kept in the notes.
_SHORT_FIELDS = {
    "nickname": "nickname",
    "pronouns": "pronouns",
    "headline": "headline",
    "location": "location",
    "time_zone": "time zone",
}
# Long fields: both texts are kept, one after the other.
_TEXT_FIELDS = {"how_we_met": "how we met", "what_matters": "what matters", "notes": "notes"}
# Settings of the kept person: the other's only fill a blank.
_SETTINGS = {"circle": "circle", "cadence_days": "cadence (days)", "snoozed_until": "snoozed until"}


@dataclass
class MergePreview:
    """What the kept person gets from the other; nothing is written to compute it."""

    keep: Person
    other: Person
    contact_points_added: list[ContactPoint]
    contact_points_already_there: list[ContactPoint]  # the same key: kept once
    tags_added: list[str]
    affiliations_added: list[Affiliation]
    # The other's affiliations that repeat one of the kept person's (blanks filled).
    affiliations_combined: list[tuple[Affiliation, Affiliation]]
    interactions_moved: int
    interactions_shared: int  # both took part: the interaction stays, with them once
    follow_ups_moved: int
    relationships_moved: int
    relationships_dropped: int  # between the two of them, or already the kept one's
    introductions_moved: int  # people the other introduced, now introduced by the kept one
    fields_filled: dict[str, str]  # label -> the value the kept person gets
    notes: str  # the kept person's notes after the merge
    # What merge_people writes: the fields of keep, the relationships re-pointed or dropped.
    values: dict[str, object] = field(default_factory=dict, repr=False)
    relationships_to_move: list[Relationship] = field(default_factory=list, repr=False)
    relationships_to_drop: list[Relationship] = field(default_factory=list, repr=False)

    @property
    def notes_changed(self) -> bool:
        return self.notes != self.keep.notes


def preview_merge(network: Network, actor: User, keep: Person, other: Person) -> MergePreview:
    """What merging ``other`` into ``keep`` would do. Reads only."""
    access.membership(actor, network)
    keep, other = _the_two(network, keep, other)
    return _plan(keep, other)


@transaction.atomic
def merge_people(network: Network, actor: User, keep: Person, other: Person) -> Person:
    """Merge ``other`` into ``keep``: everything of both stays, on ``keep``; ``other`` is
    deleted. Someone may be merged into *me*, never *me* into someone."""
    access.require_write(actor, network)
    keep, other = _the_two(network, keep, other, lock=True)
    plan = _plan(keep, other)
    _move_interactions(keep, other)
    _move_contact_points(keep, plan)
    keep.tags.add(*other.tags.all())
    _move_affiliations(keep, plan)
    _move_follow_ups(keep, other)
    Relationship.objects.filter(pk__in=[r.pk for r in plan.relationships_to_drop]).delete()
    Relationship.objects.bulk_update(plan.relationships_to_move, ["from_person", "to_person"])
    Person.objects.filter(introduced_by=other).exclude(pk=keep.pk).update(introduced_by=keep)
    _move_dismissals(network, keep, other)
    _move_practices(keep, other)
    keep_photo_in_merge(keep, other)
    for name, value in plan.values.items():
        setattr(keep, name, value)
    if plan.values:
        keep.save(update_fields=list(plan.values))
    merged = other.pk
    other.delete()
    changes.record(
        network,
        "person.merged",
        actor=actor,
        record_id=keep.pk,
        person_ids=[keep.pk, merged],
        data={"merged_id": merged},
    )
    keep.refresh_from_db()
    return keep


@transaction.atomic
def dismiss_duplicate(network: Network, actor: User, a: Person, b: Person) -> None:
    """Remember that ``a`` and ``b`` are two people: the pair is never suggested again."""
    access.require_write(actor, network)
    a, b = _the_two(network, a, b, either_may_be_me=True)
    first, second = sorted((a.pk, b.pk))
    _, created = DismissedDuplicate.objects.get_or_create(
        person_a_id=first,
        person_b_id=second,
        defaults={"network": network, "dismissed_by": actor, "dismissed_at": clock.now()},
    )
    if created:
        changes.record(network, "duplicate.dismissed", actor=actor, person_ids=[first, second])


def fresh_pair(
    network: Network, model: type[M], keep: M, other: M, noun: str, *, lock: bool = False
) -> tuple[M, M]:
    """Two records to merge, fresh from the database (locked with ``lock``) and of this
    network; never the same one. People and organizations merge through it."""
    access.require_in_network(network, keep)
    access.require_in_network(network, other)
    if keep.pk == other.pk:
        raise InvalidInput(noun, f"{keep} is one {noun} already")
    rows = model._default_manager.filter(network=network, pk__in=[keep.pk, other.pk])
    found = {row.pk: row for row in (rows.select_for_update() if lock else rows)}
    for record in (keep, other):
        if record.pk not in found:
            raise NotFound(f"No {noun} #{record.pk} in {network.name}.")
    return found[keep.pk], found[other.pk]


def _the_two(
    network: Network,
    keep: Person,
    other: Person,
    *,
    lock: bool = False,
    either_may_be_me: bool = False,
) -> tuple[Person, Person]:
    """Both people, fresh from the database and of this network; never the same one."""
    found_keep, found_other = fresh_pair(network, Person, keep, other, "person", lock=lock)
    if found_other.is_self and not either_may_be_me:
        raise InvalidInput(
            "person", "you cannot be merged into someone else; merge them into you instead"
        )
    return found_keep, found_other


def _plan(keep: Person, other: Person) -> MergePreview:
    keep_points = {(p.kind, p.normalized): p for p in keep.contact_points.all()}
    other_points = list(other.contact_points.all())
    keep_tags = set(keep.tags.values_list("pk", flat=True))
    keep_affiliations = list(keep.affiliations.select_related("organization"))
    added: list[Affiliation] = []
    combined: list[tuple[Affiliation, Affiliation]] = []
    for affiliation in other.affiliations.select_related("organization"):
        match = next((a for a in keep_affiliations if same_tie(a, affiliation)), None)
        if match is None:
            added.append(affiliation)
        else:
            combined.append((affiliation, match))
    interactions = _ids(InteractionParticipant.objects.filter(person=other), "interaction_id")
    shared = interactions & _ids(
        InteractionParticipant.objects.filter(person=keep), "interaction_id"
    )
    owed = FollowUp.people.through.objects
    follow_ups = _ids(owed.filter(person=other), "followup_id") - _ids(
        owed.filter(person=keep), "followup_id"
    )
    moved, dropped = _relationships(keep, other)
    values, filled = _person_values(keep, other)
    return MergePreview(
        keep=keep,
        other=other,
        contact_points_added=[p for p in other_points if (p.kind, p.normalized) not in keep_points],
        contact_points_already_there=[
            p for p in other_points if (p.kind, p.normalized) in keep_points
        ],
        tags_added=[t.name for t in other.tags.order_by("name") if t.pk not in keep_tags],
        affiliations_added=added,
        affiliations_combined=combined,
        interactions_moved=len(interactions - shared),
        interactions_shared=len(shared),
        follow_ups_moved=len(follow_ups),
        relationships_moved=len(moved),
        relationships_dropped=len(dropped),
        introductions_moved=Person.objects.filter(introduced_by=other).exclude(pk=keep.pk).count(),
        fields_filled=filled,
        notes=str(values.get("notes", keep.notes)),
        values=values,
        relationships_to_move=moved,
        relationships_to_drop=dropped,
    )


def _ids(rows: QuerySet[Any], column: str) -> set[int]:
    return set(rows.values_list(column, flat=True))


def same_tie(kept: Affiliation, other: Affiliation, *, any_organization: bool = False) -> bool:
    """The same job (or membership...) recorded twice: same organization (unless
    ``any_organization``: two organizations being merged), kind and end; title and dates
    equal or blank on one side."""
    if not any_organization and kept.organization_id != other.organization_id:
        return False
    if (kept.kind, kept.end_on) != (other.kind, other.end_on):
        return False
    return all(
        not mine or not theirs or mine == theirs
        for mine, theirs in (
            (kept.title, other.title),
            (kept.start_on, other.start_on),
            (kept.renews_on, other.renews_on),
        )
    )


def _relationships(keep: Person, other: Person) -> tuple[list[Relationship], list[Relationship]]:
    """The other's relationships re-pointed at ``keep``, and those dropped: between the two
    of them (a self-relationship), or ones ``keep`` already has."""
    existing: set[tuple[int, int, str]] = set()
    for rel in Relationship.objects.filter(from_person=keep) | Relationship.objects.filter(
        to_person=keep
    ):
        existing.add((rel.from_person_id, rel.to_person_id, rel.kind))
    moved: list[Relationship] = []
    dropped: list[Relationship] = []
    theirs = Relationship.objects.filter(from_person=other) | Relationship.objects.filter(
        to_person=other
    )
    for rel in theirs.order_by("pk"):
        start = keep.pk if rel.from_person_id == other.pk else rel.from_person_id
        end = keep.pk if rel.to_person_id == other.pk else rel.to_person_id
        symmetric = rel.kind not in Relationship.DIRECTIONAL
        if (
            start == end
            or (start, end, rel.kind) in existing
            or (symmetric and (end, start, rel.kind) in existing)
        ):
            dropped.append(rel)
            continue
        existing.add((start, end, rel.kind))
        rel.from_person_id, rel.to_person_id = start, end
        moved.append(rel)
    return moved, dropped


def _person_values(keep: Person, other: Person) -> tuple[dict[str, object], dict[str, str]]:
    """The fields of ``keep`` to write, and for the preview, label -> value shown."""
    values: dict[str, object] = {}
    filled: dict[str, str] = {}
    aside: list[str] = []
    for name, label in _SHORT_FIELDS.items():
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs and not mine:
            values[name] = filled[label] = theirs
        elif theirs and fold(theirs) != fold(mine):
            aside.append(f"{label}: {theirs}")
    for name, label in _SETTINGS.items():
        if getattr(keep, f"{name}_id" if name == "circle" else name) is None:
            theirs = getattr(other, name)
            if theirs is not None:
                values[name] = theirs
                filled[label] = str(theirs)
    _birthday(keep, other, values, filled, aside)
    _introduced_by(keep, other, values, filled)
    for name in ("connected_on", "created_at"):
        mine, theirs = getattr(keep, name), getattr(other, name)
        if theirs is not None and (mine is None or theirs < mine):
            values[name] = theirs
            shown = theirs.date() if isinstance(theirs, dt.datetime) else theirs
            filled["connected on" if name == "connected_on" else "added on"] = shown.isoformat()
    if keep.archived_at is not None and other.archived_at is None:
        values["archived_at"] = None
        filled["archived"] = "no (the other was not)"
    for name, label in _TEXT_FIELDS.items():
        mine = getattr(keep, name).rstrip()
        theirs = [getattr(other, name).strip()]
        if name == "notes":
            theirs.append(_aside_line(keep, other, aside))
        new = [text for text in theirs if text and text != mine.strip()]
        if new:
            values[name] = "\n\n".join([mine, *new] if mine else new)
            if name != "notes":
                filled[label] = str(values[name])
    return values, filled


def _aside_line(keep: Person, other: Person, aside: list[str]) -> str:
    """'Also recorded as Bob Smith (location: Paris).': what of the other has no field left."""
    details = "; ".join(aside)
    if fold(" ".join(other.full_name.split())) != fold(" ".join(keep.full_name.split())):
        return f"Also recorded as {other.full_name}" + (f" ({details})." if details else ".")
    return f"Also recorded with {details}." if details else ""


def _birthday(
    keep: Person, other: Person, values: dict[str, object], filled: dict[str, str], aside: list[str]
) -> None:
    if not (other.birthday_month and other.birthday_day):
        return
    theirs = (other.birthday_year, other.birthday_month, other.birthday_day)
    shown = "-".join(f"{n:02d}" for n in theirs if n is not None)
    if not (keep.birthday_month and keep.birthday_day):
        values.update(birthday_year=theirs[0], birthday_month=theirs[1], birthday_day=theirs[2])
        filled["birthday"] = shown
    elif (keep.birthday_month, keep.birthday_day) != theirs[1:]:
        aside.append(f"birthday: {shown}")
    elif keep.birthday_year is None and other.birthday_year is not None:
        values["birthday_year"] = other.birthday_year
        filled["birthday"] = shown
    elif other.birthday_year not in (None, keep.birthday_year):
        aside.append(f"birthday: {shown}")


def _introduced_by(
    keep: Person, other: Person, values: dict[str, object], filled: dict[str, str]
) -> None:
    """Who introduced ``keep``: theirs, else the other's; never one of the two."""
    current = keep.introduced_by_id
    if current is not None and current != other.pk:
        return
    theirs = other.introduced_by if other.introduced_by_id not in (None, keep.pk) else None
    if theirs is not None:
        values["introduced_by"] = theirs
        filled["introduced by"] = theirs.full_name
    elif current is not None:  # introduced by the other, who is going away
        values["introduced_by"] = None


def _move_interactions(keep: Person, other: Person) -> None:
    mine = InteractionParticipant.objects.filter(person=keep).values("interaction_id")
    InteractionParticipant.objects.filter(person=other, interaction_id__in=mine).delete()
    InteractionParticipant.objects.filter(person=other).update(person=keep)


def _move_follow_ups(keep: Person, other: Person) -> None:
    owed = FollowUp.people.through.objects
    mine = owed.filter(person=keep).values("followup_id")
    owed.filter(person=other, followup_id__in=mine).delete()
    owed.filter(person=other).update(person=keep)


def _move_contact_points(keep: Person, plan: MergePreview) -> None:
    """The other's new contact points move over; one primary per kind (the kept one's)."""
    mine = list(keep.contact_points.all())
    with_primary = {p.kind for p in mine if p.is_primary}
    for point in sorted(plan.contact_points_added, key=lambda p: (not p.is_primary, p.pk)):
        point.person = keep
        point.is_primary = point.is_primary and point.kind not in with_primary
        if point.is_primary:
            with_primary.add(point.kind)
    ContactPoint.objects.bulk_update(plan.contact_points_added, ["person", "is_primary"])
    by_key = {(p.kind, p.normalized): p for p in mine}
    labelled = []
    for point in plan.contact_points_already_there:
        kept = by_key[(point.kind, point.normalized)]
        if point.label and not kept.label:
            kept.label = point.label
            labelled.append(kept)
    ContactPoint.objects.bulk_update(labelled, ["label"])


def _move_affiliations(keep: Person, plan: MergePreview) -> None:
    for affiliation in plan.affiliations_added:
        affiliation.person = keep
    Affiliation.objects.bulk_update(plan.affiliations_added, ["person"])
    for theirs, mine in plan.affiliations_combined:
        combine_ties(mine, theirs)


def combine_ties(mine: Affiliation, theirs: Affiliation) -> None:
    """Keep ``mine``, its blanks filled from ``theirs`` (the same tie recorded twice)."""
    mine.title = mine.title or theirs.title
    mine.start_on = mine.start_on or theirs.start_on
    mine.renews_on = mine.renews_on or theirs.renews_on
    mine.save(update_fields=["title", "start_on", "renews_on"])


def _move_dismissals(network: Network, keep: Person, other: Person) -> None:
    """'Not the same person' said of the other still holds for the merged person."""
    rows = DismissedDuplicate.objects.filter(person_a=other) | DismissedDuplicate.objects.filter(
        person_b=other
    )
    for row in rows:
        partner = row.person_b_id if row.person_a_id == other.pk else row.person_a_id
        first, second = sorted((keep.pk, partner))
        if (
            partner == keep.pk
            or DismissedDuplicate.objects.filter(person_a_id=first, person_b_id=second).exists()
        ):
            row.delete()
            continue
        row.person_a_id, row.person_b_id = first, second
        row.save(update_fields=["person_a", "person_b"])


def _move_once_per(model: Any, parent: str, keep: Person, other: Person) -> None:
    """Move rows unique per (parent, person); where both have one, the kept one's stays
    and the other's note, if any, is appended to it."""
    mine = {getattr(row, f"{parent}_id"): row for row in model.objects.filter(person=keep)}
    for row in model.objects.filter(person=other):
        kept = mine.get(getattr(row, f"{parent}_id"))
        if kept is None:
            row.person = keep
            row.save(update_fields=["person"])
            continue
        if row.note and row.note not in kept.note:
            kept.note = f"{kept.note}\n\n{row.note}".strip()
            kept.save(update_fields=["note"])
        row.delete()


def _move_practices(keep: Person, other: Person) -> None:
    """Events attended, mentorships, the value ledger, milestones and opportunities.
    What was between the two (a mentorship, an exchange) made no sense and goes."""
    _move_once_per(Attendance, "event", keep, other)
    _move_once_per(OpportunityShare, "opportunity", keep, other)
    pair = [keep.pk, other.pk]
    Mentorship.objects.filter(mentor_id__in=pair, mentee_id__in=pair).delete()
    Mentorship.objects.filter(mentor=other).update(mentor=keep)
    Mentorship.objects.filter(mentee=other).update(mentee=keep)
    ValueExchange.objects.filter(giver_id__in=pair, receiver_id__in=pair).delete()
    ValueExchange.objects.filter(giver=other).update(giver=keep)
    ValueExchange.objects.filter(receiver=other).update(receiver=keep)
    ValueExchange.objects.filter(receiver=keep, introduced_to_id__in=pair).update(
        introduced_to=None
    )
    ValueExchange.objects.filter(introduced_to=other).update(introduced_to=keep)
    Milestone.objects.filter(person=other).update(person=keep)
    Opportunity.objects.filter(source=other).update(source=keep)
