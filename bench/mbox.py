"""Benchmark: parse_mbox on a large synthetic archive, beside a raw-read baseline.

    .venv/bin/python bench/mbox.py [--megabytes 500] [--runs 3]

The archive is written once by kithkin.importers.mbox.generate_mbox and cached under
bench/.cache/ (delete it to regenerate). Figures printed, best of --runs, same run:

- raw baseline: read the file in 1 MB chunks and count b"\\nFrom " (the floor of any
  parser: it has to read every byte at least once);
- parse_mbox: messages found, headers decoded, records built.

Target: parse_mbox at 50 MB/s or more.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from kithkin.importers.mbox import generate_mbox, parse_mbox
from kithkin.importers.records import ParseResult

HERE = Path(__file__).resolve().parent
TARGET_MB_S = 50.0
ME = frozenset({"me@example.com"})


def archive(megabytes: int) -> Path:
    path = HERE / ".cache" / f"mbox-{megabytes}mb.mbox"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        started = time.perf_counter()
        count = generate_mbox(partial, megabytes * 1_000_000)
        partial.rename(path)
        print(f"generated {path.name}: {count:,} messages in {time.perf_counter() - started:.1f} s")
    return path


def raw_count(path: Path) -> int:
    found, tail = 0, b""
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            found += (tail + chunk).count(b"\nFrom ")
            tail = chunk[-5:]  # a separator split across two chunks
    return found


def best(function: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    path = archive(arguments.megabytes)
    megabytes = path.stat().st_size / 1_000_000
    raw_count(path)  # warm the page cache once, for both
    raw_seconds, separators = best(lambda: raw_count(path), arguments.runs)
    parse_seconds, result = best(lambda: parse_mbox(path, my_addresses=ME), arguments.runs)
    assert isinstance(result, ParseResult)
    messages = len(result.interactions) + len(result.skipped) + len(result.errors)
    parse_rate, raw_rate = megabytes / parse_seconds, megabytes / raw_seconds
    print(f"archive: {megabytes:,.0f} MB, {messages:,} messages ({separators:,} raw b'\\nFrom ')")
    print(f"  {len(result.interactions):,} interactions, {len(result.skipped):,} skipped")
    print(f"raw baseline (1 MB reads, count)  {raw_seconds:6.2f} s  {raw_rate:8.0f} MB/s")
    print(f"parse_mbox                        {parse_seconds:6.2f} s  {parse_rate:8.0f} MB/s")
    print(f"parse_mbox / raw                  {parse_seconds / raw_seconds:6.1f}x the time")
    met = parse_rate >= TARGET_MB_S
    print(f"{'met ' if met else 'MISS'}  parse_mbox >= {TARGET_MB_S:.0f} MB/s")


if __name__ == "__main__":
    main()
