"""Backup files and their folder are private: 0600 and 0700 from the moment they exist.

(The security work of issue 18 may bring one helper for every private file; until it
does, this is the backups' own.)"""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(path: Path) -> Path:
    """``path`` as a folder only its owner can enter (created, or tightened, here)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """A new, empty file only its owner can read; an existing one is refused."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)  # whatever the umask
    return path


def publish(partial: Path, target: Path) -> None:
    """Move a finished file into place in one step, so ``target`` is whole or absent."""
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, target)
    os.chmod(target, 0o600)
