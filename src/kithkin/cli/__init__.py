"""The `kith` command: a thin layer over kithkin.services and kithkin.queries.

Start-up is kept light: `kith --version` answers before anything is imported; `kith
--help` lists the commands from ``commands.INDEX`` without importing any of them (nor
Django, nor Rich); a command imports only its own module (``commands.lazy_app``) and sets
Django up when it runs (``context.handle_errors``), so only the work a command does is
paid for.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from kithkin import __version__

        sys.stdout.write(f"kith {__version__}\n")
        return
    from kithkin.cli.commands import lazy_app

    lazy_app(sys.argv[1:])(prog_name="kith")
