"""`kith export FORMAT`: the current network as vCard, CSV or Kithkin JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kithkin.cli.context import err, handle_errors, session
from kithkin.errors import InvalidInput

FORMATS = ("vcard", "csv", "json")


@handle_errors
def export(
    format_name: Annotated[str, typer.Argument(metavar="FORMAT", help="vcard, csv or json.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (default: standard output)."),
    ] = None,
    vcard_version: Annotated[str, typer.Option("--vcard-version", help="4 (default) or 3.")] = "4",
) -> None:
    """Export the current network: vCard 4.0 (or 3.0), CSV, or lossless Kithkin JSON."""
    from kithkin.exporters.csv_export import export_csv
    from kithkin.exporters.kithkin_json import export_json
    from kithkin.exporters.vcard import export_vcards

    fmt = format_name.lower()
    if fmt not in FORMATS:
        raise InvalidInput("FORMAT", f"{format_name!r} is not one of {', '.join(FORMATS)}")
    if vcard_version not in {"3", "4", "3.0", "4.0"}:
        raise InvalidInput("--vcard-version", f"{vcard_version!r}: use 4 or 3")
    ctx = session()
    if fmt == "vcard":
        text = export_vcards(ctx.network, version="3.0" if vcard_version.startswith("3") else "4.0")
    elif fmt == "csv":
        text = export_csv(ctx.network)
    else:
        text = export_json(ctx.network)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput("--output", f"cannot write {output}: {exc.strerror}") from exc
    err.print(f"Exported {ctx.network.name} to {output}.")
