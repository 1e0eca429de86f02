"""What derived state a change touches, decided in one place, and kept current in the
writer's transaction.

Services never refresh derived state themselves: they record what changed
(``services.changes.record``), and the seam hands each change here. :func:`touched`
reads its kind (and, for an update, the names of the fields it changed) and says which
of the person's derived values it feeds; :func:`apply` brings them up to date for the
people the change names, at once (inside ``record``) or, inside ``changes.collected()``,
once for the union of the block's changes. Nothing waits for a commit: a page loaded
right after the write sees it.

The derived values (docs/architecture.md, "Derived state on Person"):

- ``CHECK_INS``: the person's interactions changed (deleted, moved, edited): their last
  interaction, interaction tally and due date are recounted
  (``checkins.refresh_check_ins``);
- ``ADDED``: interactions were only added (logged, imported): what they add is counted
  onto the stored tally and last interaction (``checkins.count_added_interactions``);
- ``CADENCE``: an input of the due date held on the person changed (circle, cadence,
  snooze, archiving, when we connected): the due date is computed again from the stored
  last interaction (``cadence_only``);
- ``SEARCH``: an input of the search document changed (names, notes, contact points,
  organizations and titles, tags): it is built again (``search_index.reindex_people``,
  which also marks the stored duplicate pairs stale);
- ``STAMP``: details held beside the person (contact points, jobs, tags) changed: their
  ``updated_at`` is stamped, as a change of their own fields stamps it;
- ``PAIRS``: who looks alike may have changed although no document did (archiving):
  the duplicate pairs are marked stale;
- ``STRENGTH``: the person's interactions or ledger changed: their relationship strength
  is computed again (``strength.refresh``); ``WEIGHTS``: the network's strength weights
  changed, so everyone's is (``strength.refresh_everyone``);
- ``OPPORTUNITY``: an opportunity was added, changed or shared: its stored matches are
  computed again (``opportunity_matches.refresh``); ``MATCHES``: what matching reads of
  people changed (anything that feeds ``SEARCH`` or ``PAIRS``, a circle, an import): every
  stored match list of the network is;
- the Dashboard's circle spans (``insight_totals.refresh_kept``): for everyone whose
  interactions or cadence inputs changed (``CHECK_INS``, ``ADDED``, ``CADENCE``), and for
  the whole network when its time zone (``MONTHS``) changed the local date of everything.

Inside ``changes.settled_later()`` (a long run of writes in many transactions, such as a
mail box's first sync) the values computed from everything a person has -- strength, the
spans, the stored matches -- are put off (:func:`put_off`) and computed once at the end
for everyone the block touched; check-ins, due dates, search documents and stamps are
still kept current by each write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kithkin import clock
from kithkin.models import Network, Person
from kithkin.services import duplicates, insight_totals, opportunity_matches, strength, tallies
from kithkin.services.checkins import count_added_interactions, refresh_check_ins
from kithkin.services.search_index import DOCUMENT_FIELDS, reindex_people

if TYPE_CHECKING:
    from kithkin.models import Change

CHECK_INS = "check_ins"
ADDED = "added"
CADENCE = "cadence"
SEARCH = "search"
STAMP = "stamp"
PAIRS = "pairs"
STRENGTH = "strength"
WEIGHTS = "weights"
MONTHS = "months"
OPPORTUNITY = "opportunity"
MATCHES = "matches"
# An import that touched more people than this computes the whole network's strength.
STRENGTH_EVERYONE_OVER = 5000

# What each kind feeds, whatever fields it names. Kinds not listed feed nothing derived
# (follow-ups, the ledger, events, opportunities are read as they are stored).
_FEEDS: dict[str, frozenset[str]] = {
    "network.created": frozenset({SEARCH}),  # *me*, the first person
    "person.created": frozenset({CADENCE, SEARCH}),
    "person.archived": frozenset({CADENCE, PAIRS}),
    "person.restored": frozenset({CADENCE, PAIRS}),
    "person.merged": frozenset({CHECK_INS, SEARCH, STAMP, STRENGTH}),
    "person.deleted": frozenset({CHECK_INS, SEARCH}),
    "interaction.logged": frozenset({ADDED, STRENGTH}),
    "interaction.deleted": frozenset({CHECK_INS, STRENGTH}),
    "trash.restored": frozenset({CHECK_INS, SEARCH, PAIRS, STRENGTH}),
    "value.recorded": frozenset({STRENGTH}),
    "value.deleted": frozenset({STRENGTH}),
    "circle.updated": frozenset({CADENCE}),
    "tag.added": frozenset({SEARCH, STAMP}),
    "tag.removed": frozenset({SEARCH, STAMP}),
    "membership.joined": frozenset({SEARCH, STAMP}),
    "membership.updated": frozenset({SEARCH, STAMP}),
    "membership.ended": frozenset({SEARCH, STAMP}),
    "organization.merged": frozenset({SEARCH, STAMP}),
    "organization.deleted": frozenset({SEARCH, STAMP}),
    "opportunity.created": frozenset({OPPORTUNITY}),
    "opportunity.updated": frozenset({OPPORTUNITY}),
    "opportunity.shared": frozenset({OPPORTUNITY}),
}

# For the kinds that name the fields they changed (``data["fields"]``): what each field feeds.
_PERSON_FIELD_FEEDS: dict[str, frozenset[str]] = {
    "circle": frozenset({CADENCE, MATCHES}),  # a match names the circle
    **{name: frozenset({CADENCE}) for name in ("cadence_days", "snoozed_until")},
    "connected_on": frozenset({CADENCE}),
    **{name: frozenset({SEARCH}) for name in DOCUMENT_FIELDS},
    **{name: frozenset({SEARCH, STAMP}) for name in ("contact_points", "affiliations", "tags")},
    "photo": frozenset({STAMP}),  # services/photos.py: set, replaced or removed
}
_FIELD_FEEDS: dict[str, dict[str, frozenset[str]]] = {
    "person.updated": _PERSON_FIELD_FEEDS,
    # People are found by the names of the organizations they are at.
    "organization.updated": {"name": frozenset({SEARCH, STAMP})},
    # When it happened and who took part feed the check-ins; what was said does not.
    "interaction.updated": {
        "occurred_at": frozenset({CHECK_INS, STRENGTH}),
        "participants": frozenset({CHECK_INS, STRENGTH}),
        "kind": frozenset({CHECK_INS, STRENGTH}),
        "direction": frozenset({CHECK_INS, STRENGTH}),
        "mentorship": frozenset({STRENGTH}),
    },
    "network.updated": {
        "strength_weights": frozenset({WEIGHTS}),
        "time_zone": frozenset({MONTHS}),
    },
}


@dataclass
class Added:
    """What interactions that were only added bring to each of their people: the tally of
    them (``tallies.of_interaction``, combined) and the newest. A writer that knows it
    (logging, an import) says so, and nothing is counted again."""

    tallies: dict[int, tallies.Tally] = field(default_factory=dict)
    latest: dict[int, dt.datetime] = field(default_factory=dict)

    def include(self, other: Added) -> None:
        for pk, tally in other.tallies.items():
            mine = self.tallies.get(pk)
            self.tallies[pk] = tally if mine is None else tallies.combine(mine, tally)
        for pk, at in other.latest.items():
            if pk not in self.latest or at > self.latest[pk]:
                self.latest[pk] = at


@dataclass
class Known:
    """What a writer already knows of its change, so the seam need not read it back: the
    interactions it only added (``added``; None for an import whose interactions someone
    else wrote meanwhile: they are recounted), the people it created with their search
    document (an import builds it with the row) and those it added to, and whether it
    touched everyone (a restore)."""

    added: Added | None = None
    created: Collection[int] = ()
    updated: Collection[int] = ()
    everyone: bool = False


@dataclass
class Touched:
    """The people of one network whose derived values must be brought up to date."""

    network: Network
    check_ins: set[int] = field(default_factory=set)
    cadence: set[int] = field(default_factory=set)
    search: set[int] = field(default_factory=set)
    stamp: set[int] = field(default_factory=set)
    strength: set[int] = field(default_factory=set)
    opportunities: set[int] = field(default_factory=set)  # their stored matches
    added: Added = field(default_factory=Added)
    pairs: bool = False
    weights: bool = False
    months: bool = False
    matches: bool = False  # every stored match list of the network
    everyone: bool = False
    kept: set[int] = field(default_factory=set)  # whose spans are computed again, besides
    spans: bool = True  # False: the spans are put off (``put_off``)

    def include(self, other: Touched) -> None:
        self.check_ins |= other.check_ins
        self.cadence |= other.cadence
        self.search |= other.search
        self.stamp |= other.stamp
        self.strength |= other.strength
        self.opportunities |= other.opportunities
        self.added.include(other.added)
        self.pairs = self.pairs or other.pairs
        self.weights = self.weights or other.weights
        self.months = self.months or other.months
        self.matches = self.matches or other.matches
        self.everyone = self.everyone or other.everyone
        self.kept |= other.kept
        self.spans = self.spans or other.spans


def feeds(kind: str, data: dict[str, object] | None = None) -> frozenset[str]:
    """The derived values a change of ``kind`` (with ``data["fields"]``) feeds."""
    found = _FEEDS.get(kind, frozenset())
    by_field = _FIELD_FEEDS.get(kind)
    if by_field is not None:
        names = (data or {}).get("fields") or ()
        assert isinstance(names, list | tuple)
        for name in names:
            found = found | by_field.get(str(name), frozenset())
    return found


def touched(change: Change, network: Network, known: Known | None = None) -> Touched:
    """What ``change`` touches, from its kind, fields and people (and what its writer
    knows)."""
    found = Touched(network)
    people = set(change.person_ids)
    if change.kind == "import.applied":
        _import_touches(found, change, people, known or Known())
        return found
    if known is not None and known.everyone:
        found.everyone = True
        return found
    for value in feeds(change.kind, change.data):
        if value == ADDED:
            if known is not None and known.added is not None:
                found.added.include(known.added)
            else:  # not said what they add: count theirs again
                found.check_ins |= people
        elif value == PAIRS:
            found.pairs = True
        elif value == WEIGHTS:
            found.weights = True
        elif value == MONTHS:
            found.months = True
        elif value == MATCHES:
            found.matches = True
        elif value == OPPORTUNITY:
            if change.record_id is not None:
                found.opportunities.add(change.record_id)
        else:
            getattr(found, value).update(people)
    # Matching reads the search document (its candidates), names, archiving: MATCHES.
    if found.search or found.pairs:
        found.matches = True
    return found


def _import_touches(found: Touched, change: Change, people: set[int], known: Known) -> None:
    """An import: the people it added to get their document built again (the new ones
    were written with theirs) and their due date computed again; its interactions are
    counted onto their people (or recounted, when someone else wrote some meanwhile);
    new people get a due date if they joined a circle."""
    found.matches = True  # new people, tags, jobs: anyone may now match
    if known.everyone:
        found.everyone = True
        return
    found.search |= set(known.updated)
    found.cadence |= set(known.updated)
    if change.data.get("interactions") or change.data.get("values"):
        found.strength |= people
    if change.data.get("circle_id"):
        found.cadence |= set(known.created)
    if known.added is not None:
        found.added.include(known.added)
    elif change.data.get("interactions"):
        found.check_ins |= people


# What the writes of the current ``changes.settled_later()`` block put off, by network.
LATER: ContextVar[dict[int, Touched] | None] = ContextVar("kithkin_derived_later", default=None)


def put_off(found: Touched, later: dict[int, Touched]) -> Touched:
    """Split ``found`` in two: what is done now (returned: check-ins, due dates, search
    documents, stamps, duplicate pairs) and what waits in ``later`` for the end of the
    block (strength, the spans of everyone whose interactions or cadence changed, stored
    matches). Everything at once (a restore) is not split."""
    if found.everyone:
        return found
    waiting = later.setdefault(found.network.pk, Touched(found.network))
    waiting.strength |= found.strength
    waiting.opportunities |= found.opportunities
    waiting.weights = waiting.weights or found.weights
    waiting.months = waiting.months or found.months
    waiting.matches = waiting.matches or found.matches
    if found.spans:
        waiting.kept |= found.check_ins | found.cadence | set(found.added.latest) | found.kept
    return dataclasses.replace(
        found,
        strength=set(),
        opportunities=set(),
        weights=False,
        months=False,
        matches=False,
        kept=set(),
        spans=False,
    )


def apply(found: Touched) -> None:
    """Bring the derived values ``found`` names up to date, in the caller's transaction
    (inside ``changes.settled_later()``, what is cheap to: see ``put_off``)."""
    later = LATER.get()
    if later is not None:
        found = put_off(found, later)
    network = found.network
    if found.stamp:
        Person.objects.filter(network=network, pk__in=found.stamp).update(updated_at=clock.now())
    if found.everyone:
        refresh_check_ins(network)
        reindex_people(network)
        strength.refresh(network)
        insight_totals.refresh_kept(network)
        opportunity_matches.refresh(network)
        return
    recount = found.check_ins
    if recount:
        refresh_check_ins(network, recount)
    added = found.added
    counted = [pk for pk in added.latest if pk not in recount]
    if counted:  # a recount already counted what was added
        count_added_interactions(
            network,
            {pk: added.tallies[pk] for pk in counted if pk in added.tallies},
            {pk: added.latest[pk] for pk in counted},
        )
    cadence = found.cadence - recount - set(counted)
    if cadence:  # counting what was added computed their due dates too
        refresh_check_ins(network, cadence, cadence_only=True)
    if found.search:
        reindex_people(network, found.search)
    elif found.pairs:
        duplicates.mark_stale(network)
    if found.months:
        insight_totals.refresh_kept(network)
    elif found.spans:
        # One interaction added (a log): its day joins the spans. Anything else: the
        # person's spans are computed again from their interactions.
        one = {
            pk: at
            for pk, at in added.latest.items()
            if pk not in recount
            and pk not in found.cadence
            and pk in added.tallies
            and tallies.is_one_interaction(added.tallies[pk])
        }
        if one:
            insight_totals.add_contacts(network, one)
        again = recount | found.cadence | (set(added.latest) - set(one)) | found.kept
        if again:
            insight_totals.refresh_kept(network, again)
    if found.weights:
        strength.refresh_everyone(network)
    elif len(found.strength) > STRENGTH_EVERYONE_OVER:
        strength.refresh(network)
    elif found.strength:
        strength.refresh(network, found.strength)
    # Last: matching reads the search documents written above.
    if found.matches:
        opportunity_matches.refresh(network)
    elif found.opportunities:
        opportunity_matches.refresh(network, found.opportunities)
