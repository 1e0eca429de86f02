"""Benchmark: finding duplicates among 30,000 people, with known duplicates injected.

    .venv/bin/python bench/dupes.py [--people 30000] [--interactions 1000000] [--pairs 600]

The network is the cached benchmark network (bench/network.py, the `kith demo` generator);
it is copied to a temporary directory and the copy gets ``--pairs`` known duplicates, a
quarter of each kind:

- the same email, same name (a contact imported twice);
- the same (new, unique) phone, the name typed in lower case (a phone contact);
- a nickname at the same organization (Jim Okafor for James Okafor, Kasia for Katarzyna);
- a typo in the name at the same organization (a letter dropped, doubled or swapped).

The generator draws 30,000 names from 151 given x 152 family names, so three people in
four have a namesake; a copy of one of them would be ambiguous by construction (which
Noah Campbell?), so the originals are people whose name is unique. The pairs the
generated network yields by itself (namesakes, numbers shared by a few people) are found
before the injection and counted apart: precision is over every pair that involves an
injected copy. Figures printed: find_duplicates() time on the copy (median of --runs),
precision and recall against the injected pairs, and the raw baseline measured in the
same run: the exact-key self-join in one SQL query, with its own recall.

Then the stored pairs (services.duplicates, issue 12): the Duplicates page as a request
(Django's test client, as the owner) before — the comparison it ran on every GET, which
is ``find_duplicates(limit=100)`` — and after, reading the stored pairs, beside the login
page as the floor; computing and storing every pair (the background work); a request
that finds the pairs stale; and what marking them stale adds to a write (one UPDATE),
beside a whole edit of a person.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from network import data_dir

HERE = Path(__file__).resolve().parent
KINDS = ("same email", "same phone", "nickname, same org", "typo, same org")
NICKNAME_OF = {
    "James": ("Jim", "Jimmy", "Jamie"), "Henry": ("Harry", "Hank"), "Charlotte": ("Charlie", "Lottie"),
    "Olivia": ("Liv",), "Harriet": ("Hattie",), "Katarzyna": ("Kasia",), "Tomasz": ("Tomek",),
    "Zofia": ("Zosia",), "Aleksander": ("Olek", "Alek"), "Dmitri": ("Dima",),
    "Anastasia": ("Nastya",), "Santiago": ("Santi",), "Lorenzo": ("Enzo",), "Valentina": ("Vale",),
    "Gabriel": ("Gabe",), "Daniela": ("Dani",),
}  # fmt: skip

# The keys of the network's people first (a CTE, materialised), then the self-join on them:
# joined straight on the tables, SQLite's planner walks people x contact points (minutes).
BASELINE_EXACT_KEYS = """
    WITH keys AS MATERIALIZED (
        SELECT cp.kind, cp.normalized, cp.person_id
        FROM kithkin_contactpoint cp JOIN kithkin_person p ON p.id = cp.person_id
        WHERE p.network_id = :network AND p.archived_at IS NULL AND NOT p.is_self
          AND cp.kind IN ('email', 'phone', 'social')
    )
    SELECT DISTINCT a.person_id, b.person_id
    FROM keys a JOIN keys b
      ON b.kind = a.kind AND b.normalized = a.normalized AND b.person_id > a.person_id
"""


def copy_network(people: int, interactions: int, into: Path) -> Path:
    """Generate the cached network if needed (in a child process), then copy its file."""
    source = data_dir(people, interactions) / "kithkin.sqlite3"
    code = f"import network; network.prepare({people}, {interactions})"
    subprocess.run([sys.executable, "-c", code], cwd=HERE, check=True)
    into.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, into / "kithkin.sqlite3")
    return into


def typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard in the longest word: a letter dropped, doubled or swapped."""
    words = name.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    at = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        word = word[:at] + word[at + 1 :]
    elif slip == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    words[index] = word
    return " ".join(words)


