"""Benchmark: imports stay bounded whatever the input. One section per pathological input;
each prints how long refusing or reading it takes. Run:

    .venv/bin/python bench/imports_bounded.py

Tests assert on the clear error or the stored result (tests/importers/); the timings live
here.
"""

from __future__ import annotations

import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from kithkin.importers.records import ImportFileError


def _timed(label: str, run: Callable[[], object]) -> None:
    started = time.perf_counter()
    try:
        run()
        outcome = "read"
    except ImportFileError as error:
        outcome = f"refused: {error.message[:90]}"
    print(f"{label}: {time.perf_counter() - started:.3f} s ({outcome})")


# ZIP members (importers/linkedin.py): compression ratio and lines per member -----------


def linkedin_zip_bomb() -> None:
    """A ~150 KB ZIP whose Connections.csv unpacks to ~60 MB (took 117 s and 2.2 GB before
    the caps), and a real-sized 30,000-connection export for comparison."""
    from kithkin.importers.linkedin import parse_linkedin

    header = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    row = b"Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines,Analyst,09 Oct 2024\n"
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.zip"
        with (
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
            archive.open("Connections.csv", "w") as member,
        ):
            member.write(header)
            for _ in range(80):
                member.write(row * 10_000)
        print(f"bomb: {bomb.stat().st_size:,} bytes on disk")
        _timed("linkedin ZIP bomb (800,000 rows, 60 MB unpacked)", lambda: parse_linkedin(bomb))
        real = Path(folder) / "real.zip"
        rows = b"".join(
            f"Ada{i},Lovelace,https://www.linkedin.com/in/ada-{i},,Engines {i % 997},Analyst,"
            f"09 Oct 2024\n".encode()
            for i in range(30_000)
        )
        with zipfile.ZipFile(real, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("Connections.csv", header + rows)
        _timed("linkedin ZIP of 30,000 real-looking connections", lambda: parse_linkedin(real))


if __name__ == "__main__":
    linkedin_zip_bomb()
