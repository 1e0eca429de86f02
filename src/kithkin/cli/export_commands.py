"""`kith export FORMAT`: the current network in any format of ``exporters.EXPORT_FORMATS``."""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import Annotated

import typer

from kithkin.cli.context import err, handle_errors, session
from kithkin.errors import InvalidInput
from kithkin.exporters import EXPORT_FORMATS

NAMES = f"{', '.join(list(EXPORT_FORMATS)[:-1])} or {list(EXPORT_FORMATS)[-1]}"
VCARD_VERSIONS = {"3": "3.0", "4": "4.0", "3.0": "3.0", "4.0": "4.0"}


@handle_errors
def export(
    format_name: Annotated[str, typer.Argument(metavar="FORMAT", help=f"{NAMES}.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (default: standard output)."),
    ] = None,
    vcard_version: Annotated[str, typer.Option("--vcard-version", help="4 (default) or 3.")] = "4",
) -> None:
    """Export the current network: vCard 4.0 (or 3.0), CSV, or lossless Kithkin JSON."""
    from kithkin.transfer import export_network

    fmt = format_name.lower()
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput("FORMAT", f"{format_name!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if vcard_version not in VCARD_VERSIONS:
        raise InvalidInput("--vcard-version", f"{vcard_version!r}: use 4 or 3")
    ctx = session()
    version = VCARD_VERSIONS[vcard_version] if fmt == "vcard" else ""
    text = export_network(ctx.network, ctx.user, fmt, version=version).body
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise  # a full disk: handle_errors says so, with its own exit code
        raise InvalidInput("--output", f"cannot write {output}: {exc.strerror}") from exc
    err.print(f"Exported {ctx.network.name} to {output}.")
