"""The `kith` command: a thin layer over kithkin.services and kithkin.queries.

Start-up is kept light: `kith --version` answers before anything is imported, and
`kith --help` builds the command tree without Django. Each command sets Django up when it
runs (``context.handle_errors``), so only the work a command does is paid for.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from kithkin import __version__

        sys.stdout.write(f"kith {__version__}\n")
        return
    from kithkin.cli.app import app

    app(prog_name="kith")
