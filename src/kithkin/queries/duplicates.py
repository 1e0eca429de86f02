"""Who in a network may be the same person twice, and why (DESIGN.md §3, merging).

Exact keys first: people who share an email address, a phone number or a social profile
(by their normalised key). Then names, compared only within *blocks* so that 30,000 people
cost a few thousand small comparisons each rather than 450 million pairs: people with the
same family name, with the same start of the family name and first initial (a typo further
in), and people at the same organization (any typo). A small nickname table pairs Bob with
Robert. Nearly identical names without an organization in common count only when they
differ by a rare spelling: two spellings many people have (Santos, Santoso) are two names.
Every pair says why it was suggested; a pair a user dismissed never comes back.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Exists, OuterRef, Prefetch
from rapidfuzz import fuzz, process

from kithkin.fulltext import fold, words
from kithkin.models import (
    Affiliation,
    ContactPoint,
    DismissedDuplicate,
    DuplicateCandidate,
    Network,
    Person,
)

# Scores (0..1). Several signals for one pair add CORROBORATION each beyond the strongest.
SAME_KEY = 0.95  # same email, phone or social profile
SAME_NAME_SAME_ORGANIZATION = 0.9
SAME_NAME = 0.75
NICKNAME = 0.8  # Bob / Robert with the same family name
NICKNAME_SAME_ORGANIZATION = 0.9
SIMILAR_SAME_ORGANIZATION = 0.8  # name similarity >= SIMILAR_WITH_ORGANIZATION
SIMILAR = 0.6  # name similarity >= SIMILAR_ALONE, no organization in common
CORROBORATION = 0.02
SIMILAR_WITH_ORGANIZATION = 90
SIMILAR_ALONE = 95

# A key shared by more people than this is a switchboard or a team inbox, not a duplicate.
MAX_SHARED_KEY = 5
# More namesakes than this: the name says nothing about any two of them.
MAX_NAME_GROUP = 25
# Fuzzy comparisons are quadratic in a block: larger blocks are split by first initial,
# and skipped if still larger.
MAX_BLOCK = 1000
# Without an organization in common, names that differ only in words this many people of
# the network have (Santos / Santoso, Mateo / Matteo) are two real names, not a typo.
ESTABLISHED_WORD = 3

KEY_KINDS = (ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE, ContactPoint.Kind.SOCIAL)
SERVICES = {"linkedin": "LinkedIn", "github": "GitHub", "x": "X", "bluesky": "Bluesky"}

# "Formal name: its usual short forms and spelling variants;" (folded). Two given names are a
# nickname pair when one is a short form of the other or both are short forms of one name.
_NICKNAMES = """
robert: bob rob bobby robbie bert; william: bill will billy willy liam;
elizabeth: liz beth betty eliza lizzie libby elisabeth; margaret: peggy maggie meg;
katherine: kate kathy katie kat catherine kathryn; catherine: kate cathy cat katie;
michael: mike mick mikey; james: jim jimmy jamie; thomas: tom tommy;
richard: dick rick rich ricky richie; alexander: alex xander sasha;
alexandra: alex sasha lexi; christopher: chris kit; christine: chris chrissy;
christina: chris tina; daniel: dan danny; daniela: dani; david: dave; joseph: joe joey;
jennifer: jen jenny; samuel: sam sammy; samantha: sam; anthony: tony; andrew: andy drew;
matthew: matt; nicholas: nick nicky; patrick: pat paddy; patricia: pat patty trish tricia;
susan: sue susie; edward: ted ed eddie ned; theodore: ted teddy theo; jonathan: jon jonny;
john: jack johnny; benjamin: ben benny; charles: charlie chuck; charlotte: charlie lottie;
frederick: fred freddie; gregory: greg; jeffrey: jeff; joshua: josh; kenneth: ken kenny;
lawrence: larry; ronald: ron ronnie; stephen: steve steven; steven: steve; timothy: tim timmy;
victoria: vicky tori; rebecca: becky becca; deborah: deb debbie; abigail: abby;
gabriel: gabe; henry: harry hank; harold: harry hal; harriet: hattie; olivia: liv;
peter: pete; philip: phil; francis: frank; frances: fran; douglas: doug;
gerald: gerry jerry; raymond: ray; vincent: vince; walter: walt; albert: al bert;
katarzyna: kasia; tomasz: tomek; zofia: zosia; aleksander: olek alek; dmitri: dima;
anastasia: nastya; natalia: natasha; ivan: vanya; ekaterina: katya; santiago: santi;
lorenzo: enzo; valentina: vale; jose: pepe; giuseppe: beppe; francesco: cesco;
"""


def _forms() -> dict[str, frozenset[str]]:
    """Every name of the table -> the formal names it is or stands for."""
    forms: dict[str, frozenset[str]] = {}
    for entry in _NICKNAMES.split(";"):
        formal, _, short = entry.partition(":")
        for form in (formal, *short.split()):
            forms[form.strip()] = forms.get(form.strip(), frozenset()) | {formal.strip()}
    forms.pop("", None)
    return forms


_FORMS = _forms()
_FORMAL = frozenset(formal for forms in _FORMS.values() for formal in forms)


def nickname_roots(given: str) -> frozenset[str]:
    """The formal names a given name is or stands for: 'bob' -> {'robert'}."""
    return _FORMS.get(fold(given), frozenset())


def is_nickname_pair(first: str, second: str) -> bool:
    a, b = fold(first), fold(second)
    return a != b and bool(nickname_roots(a) & nickname_roots(b))


def _different_names(first: str, second: str) -> bool:
    """Two formal names of the table (Alexander, Alexandra): alike, but not the same name."""
    a, b = fold(first), fold(second)
    return a != b and a in _FORMAL and b in _FORMAL and not _FORMS[a] & _FORMS[b]


@dataclass
class DuplicatePair:
    a: Person  # the lower id
    b: Person
    score: float
    reasons: list[str]

    @property
    def people(self) -> tuple[Person, Person]:
        return self.a, self.b


@dataclass
class _Name:
    """A person's name, folded for comparison; ``shown_given`` as typed."""

    pk: int
    full: str  # folded words, one space apart
    given: str
    family: str
    shown_full: str
    shown_given: str
    sorted_words: str  # the folded words in alphabetical order, for similarity()


