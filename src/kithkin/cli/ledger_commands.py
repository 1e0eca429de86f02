"""kith give, got, intro, thank, ledger."""

from __future__ import annotations

from collections.abc import Callable

import typer

# Top-level commands ("name": function) and command groups ("name": Typer app) that
# kithkin.cli.app registers.
COMMANDS: dict[str, Callable[..., None]] = {}
GROUPS: dict[str, typer.Typer] = {}
