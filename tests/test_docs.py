"""Docs that cannot drift: every command is documented, and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from kithkin.cli.app import app

ROOT = Path(__file__).resolve().parents[1]


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            names += [f"{name} {sub}" for sub in command.commands]
        else:
            names.append(name)
    return names


def test_every_command_is_in_the_reference():
    reference = (ROOT / "docs" / "cli.md").read_text()
    headings = set(re.findall(r"`kith ([a-z -]+?)(?: [A-Z|.]+)*(?: \[[A-Z]+\])?`", reference))
    missing = [name for name in command_names() if name not in headings]
    assert not missing, f"not documented in docs/cli.md: {missing}"


def test_every_option_of_every_command_is_in_the_reference():
    reference = (ROOT / "docs" / "cli.md").read_text()
    group = typer.main.get_command(app)
    missing = []
    for command in group.commands.values():  # type: ignore[attr-defined]
        for sub in getattr(command, "commands", {"": command}).values():
            for param in sub.params:
                for option in param.opts:
                    if (
                        option.startswith("--")
                        and option not in ("--help",)
                        and f"`{option}" not in reference
                    ):
                        missing.append(f"{sub.name} {option}")
    assert not missing, f"options not documented in docs/cli.md: {missing}"


def test_readme_quick_start_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- quickstart -->")[1].split("<!-- /quickstart -->")[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("```")]
    assert len(commands) == 2
    assert "kith demo" in commands[0]
    assert "pytest" in commands[1]
