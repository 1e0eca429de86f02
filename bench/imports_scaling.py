"""Benchmark: how the cost of an import grows (issue 11). The pathological inputs
themselves are in bench/imports_bounded.py.

    .venv/bin/python bench/imports_scaling.py [SECTION ...]

- vcard_many_properties: one card with N EMAIL lines, N from 12,500 to 100,000: a card is
  read up to its first 1,000 properties (vcard_text.MAX_PROPERTIES) and planned up to 200
  contact points, so the time must stop growing with N (it was quadratic: > 300 s);
- write_path: 2,000 contacts written by the bulk importer beside the single-record service
  (CardDAV's way), one by one, then saved again unchanged.

Tests assert on the stored result, never on time: the times are here.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable

SECTIONS: dict[str, Callable[[], None]] = {}


def _setup_django() -> None:
    os.environ["KITH_DATA_DIR"] = tempfile.mkdtemp(prefix="kithkin-bench-bounded-")
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _timed(label: str, run: Callable[[], object]) -> None:
    from kithkin.importers.records import ImportFileError

    started = time.perf_counter()
    try:
        run()
        outcome = "read"
    except ImportFileError as error:
        outcome = f"refused: {error.message[:90]}"
    print(f"{label}: {time.perf_counter() - started:.3f} s ({outcome})")


# --- vCard: many properties on one card (importers/vcard.py, plan.contact_points) --------


def _card_with_emails(count: int) -> bytes:
    lines = "\r\n".join(f"EMAIL;TYPE=work:person{i}@example.org" for i in range(count))
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Mails\r\n{lines}\r\nEND:VCARD\r\n".encode()


def _cards(count: int, per_card: int = 5) -> bytes:
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {}\r\n{}\r\nEND:VCARD\r\n".format(
            card,
            "\r\n".join(f"EMAIL:p{card}.{i}@example.org" for i in range(per_card)),
        )
        for card in range(count // per_card)
    )
    return "".join(cards).encode()


def vcard_many_properties() -> None:
    """Reading and planning N EMAIL lines: on one card (bounded: its first 1,000
    properties are read and 200 contact points planned, so the time stops growing), and
    spread over N/5 ordinary cards (every one read: the time per line must stay flat).
    Planning costs most: email_validator, ~40 µs an address."""
    from kithkin.importers.plan import contact_points
    from kithkin.importers.vcard import parse_vcards

    print("vCard, N EMAIL lines                  one card: parse  plan     N/5 cards: µs/line")
    for count in (12_500, 25_000, 50_000, 100_000):
        data = _card_with_emails(count)
        parsed = parse_vcards(data, "many.vcf")
        parse_time = _seconds(lambda data=data: parse_vcards(data, "many.vcf"))
        record = parsed.contacts[0]
        plan_time = _seconds(lambda record=record: contact_points(record, "", []))
        many = _cards(count)
        spread = _seconds(lambda many=many: parse_vcards(many, "cards.vcf")) / count * 1e6
        print(
            f"  N = {count:>7,}                      {parse_time:6.3f} s {plan_time:6.3f} s"
            f"   {spread:8.1f}"
        )


SECTIONS["vcard_many_properties"] = vcard_many_properties


# One write path (services.contact_records) -----------------------------------------------


def write_path(people: int = 2000) -> None:
    """The same ``people`` records written by the bulk importer (clean_record in the plan,
    write_contacts in bulk) and one by one through save_contact_record (CardDAV's way);
    then every record saved again onto its person (nothing changes)."""
    from kithkin.importers.apply import apply_plan
    from kithkin.importers.plan import plan_import
    from kithkin.importers.records import ContactRecord, ParseResult
    from kithkin.models import Person
    from kithkin.services.accounts import create_network, create_user
    from kithkin.services.contact_records import save_contact_record

    def records() -> list[ContactRecord]:
        return [
            ContactRecord(
                source="vcard",
                path="bench.vcf",
                line=index * 6 + 1,
                full_name=f"Person {index:05d} Example",
                emails=[(f"person{index}@example.org", "work")],
                phones=[(f"+44 20 7946 {index:04d}", "")],
                urls=[f"https://www.linkedin.com/in/person-{index}"],
                organization=f"Organization {index % 300}",
                title="Engineer",
                tags=["bench", "Café" if index % 2 else "cafe"],
                notes="Met at a conference.",
            )
            for index in range(people)
        ]

    user = create_user(username="bench-write", full_name="Bench Marker", time_zone="Europe/Paris")
    bulk_network = user.current_network
    assert bulk_network is not None
    start = time.perf_counter()
    plan = plan_import(bulk_network, ParseResult(contacts=records()))
    apply_plan(bulk_network, user, plan)
    bulk = time.perf_counter() - start

    single_network = create_network(user, name="One by one")
    start = time.perf_counter()
    saved = [save_contact_record(single_network, user, r).person for r in records()]
    one_by_one = time.perf_counter() - start
    start = time.perf_counter()
    for person, again in zip(saved, records(), strict=True):
        save_contact_record(single_network, user, again, person=person)
    unchanged = time.perf_counter() - start
    assert Person.objects.filter(network=single_network, is_self=False).count() == people
    print(f"write path, {people:,} contacts with an email, a phone, a profile, a job, tags:")
    print(f"  bulk import (plan + apply)          {bulk:7.2f} s")
    print(f"  save_contact_record one by one      {one_by_one:7.2f} s  ({one_by_one / bulk:.0f}x)")
    print(f"  save_contact_record again (no-op)   {unchanged:7.2f} s")


SECTIONS["write_path"] = write_path


def main() -> None:
    _setup_django()
    for name in sys.argv[1:] or list(SECTIONS):
        SECTIONS[name]()


if __name__ == "__main__":
    main()
