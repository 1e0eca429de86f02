"""Relationship strength as stored (``models.Strength``, computed by
``services.strength``): one person's with its words, many people's scores, the strongest,
and fading ties (strong relationships falling fastest). Reads indexed rows; never
computes a score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q

from kithkin import access
from kithkin import strength as formula
from kithkin.doctor import Finding, check
from kithkin.models import Network, Person, Strength, StrengthSettings, User
from kithkin.queries.agenda_items import AgendaItem, PersonRef, Section

# A fading tie: at least this strong 90 days ago, and at least this many points weaker now.
FADING_FROM = 40
FADING_FALL = 10
SHOWN = 10
SECTION_SHOWN = 10  # Today's section shows this many, and counts the rest


@dataclass(frozen=True)
class PersonStrength:
    person_id: int
    name: str
    score: int
    before: int  # 90 days ago
    trend: int  # score - before
    words: tuple[str, ...]
    factors: formula.Factors

    @property
    def explanation(self) -> str:
        return "; ".join(self.words) if self.words else "no contact in the past year"

    @property
    def arrow(self) -> str:
        """↑ rising, ↓ falling, → steady (within 2 points)."""
        if self.trend > 2:
            return "↑"
        if self.trend < -2:
            return "↓"
        return "→"


FIELDS = ("person_id", "person__full_name", "score", "before", "trend", "words", "factors")


def _of(row: tuple[Any, ...]) -> PersonStrength:
    pk, name, score, before, trend, words, factors = row
    return PersonStrength(pk, name, score, before, trend, tuple(words), formula.Factors.of(factors))


def stored_strength(person: Person) -> PersonStrength | None:
    """The strength of a person loaded with ``select_related("strength")`` (no query)."""
    try:
        row = person.strength
    except Strength.DoesNotExist:
        return None
    return PersonStrength(
        person.pk,
        person.full_name,
        row.score,
        row.before,
        row.trend,
        tuple(row.words),
        formula.Factors.of(row.factors),
    )


def scores(network: Network, user: User, person_ids: Iterable[int]) -> dict[int, int]:
    """The strength (0-100) of each of ``person_ids`` from me in ``network``, as ``user``
    (a member) reads it; people without a score are absent. Strength is the network's,
    the same for every member (docs/strength.md)."""
    access.membership(user, network)
    ids = list(set(person_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), 5000):
        found.update(
            Strength.objects.filter(
                network=network, person_id__in=ids[start : start + 5000]
            ).values_list("person_id", "score")
        )
    return found


def of_person(network: Network, person: Person) -> PersonStrength | None:
    """``person``'s stored strength (loaded through access.py by the caller); None when
    nothing counts."""
    row = Strength.objects.filter(network=network, person=person).values_list(*FIELDS).first()
    return _of(row) if row is not None else None


def person_panel(network: Network, person: Person, today: dt.date) -> PersonStrength | None:
    """The person page's strength panel (partials/person_strength.html); None: nothing
    counts, no panel."""
    return of_person(network, person)


def strongest(network: Network, limit: int = SHOWN) -> list[PersonStrength]:
    rows = Strength.objects.filter(network=network, person__archived_at__isnull=True)
    return [_of(row) for row in rows.order_by("-score", "person_id").values_list(*FIELDS)[:limit]]


def fading(network: Network, limit: int = SHOWN) -> list[PersonStrength]:
    """Strong relationships whose strength is falling fastest: at least ``FADING_FROM`` 90
    days ago and ``FADING_FALL`` points weaker since, the steepest fall first."""
    return [_of(row) for row in fading_rows(network).values_list(*FIELDS)[:limit]]


def fading_rows(network: Network):  # type: ignore[no-untyped-def]
    return Strength.objects.filter(
        network=network,
        trend__lte=-FADING_FALL,
        before__gte=FADING_FROM,
        person__archived_at__isnull=True,
    ).order_by("trend", "-before", "person_id")


def fading_count(network: Network) -> int:
    return fading_rows(network).count()


def fading_reason(tie: PersonStrength) -> str:
    """Why a fading tie is on the agenda: "strength 41, down 21 from 62 in 90 days"."""
    return f"strength {tie.score}, down {-tie.trend} from {tie.before} in 90 days"


def fading_ties(network: Network, today: dt.date) -> Section:
    """Today's "Fading ties": strong relationships falling fastest (:func:`fading`), each
    with a check-in draft. Two indexed queries whatever the network's size."""
    ties = fading(network, SECTION_SHOWN)
    return Section(
        key="fading",
        title="Fading ties",
        note=f"Strong relationships (at least {FADING_FROM} ninety days ago) that lost "
        f"{FADING_FALL} points or more since, the steepest fall first.",
        items=[
            AgendaItem(
                key=f"fading-{tie.person_id}",
                title=f"Get back in touch with {tie.name}",
                people=[PersonRef(tie.person_id, tie.name)],
                reason=fading_reason(tie),
                record_id=tie.person_id,
                draft_kind="check-in",
                detail=tie.explanation[:1].upper() + tie.explanation[1:],
            )
            for tie in ties
        ],
        total=fading_count(network) if len(ties) == SECTION_SHOWN else len(ties),
    )


@dataclass(frozen=True)
class WeightsView:
    weights: formula.Weights
    preset: str | None  # the preset they equal, if any

    @property
    def rows(self) -> list[tuple[str, int]]:
        return list(self.weights.as_dict().items())


def weights(network: Network) -> WeightsView:
    stored = StrengthSettings.objects.filter(network=network).values_list("weights", flat=True)
    chosen = formula.Weights.of(next(iter(stored), {}))
    preset = next((name for name, w in formula.PRESETS.items() if w == chosen), None)
    return WeightsView(chosen, preset)


@check("strength scores")
def scores_on_people() -> list[Finding]:
    """People sort by the score on their own row (``Person.strength_score``): it must equal
    their stored strength, None without one (``services.strength`` writes both)."""
    differing = Person.objects.filter(
        Q(strength__isnull=True, strength_score__isnull=False)
        | Q(strength__isnull=False, strength_score__isnull=True)
        | Q(strength_score__lt=F("strength__score"))
        | Q(strength_score__gt=F("strength__score"))
    ).count()
    if differing:
        return [
            Finding(
                "strength scores",
                False,
                f"{differing} people are sorted by a strength that is not their stored one: "
                "the worker's daily strength refresh writes them again (`kith worker`).",
            )
        ]
    return [Finding("strength scores", True, "Every stored strength is the one People sorts by.")]
