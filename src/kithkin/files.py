"""Kithkin's files are private: the data directory 0700, every file in it 0600.

The database holds password hashes, session keys and everything known about other people;
the data directory also holds the secret key, uploads waiting to be imported and backups.
So:

- every Kithkin process creates files with umask 077 (``restrict_umask``, called when the
  CLI sets Django up and by the WSGI entry point): SQLite creates the database, its -wal
  and -shm itself, and gets 0600 (it also gives a -wal and -shm the mode of the database);
- a file written on purpose (an upload, its plan, a backup) is created 0600 by
  ``private_file`` / ``write_private``, whatever the umask;
- at start (`kith init`, `kith serve`, every command that opens the database) an
  existing install with looser modes is tightened by ``secure_data_dir``, which says what
  it changed in one line (``describe``).

Other modules writing into the data directory use ``private_dir`` and ``private_file``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077
# SQLite's companions of a database file.
DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")
# What Kithkin keeps in its data directory: only these are made private, so a data
# directory set to a folder that holds other things (KITH_DATA_DIR=~/Documents) keeps
# theirs. Files whose name starts with "kithkin" count too (the database and companions).
OWN_FILES = frozenset({"secret_key", "demo-login.txt"})
OWN_FOLDERS = frozenset({"uploads", "backups"})


def restrict_umask() -> None:
    """Files and folders this process creates from now on are its user's alone."""
    os.umask(UMASK)


def private_dir(path: Path) -> bool:
    """Create ``path`` (and its parents) if missing; make it 0700. Whether a mode changed."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return _restrict(path, DIR_MODE)


def private_file(path: Path) -> bool:
    """Make an existing file 0600 (nothing when it does not exist). Whether it changed."""
    return _restrict(path, FILE_MODE)


def open_private(path: Path, *, exclusive: bool = True) -> int:
    """A file descriptor for writing ``path``, created 0600 whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    descriptor = os.open(path, flags, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)  # an existing file (not exclusive) keeps its mode else
    return descriptor


def new_private_file(path: Path) -> Path:
    """Create ``path`` empty and 0600; refused (FileExistsError) when it exists."""
    os.close(open_private(path))
    return path


def publish(partial: Path, target: Path) -> None:
    """Move a finished file into place in one step, so ``target`` is whole or absent."""
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(partial, target)
    os.chmod(target, FILE_MODE)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (replacing it), the file 0600."""
    with os.fdopen(open_private(path, exclusive=False), "wb") as target:
        target.write(data)


def secure_data_dir(data_dir: Path, database: Path | None = None) -> list[Path]:
    """Make the data directory and every folder under it 0700, every file 0600, and the
    SQLite ``database`` and its -wal, -shm and -journal 0600 wherever it lives. Returns
    what was changed."""
    changed: list[Path] = []
    if data_dir.is_dir():
        changed += [path for path, mode in kithkin_paths(data_dir) if _restrict(path, mode)]
    if database is not None:
        for suffix in DATABASE_SUFFIXES:
            path = Path(f"{database}{suffix}")
            if path not in changed and _restrict(path, FILE_MODE):
                changed.append(path)
    return changed


def kithkin_paths(data_dir: Path) -> list[tuple[Path, int]]:
    """Kithkin's own folders and files in ``data_dir`` (itself included), each with the
    mode it must have at most: OWN_FILES, files named kithkin*, OWN_FOLDERS and all in
    them."""
    found: list[tuple[Path, int]] = [(data_dir, DIR_MODE)]
    for entry in sorted(data_dir.iterdir()):
        if entry.is_symlink():
            continue
        if entry.is_file() and (entry.name in OWN_FILES or entry.name.startswith("kithkin")):
            found.append((entry, FILE_MODE))
        elif entry.is_dir() and entry.name in OWN_FOLDERS:
            found.append((entry, DIR_MODE))
            for folder, dirs, names in os.walk(entry):
                base = Path(folder)
                found += [(base / name, DIR_MODE) for name in dirs]
                found += [(base / name, FILE_MODE) for name in names]
    return found


def describe(changed: Iterable[Path], data_dir: Path) -> str | None:
    """The one line saying what ``secure_data_dir`` changed, or None."""
    paths = list(changed)
    if not paths:
        return None
    shown = ", ".join(str(path) for path in paths[:3]) + (" ..." if len(paths) > 3 else "")
    return (
        f"Made {len(paths)} file{'s' if len(paths) != 1 else ''} of {data_dir} private "
        f"(folders 0700, files 0600; they were readable by others): {shown}"
    )


def is_private(path: Path) -> bool:
    """Whether nobody but the owner may read, write or enter ``path``."""
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def _restrict(path: Path, mode: int) -> bool:
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode):
        return False  # a link's target is not ours to change
    if stat.S_IMODE(info.st_mode) & ~mode:
        try:
            os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
        except PermissionError:  # another user's file: `kith doctor` reports it
            return False
        return True
    return False