def _name(pk: int, full_name: str, given_name: str, family_name: str) -> _Name:
    tokens = words(full_name)
    given = (words(given_name) or tokens or [""])[0]
    family_words = words(family_name) or (tokens[1:] if len(tokens) > 1 else [])
    shown_given = given_name.strip() or (full_name.split() or [""])[0]
    return _Name(
        pk=pk,
        full=" ".join(tokens),
        given=given,
        family=family_words[-1] if family_words else "",
        shown_full=full_name,
        shown_given=shown_given,
        sorted_words=" ".join(sorted(tokens)),
    )


@dataclass
class _Evidence:
    keys: list[str] = field(default_factory=list)  # reasons, one per shared key
    name_score: float = 0.0
    name_reason: str = ""

    def score(self) -> float:
        signals = [SAME_KEY] * len(self.keys) + ([self.name_score] if self.name_score else [])
        if not signals:
            return 0.0
        return round(min(1.0, max(signals) + CORROBORATION * (len(signals) - 1)), 2)

    def reasons(self) -> list[str]:
        return self.keys + ([self.name_reason] if self.name_reason else [])


def find_duplicates(network: Network, *, limit: int = 200) -> list[DuplicatePair]:
    """The ``limit`` likeliest pairs of people who may be one person, best first, each
    explained, computed now (every comparison: seconds at 30,000 people; the page and `kith
    dupes` read ``stored_duplicates`` instead). Archived people, *me* and dismissed pairs
    are left out."""
    dismissed = set(
        DismissedDuplicate.objects.filter(network=network).values_list("person_a", "person_b")
    )
    best = [pair for pair in ranked_pairs(network) if pair.pair not in dismissed][:limit]
    loaded = _load_people({pk for pair in best for pk in pair.pair})
    return [
        DuplicatePair(loaded[item.pair[0]], loaded[item.pair[1]], item.score, item.reasons)
        for item in best
    ]


@dataclass(frozen=True)
class RankedPair:
    """A pair as found, by ids: what ``services.duplicates`` stores."""

    pair: tuple[int, int]
    score: float
    reasons: list[str]


