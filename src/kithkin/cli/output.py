"""Where every command's output goes, and how it looks on a terminal and in a pipe.

On a terminal, tables are Rich tables that fit the width. When stdout is not a terminal
(``kith today | grep nerves``, ``kith people | cut -f2``), every table prints one record per
line: its cells separated by tabs, never wrapped or padded, a cell's own line breaks
joined with " · ". Titles stay on their own line; column headers are left out so that each
line below a title is a record. ``--json`` (one option, ``JsonOption``) is the same
everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated, Any

import typer
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

JSON_HELP = "Print JSON (see docs/cli.md)."
# The one --json option every reading command takes: `as_json: JsonOption = False`.
JsonOption = Annotated[bool, typer.Option("--json", help=JSON_HELP)]

LINE_BREAK = " · "  # what a line break inside a cell becomes in a pipe


def _plain(cell: RenderableType | None) -> str:
    if cell is None:
        return ""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.splitlines()]
    return LINE_BREAK.join(line for line in lines if line)


def records(table: Table) -> list[str]:
    """The table's rows as tab-separated lines (what a pipe receives)."""
    columns = [list(column.cells) for column in table.columns]
    return [
        "\t".join(_plain(cells[row]) if row < len(cells) else "" for cells in columns)
        for row in range(table.row_count)
    ]


class Output(Console):
    """A Rich console that prints tables as records when it is not writing to a terminal."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if self.is_terminal or not any(isinstance(o, Table) for o in objects):
            super().print(*objects, **kwargs)
            return
        for thing in objects:
            if not isinstance(thing, Table):
                super().print(thing, **kwargs)
                continue
            if thing.title:
                super().print(_plain(thing.title), soft_wrap=True)
            for line in records(thing):
                # write the line as it is: no markup, no wrapping, no highlighting
                self.file.write(line + "\n")
            self.file.flush()


# Markup is off: names, notes and summaries are the user's text and print as typed.
# Style with rich.text.Text, never with "[bold]" strings.
# soft_wrap: a message is printed whole (a terminal wraps it for the eye), so a command
# in it stays copy-pasteable; tables still fit the width.
out = Output(highlight=False, markup=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)


def is_piped() -> bool:
    """Whether stdout goes to a pipe or a file rather than a terminal."""
    return not out.is_terminal


def print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_shape(value: Any) -> None:
    """Print a shape of ``kithkin.schemas`` (or a list of them) as JSON: every `--json`
    goes through here. The schemas (pydantic) are imported only now, never at start-up."""
    from kithkin.schemas.base import dump

    print_json(dump(value))


def local_moment(moment: dt.datetime | None, time_zone: str) -> str:
    """``moment`` as "YYYY-MM-DD HH:MM" in ``time_zone``; "never" for None."""
    import zoneinfo

    if moment is None:
        return "never"
    return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).strftime("%Y-%m-%d %H:%M")