def inject(network, count: int, seed: int = 11) -> tuple[dict[tuple[int, int], str], int]:
    """Add ``count`` known duplicates; returns {(lower id, higher id): kind} and the number
    of originals that could be drawn from."""
    from django.db import transaction
    from django.db.models import Count

    from kithkin import normalize
    from kithkin.models import Affiliation, ContactPoint, Person

    rng = random.Random(seed)
    people = Person.objects.filter(network=network, is_self=False, archived_at__isnull=True)
    unique = set(
        people.values("full_name")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values_list("full_name", flat=True)
    )
    rows = list(people.values_list("pk", "full_name", "given_name", "family_name"))
    originals = [row for row in rows if row[1] in unique]
    rng.shuffle(originals)
    emails: dict[int, str] = dict(
        ContactPoint.objects.filter(person__network=network, kind="email").values_list(
            "person_id", "normalized"
        )
    )
    jobs: dict[int, Affiliation] = {
        a.person_id: a
        for a in Affiliation.objects.filter(person__network=network, end_on__isnull=True)
    }
    plans: list[tuple[str, tuple[int, str, str, str]]] = []
    per_kind = count // len(KINDS)
    used: set[int] = set()
    for kind in KINDS:
        wanted = per_kind if kind != KINDS[-1] else count - per_kind * (len(KINDS) - 1)
        for row in originals:
            if wanted == 0:
                break
            pk, full, given, _ = row
            fits = {
                "same email": pk in emails,
                "same phone": True,
                "nickname, same org": pk in jobs and given in NICKNAME_OF,
                "typo, same org": pk in jobs and max(len(w) for w in full.split()) >= 5,
            }[kind]
            if fits and pk not in used:
                used.add(pk)
                plans.append((kind, row))
                wanted -= 1
    truth: dict[tuple[int, int], str] = {}
    with transaction.atomic():
        for number, (kind, (pk, full, given, family)) in enumerate(plans):
            name = {
                "same email": full,
                "same phone": full.lower(),
                "nickname, same org": f"{rng.choice(NICKNAME_OF.get(given, (given,)))} {family}",
                "typo, same org": typo(full, rng),
            }[kind]
            first, _, last = name.partition(" ")
            copy = Person.objects.create(
                network=network, full_name=name, given_name=first, family_name=last
            )
            if kind == "same email":
                ContactPoint.objects.create(
                    person=copy, kind="email", value=emails[pk], normalized=emails[pk]
                )
            elif kind == "same phone":  # a new number: the generator's are shared by ~11
                shown, e164 = normalize.phone(f"+33 6 12 {number // 100:02d} {number % 100:02d} 00")
                for person_id in (pk, copy.pk):
                    ContactPoint.objects.create(
                        person_id=person_id, kind="phone", value=shown, normalized=e164
                    )
            else:
                Affiliation.objects.create(
                    person=copy, organization_id=jobs[pk].organization_id, title=jobs[pk].title
                )
            truth[(pk, copy.pk)] = kind
    return truth, len(originals)


def timed_runs(function, runs: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - start)
    return samples, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=30_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    with tempfile.TemporaryDirectory(prefix="kith-dupes-") as temporary:
        directory = copy_network(args.people, args.interactions, Path(temporary))
        os.environ["KITH_DATA_DIR"] = str(directory)
        os.environ.pop("KITH_DATABASE_URL", None)
        os.environ["KITH_ALLOWED_HOSTS"] = "testserver"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
        import django

        django.setup()
        run(directory, args)


def run(directory: Path, args: argparse.Namespace) -> None:
    from kithkin.models import Network, Person
    from kithkin.queries.duplicates import find_duplicates

    network = Network.objects.get(name__startswith="Bench")
    everyone = 10**7

    def pairs() -> dict[tuple[int, int], object]:
        return {(p.a.pk, p.b.pk): p for p in find_duplicates(network, limit=everyone)}

    base = pairs()  # what the generated network yields by itself
    truth, pool = inject(network, args.pairs)
    people = Person.objects.filter(network=network).count()
    print(
        f"network: {people:,} people ({len(truth)} injected copies of people with a unique "
        f"name, drawn from {pool:,}); the generated people alone give {len(base):,} pairs"
    )
    samples, found = timed_runs(pairs, args.runs)
    found_pairs: dict[tuple[int, int], object] = found  # type: ignore[assignment]
    copies = {copy for _, copy in truth}
    involving = {pair for pair in found_pairs if copies & set(pair)}
    hits = involving & set(truth)
    misses = set(truth) - hits
    false = involving - hits
    precision = len(hits) / len(involving) if involving else 0.0
    recall = len(hits) / len(truth)

    raw = sqlite3.connect(directory / "kithkin.sqlite3")
    raw_samples, raw_rows = timed_runs(
        lambda: raw.execute(BASELINE_EXACT_KEYS, {"network": network.pk}).fetchall(), args.runs
    )
    raw_pairs = {tuple(row) for row in raw_rows}  # type: ignore[union-attr]
    raw_involving = {pair for pair in raw_pairs if copies & set(pair)}
    raw_hits = raw_involving & set(truth)

    page_samples, _ = timed_runs(lambda: find_duplicates(network, limit=100), args.runs)
    seconds = statistics.median(samples)
    raw_seconds = statistics.median(raw_samples)
    print(f"\nfind_duplicates, every pair   median {seconds:6.2f} s   ({len(found_pairs):,} pairs)")
    print(
        f"find_duplicates, limit 100    median {statistics.median(page_samples):6.2f} s   (the page)"
    )
    print(f"  precision {precision:.3f}  ({len(hits)} of {len(involving)} pairs with a copy)")
    print(f"  recall    {recall:.3f}  ({len(hits)} of {len(truth)} injected)")
    by_kind = Counter(truth[pair] for pair in hits)
    for kind in KINDS:
        total = sum(1 for k in truth.values() if k == kind)
        print(f"    {kind:20} {by_kind[kind]:4} of {total}")
    print(
        f"  baseline: raw SQL exact-key self-join   median {raw_seconds:6.2f} s   "
        f"({len(raw_pairs):,} pairs; {len(raw_pairs) - len(raw_involving):,} among the "
        f"generated people)"
    )
    raw_precision = len(raw_hits) / len(raw_involving) if raw_involving else 0.0
    print(
        f"    precision {raw_precision:.3f}  recall {len(raw_hits) / len(truth):.3f}   "
        f"ratio {seconds / raw_seconds:.1f}x its time"
    )
    for label, examples in (("missed", misses), ("false", false)):
        for pair in sorted(examples)[:5]:
            names = dict(Person.objects.filter(pk__in=pair).values_list("pk", "full_name"))
            reasons = getattr(found_pairs.get(pair), "reasons", [])
            print(f"  {label}: {names[pair[0]]} / {names[pair[1]]} {truth.get(pair, '')} {reasons}")
    page_p95 = stored_pairs(network, args.runs, statistics.median(page_samples))
    targets = [
        ("find_duplicates <= 10 s on 30,000 people", seconds <= 10),
        ("the Duplicates page p95 <= 100 ms (stored pairs)", page_p95 <= 100),
        ("precision >= 0.98", precision >= 0.98),
        ("recall >= 0.9", recall >= 0.9),
    ]
    print()
    for name, met in targets:
        print(f"{'met ' if met else 'MISS'}  {name}")


