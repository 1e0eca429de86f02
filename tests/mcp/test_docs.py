"""docs/mcp.md names every tool and every argument it takes, so the two cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from kithkin.mcp.tools import TOOLS

DOC = Path(__file__).resolve().parents[2] / "docs" / "mcp.md"


def test_every_tool_and_argument_is_documented():
    rows = {
        match[1]: match[2]
        for match in re.finditer(r"^\| `(\w+)` \| (.*?) \|", DOC.read_text(), re.MULTILINE)
    }
    assert set(rows) == set(TOOLS)
    for name, tool in TOOLS.items():
        arguments = set(tool.arguments.model_fields) - {"network"}
        documented = set(re.findall(r"`(\w+)`", rows[name]))
        assert arguments <= documented, (name, arguments - documented)
