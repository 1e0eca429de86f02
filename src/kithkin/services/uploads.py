"""Files uploaded for import, kept in the data directory until applied or discarded.

Each upload (``models.ImportUpload``) has its bytes here under a random name, and once
planned its plan beside them (``<name>.plan``). An upload nobody applies is deleted once it
is ABANDONED_AFTER old, row and files: by the worker's housekeeping job
(kithkin/housekeeping.py, every HOUSEKEEPING_EVERY), and before each new upload. Files no row knows
(left by a crash) go by their age on disk.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from kithkin import files
from kithkin.errors import InvalidInput

ABANDONED_AFTER = dt.timedelta(hours=24)
PLAN_SUFFIX = ".plan"


def folder() -> Path:
    uploads = Path(settings.DATA_DIR) / "uploads"
    files.private_dir(uploads)
    return uploads


def store(chunks: Iterable[bytes], original_name: str, *, limit: int | None = None) -> str:
    """Write an upload under a random name (keeping its suffix); return that name. Past
    ``limit`` bytes the file is deleted and refused, whatever size the client announced."""
    suffix = Path(original_name).suffix.lower()[:10]
    name = f"{secrets.token_hex(16)}{suffix}"
    path = folder() / name
    written = 0
    try:
        with os.fdopen(files.open_private(path), "wb") as target:
            for chunk in chunks:
                written += len(chunk)
                if limit is not None and written > limit:
                    raise InvalidInput("file", f"over {limit // 1024 // 1024} MB")
                target.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return name


def path_of(stored_name: str) -> Path:
    return folder() / stored_name


def plan_path_of(stored_name: str) -> Path:
    return folder() / f"{stored_name}{PLAN_SUFFIX}"


def delete(stored_name: str) -> None:
    """The upload's bytes and its plan."""
    path_of(stored_name).unlink(missing_ok=True)
    plan_path_of(stored_name).unlink(missing_ok=True)


def sweep_abandoned(now: dt.datetime) -> int:
    """Delete the uploads older than ABANDONED_AFTER, rows and files; how many files."""
    from kithkin.models import ImportUpload

    oldest = now - ABANDONED_AFTER
    deleted = 0
    for path in folder().iterdir():  # first the files: a sweep needs no database to free disk
        if path.is_file() and path.stat().st_mtime < oldest.timestamp():
            path.unlink(missing_ok=True)
            deleted += 1
    expired = ImportUpload.objects.filter(created_at__lt=oldest)
    for stored_name in expired.values_list("stored_name", flat=True):
        delete(stored_name)
    expired.delete()
    return deleted
