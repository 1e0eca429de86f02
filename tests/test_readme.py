"""The README's session and practices blocks, pasted as they are: every `$ kith ...` line runs
in a fresh data directory through a real `kith` process, exits 0 and prints the lines the
README shows under it (dates, which move with today, are compared as dates)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.once  # its processes run on their own SQLite data directory

ROOT = Path(__file__).resolve().parent.parent
KITH = str(Path(sys.executable).parent / "kith")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES = [
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "<date>"),
    (re.compile(rf"\b[A-Z][a-z]+day \d{{1,2}} ({MONTHS}) \d{{4}}\b"), "<day>"),
    (re.compile(rf"\b\d{{1,2}} ({MONTHS})\b"), "<date>"),
]


def block(name: str) -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]


def steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, the output lines shown under it) for each `$ ` line of a block."""
    result: list[tuple[str, list[str]]] = []
    lines = [line for line in text.splitlines() if not line.startswith("```")]
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + lines[index]
                index += 1
            result.append((command, []))
        elif result and line.strip() and "…" not in line:
            result[-1][1].append(line)
    return result


def comparable(line: str) -> str:
    """A line as a pipe prints it and as the README shows it (padded), made alike."""
    line = " ".join(line.replace("\t", " ").split())
    for pattern, placeholder in DATES:
        line = pattern.sub(placeholder, line)
    return line


def in_order(expected: list[str], actual: list[str]) -> bool:
    remaining = iter(actual)
    return all(any(line == seen for seen in remaining) for line in expected)


@pytest.mark.parametrize("blocks", [("session", "practices")])
def test_the_readme_runs_as_written(tmp_path, blocks):
    env = {key: value for key, value in os.environ.items() if not key.startswith("KITH_")}
    env |= {"KITH_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    ran = 0
    for name in blocks:
        for command, shown in steps(block(name)):
            args = shlex.split(command, comments=True)
            assert args[0] == "kith", command
            done = subprocess.run(
                [KITH, *args[1:]],
                env=env,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, (command, done.stderr)
            expected = [comparable(line) for line in shown]
            actual = [comparable(line) for line in done.stdout.splitlines()]
            assert in_order(expected, actual), (command, expected, actual)
            ran += 1
    assert ran >= 25