def _request_samples(client, url: str, runs: int) -> list[float]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.95) - 1)]


def stored_pairs(network, runs: int, computed_page_seconds: float) -> float:
    """The page reading the stored pairs; returns its p95 in ms."""
    from django.test import Client

    from kithkin.models import DuplicateScan, Person, User
    from kithkin.services import duplicates
    from kithkin.services.people import PersonChanges, update_person

    user = User.objects.get(username="bench")
    refresh_samples, stored = timed_runs(lambda: duplicates.refresh_duplicates(network), 1)
    client = Client()
    client.force_login(user)
    requests = max(20, runs * 10)
    floor = _request_samples(Client(), "/login/", requests)
    page = _request_samples(client, "/duplicates/", requests)
    people = _request_samples(client, "/people/", requests)
    login = statistics.median(floor)
    print(
        f"\nstored pairs ({stored:,} computed and stored in {refresh_samples[0]:.2f} s: the background work)"
    )
    print(f"  baseline: login page            median {login:7.1f} ms  p95 {_p95(floor):7.1f} ms")
    print(
        f"  reference: People page          median {statistics.median(people):7.1f} ms  "
        f"p95 {_p95(people):7.1f} ms  (a page with the same query budget, same run)"
    )
    print(
        f"  Duplicates page, before (computed)  {computed_page_seconds * 1000:7.0f} ms "
        "(find_duplicates limit 100, median above)"
    )
    print(
        f"  Duplicates page, stored pairs   median {statistics.median(page):7.1f} ms  "
        f"p95 {_p95(page):7.1f} ms  ({statistics.median(page) / login:.0f}x the login page)"
    )
    # A request that finds the pairs stale: it shows the stored ones and starts the
    # computation in a thread (not waited for here: its CPU would slow what follows).
    started: list[int] = []
    real_start = duplicates._start_in_background
    duplicates._start_in_background = started.append  # type: ignore[assignment]
    stale = []
    for _ in range(requests):
        duplicates.mark_stale(network)
        begin = time.perf_counter()
        assert client.get("/duplicates/").status_code == 200
        stale.append((time.perf_counter() - begin) * 1000)
    duplicates._start_in_background = real_start  # type: ignore[assignment]
    print(
        f"  Duplicates page, pairs stale    median {statistics.median(stale):7.1f} ms  "
        f"p95 {_p95(stale):7.1f} ms  (the computation started {len(started)} times)"
    )
    person = Person.objects.filter(network=network, is_self=False).order_by("pk").first()
    marks, _ = timed_runs(lambda: duplicates.mark_stale(network), requests)
    edits, _ = timed_runs(
        lambda: update_person(
            network, user, person, PersonChanges(headline=f"Edited {time.perf_counter()}")
        ),
        requests,
    )
    mark, edit = statistics.median(marks) * 1000, statistics.median(edits) * 1000
    print(
        f"  cost added to a write: mark_stale median {mark:.2f} ms, "
        f"beside a whole edit of a person (update_person) {edit:.1f} ms ({mark / edit:.1%})"
    )
    DuplicateScan.objects.filter(network=network).update(computing_since=None)
    return _p95(page)


if __name__ == "__main__":
    main()