def ranked_pairs(network: Network) -> list[RankedPair]:
    """Every pair of the network's people who may be one person, best first, dismissed
    ones included (they are left out when read)."""
    people = Person.objects.filter(network=network, archived_at__isnull=True, is_self=False)
    names = {
        pk: _name(pk, full, given, family)
        for pk, full, given, family in people.values_list(
            "pk", "full_name", "given_name", "family_name"
        )
    }
    organizations = _current_organizations(network)
    evidence: dict[tuple[int, int], _Evidence] = defaultdict(_Evidence)
    _shared_keys(network, evidence)
    _compare_names(names, organizations, evidence)
    scored = [
        (item.score(), pair)
        for pair, item in evidence.items()
        if pair[0] in names and pair[1] in names
    ]
    scored = [(score, pair) for score, pair in scored if score > 0]
    scored.sort(key=lambda row: (-row[0], names[row[1][0]].full, row[1]))
    return [RankedPair(pair, score, evidence[pair].reasons()) for score, pair in scored]


def stored_duplicates(network: Network, *, limit: int = 200) -> list[DuplicatePair]:
    """The ``limit`` likeliest pairs as last stored (``services.duplicates``), best first:
    what ``find_duplicates`` answered then, less the pairs dismissed and the people
    archived or merged away since."""
    dismissed = DismissedDuplicate.objects.filter(
        person_a=OuterRef("person_a"), person_b=OuterRef("person_b")
    )
    rows = list(
        DuplicateCandidate.objects.filter(
            network=network,
            person_a__archived_at__isnull=True,
            person_b__archived_at__isnull=True,
        )
        .exclude(Exists(dismissed))
        .order_by("rank")
        .values_list("person_a", "person_b", "score", "reasons")[:limit]
    )
    loaded = _load_people({pk for a, b, _, _ in rows for pk in (a, b)})
    return [
        DuplicatePair(loaded[a], loaded[b], score, list(reasons)) for a, b, score, reasons in rows
    ]


