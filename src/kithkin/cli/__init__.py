"""The `kith` command: a thin layer over kithkin.services and kithkin.queries."""

from __future__ import annotations

import sys


def main() -> None:
    from kithkin.cli.context import setup_django
    from kithkin.errors import KithError

    try:
        setup_django()  # models must be importable before the commands load
    except KithError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        raise SystemExit(2) from None
    from kithkin.cli.app import app

    app(prog_name="kith")
