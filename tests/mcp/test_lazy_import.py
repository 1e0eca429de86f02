"""The MCP SDK (and Starlette, uvicorn... under it) loads only when `kith mcp` runs or the
server answers /mcp/: never for `kith --help`, `kith mcp --help` or another command."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from typer.testing import CliRunner
from kithkin.cli.app import app

result = CliRunner().invoke(app, {args!r})
assert result.exit_code == 0, result.output
print(sorted(m for m in sys.modules if m.split(".")[0] in ("mcp", "starlette", "uvicorn")
             or m.startswith("kithkin.mcp")))
"""


def _loaded_by(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_kith_help_loads_no_mcp():
    assert _loaded_by("--help") == "[]"


def test_kith_mcp_help_loads_no_mcp():
    assert _loaded_by("mcp", "--help") == "[]"


def test_the_check_sees_mcp_once_it_is_imported():
    script = "import mcp.types, kithkin.mcp\n" + SCRIPT.format(args=["--help"])
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert "'mcp'" in done.stdout and "'kithkin.mcp'" in done.stdout
