"""Files uploaded for import, kept in the data directory until confirmed or cancelled.

An upload nobody confirms is deleted once it is ABANDONED_AFTER old: by every `kith serve`
worker's housekeeping (server.py, every HOUSEKEEPING_EVERY), and before each new upload.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

ABANDONED_AFTER = dt.timedelta(hours=24)


def folder() -> Path:
    uploads = Path(settings.DATA_DIR) / "uploads"
    uploads.mkdir(parents=True, exist_ok=True, mode=0o700)
    return uploads


def store(chunks: Iterable[bytes], original_name: str) -> str:
    """Write an upload under a random name (keeping its suffix); return that name."""
    suffix = Path(original_name).suffix.lower()[:10]
    name = f"{secrets.token_hex(16)}{suffix}"
    with open(folder() / name, "wb") as target:
        for chunk in chunks:
            target.write(chunk)
    return name


def sweep_abandoned(now: dt.datetime) -> int:
    """Delete the uploads older than ABANDONED_AFTER; how many were deleted."""
    oldest = (now - ABANDONED_AFTER).timestamp()
    deleted = 0
    for path in folder().iterdir():
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
