"""Organizations for a demo network: mostly companies, some associations, schools and
communities, with a few big employers and a long tail of small ones."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from collections.abc import Iterator

from kithkin.demo import data
from kithkin.demo.plan import HISTORY_DAYS, Demo, OrganizationPlan
from kithkin.models import Organization

# Letters NFKD does not take apart into an ASCII letter and an accent.
_ASCII_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "œ": "oe",
        "Œ": "Oe",
        "&": " and ",
    }
)
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_QUALIFIERS = ("International", "Group", "Holdings", "Europe", "Americas", "Asia")


def ascii_slug(text: str, separator: str = "-") -> str:
    """'Søren Côté' -> 'soren-cote': safe in an email address, a host name or a URL."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
    ascii_text = decomposed.encode("ascii", "ignore").decode().lower()
    return _NOT_ALPHANUMERIC.sub(separator, ascii_text).strip(separator)


def _candidates(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """(name, domain, kind): the curated names first, then invented ones, then variants."""
    curated = list(data.ORGANIZATIONS)
    rng.shuffle(curated)
    invented = [
        (f"{stem} {word}", f"{ascii_slug(f'{stem} {word}')}.example", kind)
        for stem in data.ORGANIZATION_STEMS
        for word, kind in data.ORGANIZATION_WORDS
    ]
    rng.shuffle(invented)
    yield from curated
    yield from invented
    for round_number in itertools.count(2):
        qualifier = (
            _QUALIFIERS[round_number - 2]
            if round_number - 2 < len(_QUALIFIERS)
            else str(round_number)
        )
        for name, _, kind in invented:
            full = f"{name} {qualifier}"
            yield full, f"{ascii_slug(full)}.example", kind


def choose_organizations(rng: random.Random, count: int, taken: set[str]) -> list[OrganizationPlan]:
    """``count`` organizations, about one in five not a company; none named like ``taken``
    (lower-cased names already in the network)."""
    others_wanted = min(max(2, count // 5), count)
    companies_wanted = count - others_wanted
    chosen: list[OrganizationPlan] = []
    companies = others = 0
    seen = set(taken)
    for name, domain, kind in _candidates(rng):
        if len(chosen) == count:
            break
        if name.lower() in seen:
            continue
        if kind == Organization.Kind.COMPANY and companies < companies_wanted:
            companies += 1
        elif kind != Organization.Kind.COMPANY and others < others_wanted:
            others += 1
        else:
            continue
        seen.add(name.lower())
        chosen.append(OrganizationPlan(name=name, domain=domain, kind=kind))
    return chosen


def create_organizations(demo: Demo, count: int) -> list[OrganizationPlan]:
    taken = {
        name.lower()
        for name in Organization.objects.filter(network=demo.network).values_list("name", flat=True)
    }
    plans = choose_organizations(demo.rng, count, taken)
    added = demo.instant(demo.today_ordinal - HISTORY_DAYS, 9)
    rows = Organization.objects.bulk_create(
        [
            Organization(
                network=demo.network,
                name=plan.name,
                kind=plan.kind,
                website=f"https://{plan.domain}",
                created_at=added,
            )
            for plan in plans
        ],
        batch_size=demo.batch_size,
    )
    for plan, row in zip(plans, rows, strict=True):
        plan.pk = row.pk
    return plans


class OrganizationPicker:
    """Draws organizations by kind, the first ones of each kind far more often (a few
    large employers and a long tail), so colleagues turn up naturally."""

    def __init__(self, organizations: list[OrganizationPlan]) -> None:
        self.organizations = organizations
        self._indexes: dict[str | None, list[int]] = {None: list(range(len(organizations)))}
        for index, organization in enumerate(organizations):
            self._indexes.setdefault(organization.kind, []).append(index)
        self._weights = {
            kind: list(itertools.accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(indexes))))
            for kind, indexes in self._indexes.items()
        }

    def pick(self, rng: random.Random, kind: str | None = None) -> int | None:
        """The index of an organization of ``kind`` (any kind when None), or None if the
        network has none of that kind."""
        indexes = self._indexes.get(kind)
        if not indexes:
            return None
        return rng.choices(indexes, cum_weights=self._weights[kind])[0]
