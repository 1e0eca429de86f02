"""Benchmark: importers on pathological input stay bounded (issue 11, "Bounded work").

    .venv/bin/python bench/imports_bounded.py

One section per case; each prints its figures. Tests assert on the stored result or the
clear error, never on time: the times are here.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()


def _seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


# --- vCard: many properties on one card (importers/vcard.py, plan.contact_points) --------


def _card_with_emails(count: int) -> bytes:
    lines = "\r\n".join(f"EMAIL;TYPE=work:person{i}@example.org" for i in range(count))
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Many Mails\r\n{lines}\r\nEND:VCARD\r\n".encode()


def vcard_many_properties() -> None:
    """Parsing and planning the contact points of one card with N EMAIL lines: the time
    per property must not grow with N (it was quadratic: a list membership test per
    property, > 300 s for 100,000). Planning is dominated by email_validator (~40 µs an
    address)."""
    from kithkin.importers.plan import contact_points
    from kithkin.importers.vcard import parse_vcards

    print("vCard, one card with N EMAIL lines       parse      plan   µs/property")
    for count in (12_500, 25_000, 50_000, 100_000):
        data = _card_with_emails(count)
        parsed = parse_vcards(data, "many.vcf")
        parse_time = _seconds(lambda data=data: parse_vcards(data, "many.vcf"))
        record = parsed.contacts[0]
        plan_time = _seconds(lambda record=record: contact_points(record, "", []))
        per = (parse_time + plan_time) / count * 1e6
        print(
            f"  N = {count:>7,}                          {parse_time:6.2f} s  {plan_time:6.2f} s  {per:8.1f}"
        )


def main() -> None:
    _setup_django()
    vcard_many_properties()


if __name__ == "__main__":
    main()