def _pair(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def _shared_keys(network: Network, evidence: dict[tuple[int, int], _Evidence]) -> None:
    """Group the network's emails, phones and profiles by normalised key: every group of
    two to MAX_SHARED_KEY people is a set of candidate pairs."""
    groups: dict[tuple[str, str], dict[int, tuple[str, str]]] = defaultdict(dict)
    rows = ContactPoint.objects.filter(
        person__network=network,
        person__archived_at__isnull=True,
        person__is_self=False,
        kind__in=KEY_KINDS,
    ).values_list("kind", "normalized", "person_id", "value", "service")
    for kind, normalized, person_id, value, service in rows:
        groups[(kind, normalized)].setdefault(person_id, (value, service))
    for (kind, _), holders in groups.items():
        if not 2 <= len(holders) <= MAX_SHARED_KEY:
            continue
        ids = sorted(holders)
        value, service = holders[ids[0]]
        for pair in combinations(ids, 2):
            evidence[pair].keys.append(_key_reason(kind, value, service))


def _key_reason(kind: str, value: str, service: str) -> str:
    if kind == ContactPoint.Kind.SOCIAL:
        return f"same {SERVICES.get(service, service.title() or 'social')} profile"
    return f"same {kind} {value}"


def _current_organizations(network: Network) -> dict[int, dict[int, str]]:
    """person id -> {organization id: name} of their current affiliations."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for person_id, organization_id, name in Affiliation.objects.filter(
        person__network=network, end_on__isnull=True
    ).values_list("person_id", "organization_id", "organization__name"):
        found[person_id][organization_id] = name
    return found


def _compare_names(
    names: dict[int, _Name],
    organizations: dict[int, dict[int, str]],
    evidence: dict[tuple[int, int], _Evidence],
) -> None:
    """Same names and nickname pairs by hashing; similar names within blocks."""
    candidates: set[tuple[int, int]] = set()
    established = {
        word
        for word, count in Counter(
            word for name in names.values() for word in set(name.full.split())
        ).items()
        if count >= ESTABLISHED_WORD
    }
    by_name: dict[str, list[int]] = defaultdict(list)
    by_nickname: dict[tuple[str, str], list[int]] = defaultdict(list)
    for name in names.values():
        if name.full:
            by_name[name.full].append(name.pk)
        if name.family:
            for root in nickname_roots(name.given):
                by_nickname[(name.family, root)].append(name.pk)
    for group in (*by_name.values(), *by_nickname.values()):
        if 2 <= len(group) <= MAX_NAME_GROUP:
            candidates.update(_pair(a, b) for a, b in combinations(group, 2))
    for block in _blocks(names, organizations):
        candidates.update(_similar_within(block, names))
    for a, b in candidates:
        shared = set(organizations.get(a, {})) & set(organizations.get(b, {}))
        organization = min(organizations[a][o] for o in shared) if shared else ""
        score, reason = _name_signal(names[a], names[b], organization, established)
        if score:
            evidence[(a, b)].name_score, evidence[(a, b)].name_reason = score, reason


def _blocks(
    names: dict[int, _Name], organizations: dict[int, dict[int, str]]
) -> Iterator[list[int]]:
    blocks: dict[tuple[str, object], list[int]] = defaultdict(list)
    for name in names.values():
        if name.family:
            blocks[("family", name.family)].append(name.pk)
            blocks[("start", f"{name.family[:3]} {name.given[:1]}")].append(name.pk)
        for organization_id in organizations.get(name.pk, {}):
            blocks[("organization", organization_id)].append(name.pk)
    for block in blocks.values():
        if len(block) <= MAX_BLOCK:
            yield block
            continue
        by_initial: dict[str, list[int]] = defaultdict(list)
        for pk in block:
            by_initial[names[pk].given[:1]].append(pk)
        yield from (part for part in by_initial.values() if len(part) <= MAX_BLOCK)


def _similar_within(block: list[int], names: dict[int, _Name]) -> Iterable[tuple[int, int]]:
    """Pairs in the block whose names are at least SIMILAR_WITH_ORGANIZATION alike, as
    written or with their words sorted (see ``similarity``)."""
    found: list[tuple[int, int]] = []
    for texts in (
        [names[pk].full for pk in block],
        [names[pk].sorted_words for pk in block],
    ):
        for index in range(len(block) - 1):
            for _, _, offset in process.extract_iter(
                texts[index],
                texts[index + 1 :],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=SIMILAR_WITH_ORGANIZATION,
            ):
                found.append(_pair(block[index], block[index + 1 + offset]))
    return found


def similarity(a: _Name, b: _Name) -> float:
    """0..100: the better of the names as written ('Molly Mratinez' / 'Molly Martinez': a
    sorted order would move the typo) and with their words sorted ('Smith John' / 'John
    Smith', as rapidfuzz's token_sort_ratio)."""
    return max(
        fuzz.ratio(a.full, b.full, processor=None),
        fuzz.ratio(a.sorted_words, b.sorted_words, processor=None),
    )


def _name_signal(a: _Name, b: _Name, organization: str, established: set[str]) -> tuple[float, str]:
    """How much the two names alone (and a shared organization) say, and why."""
    at = f" at the same organization ({organization})" if organization else ""
    if a.full and a.full == b.full:
        return (SAME_NAME_SAME_ORGANIZATION if organization else SAME_NAME), f"same name{at}"
    if a.family and a.family == b.family and is_nickname_pair(a.given, b.given):
        score = NICKNAME_SAME_ORGANIZATION if organization else NICKNAME
        return score, f"nickname pair {a.shown_given}/{b.shown_given}{at}"
    if _different_names(a.given, b.given):
        return 0.0, ""
    alike = similarity(a, b)
    reason = f"similar names ({a.shown_full} / {b.shown_full}){at}"
    if organization and alike >= SIMILAR_WITH_ORGANIZATION:
        return SIMILAR_SAME_ORGANIZATION, reason
    differing = set(a.full.split()) ^ set(b.full.split())
    if alike >= SIMILAR_ALONE and not differing <= established:
        return SIMILAR, reason
    return 0.0, ""


def _load_people(ids: set[int]) -> dict[int, Person]:
    """The people of the pairs shown, with what describes them (current roles)."""
    ordered = sorted(ids)
    loaded: dict[int, Person] = {}
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        loaded.update(
            (person.pk, person)
            for person in Person.objects.filter(pk__in=chunk).prefetch_related(
                Prefetch("affiliations", Affiliation.objects.select_related("organization"))
            )
        )
    return loaded
