"""Pydantic is heavy to import, and building the shapes costs more: the CLI loads the
schemas only on the path that prints JSON, never for `kith --help` or a command's help.
(Typer itself imports pydantic once a subcommand is parsed: only `kith --help` is free of
it.)"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from typer.testing import CliRunner
from kithkin.cli.app import app

result = CliRunner().invoke(app, {args!r})
assert result.exit_code == 0, result.output
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "ninja")
             or m.startswith("kithkin.schemas")))
"""


def _loaded_by(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_kith_help_loads_no_schema():
    assert _loaded_by("--help") == "[]"


def test_a_command_help_loads_no_schema():
    assert "kithkin.schemas" not in _loaded_by("today", "--help")


def test_the_schemas_are_what_json_loads():
    """The check above can fail: the same script sees the schemas once JSON is printed."""
    script = "from kithkin.schemas.base import dump\n" + SCRIPT.format(args=["--help"])
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "kithkin.schemas.base" in done.stdout and "pydantic" in done.stdout
