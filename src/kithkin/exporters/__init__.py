"""Formats out: vCard, CSV and Kithkin's own lossless JSON. Each is read-only.

``EXPORT_FORMATS`` is the one list of what can be exported: `kith export FORMAT`, the web's
download links and the API iterate it (through ``transfer.export_network``). A
writer module is imported only when its format is written, so listing the formats is cheap.
Every writer reads inside ``snapshot.one_snapshot()``: one read transaction, so an export
taken while others write is the network as of one moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kithkin.models import Network


@dataclass(frozen=True)
class ExportFormat:
    """One format out. ``versions``: the versions the writer can write, the default first
    (none: one version only); ``write(network, version)`` returns the whole file."""

    name: str
    label: str
    extension: str  # the file name's ending, dot included
    content_type: str
    write: Callable[[Network, str], str]
    versions: tuple[str, ...] = ()


def _vcard(network: Network, version: str) -> str:
    from kithkin.exporters.snapshot import one_snapshot
    from kithkin.exporters.vcard import export_vcards

    with one_snapshot():
        return export_vcards(network, version=version or "4.0")


def _csv(network: Network, version: str) -> str:
    from kithkin.exporters.csv_export import export_csv
    from kithkin.exporters.snapshot import one_snapshot

    with one_snapshot():
        return export_csv(network)


def _json(network: Network, version: str) -> str:
    from kithkin.exporters.kithkin_json import export_json

    return export_json(network)


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("vcard", "vCard (.vcf)", ".vcf", "text/vcard", _vcard, ("4.0", "3.0")),
        ExportFormat("csv", "Spreadsheet (.csv)", ".csv", "text/csv", _csv),
        ExportFormat("json", "Kithkin JSON", ".kithkin.json", "application/json", _json),
    )
}
