"""Benchmark: the pathological inputs of issue 11, each beside a normal input of its size.

    .venv/bin/python bench/imports_bounded.py [--runs 3] [--timeout 120] [--only ics,markdown]

Every measurement runs in its own process under --timeout, so an input that still hangs
prints "timed out after N s" instead of hanging the benchmark. Figures: median of --runs,
all in the same run; building an input is not timed. The inputs (generated, not cached):

- ics: a ~300-byte calendar whose FREQ=SECONDLY rule never matches (36 s before the fix),
  a DAILY rule with COUNT that never matches (dateutil searched to the year 9999), and the
  worst a file can cost (a rule that spends the whole expansion budget); baseline: a
  weekly meeting of the same size.
- vcard: one card with 100,000 EMAIL lines (> 300 s before the fix); baseline: 20,000
  ordinary cards, the same 100,000 lines.
- zip: a LinkedIn export ZIP of ~200 KB whose Connections.csv unpacks to 60 MB (the issue's
  150 KB one took 117 s and 2.2 GB); baseline: an ordinary export ZIP of the same size.
- markdown: a note of 400,000 `[` as the person page renders it (14.5 s before the fix)
  and as Markdown in full (the cost "render once on save" would move to every save);
  and the slowest note still rendered as Markdown; baselines: 400,000 characters of prose
  as the page renders it, and the largest prose note rendered as Markdown.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve()


def _django() -> None:
    os.environ["KITH_DATA_DIR"] = tempfile.mkdtemp(prefix="kithkin-bench-bounded-")
    os.environ.pop("KITH_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()


# ics (icalendar_events: recurrence budget and window)


def _ics(*lines: str) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//EN", "BEGIN:VEVENT"]
    tail = ["END:VEVENT", "END:VCALENDAR", ""]
    return "\r\n".join([*head, *lines, *tail]).encode()


NEVER_SECONDLY = _ics(
    "UID:never-matches@example.com",
    "DTSTART:19700101T000000Z",
    "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30",
    "SUMMARY:A rule that never matches",
    "ORGANIZER:mailto:ada@example.com",
    "ATTENDEE:mailto:ben@example.com",
)
NEVER_DAILY = NEVER_SECONDLY.replace(
    b"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", b"FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31;COUNT=5"
)
WHOLE_BUDGET = NEVER_SECONDLY.replace(
    b"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", b"FREQ=HOURLY;BYMINUTE=0,10,20,30,40,50"
)
WEEKLY = NEVER_SECONDLY.replace(b"FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", b"FREQ=WEEKLY")


def _parse_ics(data: bytes) -> Callable[[], object]:
    import datetime as dt

    from kithkin.importers.icalendar_events import parse_calendar

    until = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return lambda: parse_calendar(data, "bench.ics", my_addresses=frozenset(), until=until)


def ics_cases() -> dict[str, Callable[[], Callable[[], object]]]:
    size = len(NEVER_SECONDLY)
    return {
        f"ics: FREQ=SECONDLY never matching ({size} B)": lambda: _parse_ics(NEVER_SECONDLY),
        "ics: DAILY;COUNT=5 never matching": lambda: _parse_ics(NEVER_DAILY),
        "ics: a rule spending the whole budget": lambda: _parse_ics(WHOLE_BUDGET),
        f"ics baseline: weekly since 1970 ({len(WEEKLY)} B)": lambda: _parse_ics(WEEKLY),
    }


# vcard (another helper fixes the quadratic; measured here)


def _many_emails() -> bytes:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Ada Lovelace", "N:Lovelace;Ada;;;"]
    lines += [f"EMAIL;TYPE=INTERNET:ada{i}@example.com" for i in range(100_000)]
    return "\r\n".join([*lines, "END:VCARD", ""]).encode()


def _many_cards() -> bytes:
    lines = []
    for i in range(20_000):
        lines += ["BEGIN:VCARD", "VERSION:3.0", f"FN:Person {i}", f"EMAIL:p{i}@example.com"]
        lines += ["END:VCARD"]
    return "\r\n".join([*lines, ""]).encode()


def _parse_vcard(data: bytes) -> Callable[[], object]:
    from kithkin.importers.vcard import parse_vcards

    return lambda: parse_vcards(data, "bench.vcf")


def vcard_cases() -> dict[str, Callable[[], Callable[[], object]]]:
    return {
        "vcard: one card, 100,000 EMAIL lines": lambda: _parse_vcard(_many_emails()),
        "vcard baseline: 20,000 cards, 100,000 lines": lambda: _parse_vcard(_many_cards()),
    }


# zip (another helper caps the compression ratio; measured here)

PREAMBLE = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def _zip(csv_text: str) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("Connections.csv", csv_text)
    path = Path(tempfile.mkdtemp(prefix="kithkin-bench-zip-")) / "export.zip"
    path.write_bytes(buffer.getvalue())
    return path


def _bomb() -> Path:
    row = "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,Poet,01 Jan 2020\n"
    return _zip(PREAMBLE + HEADER + row * (60_000_000 // len(row)))


def _ordinary(compressed: int) -> Path:
    import random

    rng = random.Random(7)
    words = [
        "analytical",
        "engine",
        "poet",
        "navy",
        "compiler",
        "cobol",
        "lovelace",
        "hopper",
        "data",
        "systems",
    ]
    rows, path = [PREAMBLE, HEADER], None
    while True:
        for _ in range(500):
            first, last = rng.choice(words).title(), rng.choice(words).title()
            slug = f"{first}-{last}-{rng.randrange(10**8)}".lower()
            rows.append(
                f"{first},{last},https://www.linkedin.com/in/{slug},,{rng.choice(words).title()}"
                f" Ltd,{rng.choice(words).title()} lead,{rng.randint(1, 28):02d} Mar 2021\n"
            )
        path = _zip("".join(rows))
        if path.stat().st_size >= compressed:
            return path


def _parse_linkedin(path: Path) -> Callable[[], object]:
    """Read the export; refusing it (a ZIP bomb) is the outcome timed, not a failure."""
    from kithkin.importers.linkedin import parse_linkedin
    from kithkin.importers.records import ImportFileError

    def run() -> object:
        try:
            return parse_linkedin(path)
        except ImportFileError as refused:
            return refused

    return run


def zip_cases() -> dict[str, Callable[[], Callable[[], object]]]:
    return {
        "zip: Connections.csv unpacking to 60 MB": lambda: _parse_linkedin(_bomb()),
        "zip baseline: ordinary export, same ZIP size": lambda: _parse_linkedin(
            _ordinary(_bomb().stat().st_size)
        ),
    }


# markdown (web/markdown.py: the length cap)


def _render(text: str, *, full: bool = False) -> Callable[[], object]:
    from kithkin.web import markdown

    if full:  # what rendering once on save would cost that save
        return lambda: markdown._renderer.render(text)
    return lambda: markdown.render_markdown(text)


def _prose(characters: int) -> str:
    paragraph = "Met **Ada** at [PyCon](https://example.org); she asked about _compilers_. "
    return (paragraph * (characters // len(paragraph) + 1))[:characters]


def markdown_cases() -> dict[str, Callable[[], Callable[[], object]]]:
    from kithkin.web.markdown import MAX_MARKDOWN_CHARACTERS as LIMIT

    return {
        "markdown: 400,000 [ as the person page shows it": lambda: _render("[" * 400_000),
        "markdown: 400,000 [ rendered in full (on save)": lambda: _render("[" * 400_000, full=True),
        "markdown: the worst still rendered (`![` + a_ x 4990)": lambda: _render(
            "![" + "a_" * 4990
        ),
        f"markdown: {LIMIT:,} [ (plain text: too many scans)": lambda: _render("[" * LIMIT),
        "markdown baseline: 400,000 characters of prose": lambda: _render(_prose(400_000)),
        f"markdown baseline: {LIMIT:,} characters of prose": lambda: _render(_prose(LIMIT)),
    }


SECTIONS = {"ics": ics_cases, "vcard": vcard_cases, "zip": zip_cases, "markdown": markdown_cases}


def measure(section: str, label: str, runs: int) -> None:
    """In the child: build the input (untimed), run it `runs` times, print the median."""
    _django()
    function = SECTIONS[section]()[label]()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"median_ms": statistics.median(samples)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--measure", nargs=2, metavar=("SECTION", "LABEL"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        measure(*arguments.measure, arguments.runs)
        return
    _django()  # to list the labels (some name a setting)
    for section in arguments.only.split(","):
        for label in SECTIONS[section]():
            command = [sys.executable, str(HERE), "--runs", str(arguments.runs)]
            command += ["--measure", section, label]
            try:
                done = subprocess.run(
                    command, capture_output=True, text=True, timeout=arguments.timeout
                )
            except subprocess.TimeoutExpired:
                print(f"{label:<52} timed out after {arguments.timeout:g} s")
                continue
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{label:<52} failed: {last}")
                continue
            median = json.loads(done.stdout.strip().splitlines()[-1])["median_ms"]
            print(f"{label:<52} median {median:10.1f} ms")


if __name__ == "__main__":
    main()
