"""`kith backup` and `kith restore`: a consistent copy of the whole install, checked."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from kithkin.cli.context import database_is_initialised, err, handle_errors, migrate, out
from kithkin.errors import InvalidInput, KithError

PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from this file's first line (else KITH_BACKUP_PASSPHRASE, else a prompt).",
    ),
]


def _passphrase(source: Path | None, *, confirm: bool) -> str:
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise InvalidInput(
                "--passphrase-file", f"cannot read {source}: {exc.strerror}"
            ) from exc
        if not text or not text[0]:
            raise InvalidInput("--passphrase-file", f"{source} is empty")
        return text[0]
    from django.conf import settings

    if settings.BACKUP_PASSPHRASE:
        return str(settings.BACKUP_PASSPHRASE)
    if not os.isatty(0):
        raise KithError(
            "A passphrase is needed: give --passphrase-file or KITH_BACKUP_PASSPHRASE "
            "(no terminal to ask at)."
        )
    return str(typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return ""


def _progress(what: str, done: int, total: int) -> None:
    if err.is_terminal and total:
        err.print(f"\r{what} {100 * done // total}%", end="")


def _print_counts(users: int | None, counts: dict[str, dict[str, int]]) -> None:
    if users is not None:
        out.print(f"  users: {users}")
    for network, numbers in counts.items():
        shown = ", ".join(f"{what.replace('_', '-')} {n}" for what, n in numbers.items())
        out.print(f"  {network}: {shown}")


@handle_errors
def backup(
    file: Annotated[
        Path | None,
        typer.Argument(help="Where to write it (default: the backup folder, named by the time)."),
    ] = None,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Check FILE instead: restore it into a temporary place and count it."
        ),
    ] = False,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Encrypt it with a passphrase.")
    ] = False,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Back up the whole install while it runs (a consistent copy), or --verify a backup."""
    from kithkin.backups import crypto

    if verify:  # needs no install: a backup can be checked anywhere
        if database_is_initialised():
            migrate(quick=True)
        if file is None:
            raise InvalidInput("FILE", "--verify needs the backup file to check")
        from kithkin.backups.restore import verify_backup

        passphrase = None
        if file.is_file() and crypto.is_encrypted(file):
            passphrase = _passphrase(passphrase_file, confirm=False)
        checked = verify_backup(file, passphrase)
        shown = "encrypted " if checked.encrypted else ""
        out.print(f"{checked.path}: a whole {shown}{checked.kind} backup.")
        _print_counts(checked.users, checked.counts)
        if checked.note:
            out.print(f"  ({checked.note})")
        return
    if not database_is_initialised():
        from django.conf import settings

        raise KithError(f"No Kithkin database in {settings.DATA_DIR}: run `kith init` first.")
    migrate(quick=True)
    from kithkin.backups.make import make_backup

    passphrase = _passphrase(passphrase_file, confirm=True) if encrypt else ""
    made = make_backup(file, passphrase=passphrase, progress=_progress)
    if err.is_terminal:
        err.print("\r", end="")
    if made.note:
        err.print(f"Note: {made.note}.")
    locked = ", encrypted" if passphrase else ""
    out.print(f"Backed up to {made.path} ({_size(made.size)}, {made.method}{locked}).")
    err.print(f"Check it whole (restored into a temporary place): kith backup --verify {made.path}")


@handle_errors
def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `kith backup`.")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Restore a backup into an empty data directory or database, then bring it up to date."""
    from kithkin.backups import crypto
    from kithkin.backups.restore import restore_backup

    passphrase = None
    if file.is_file() and crypto.is_encrypted(file):
        passphrase = _passphrase(passphrase_file, confirm=False)
    restored = restore_backup(file, passphrase)
    from kithkin.cli.setup_commands import prepare_storage

    prepare_storage()  # the data directory's secret key, as `kith init` makes it
    then = " and migrated to this version's schema" if restored.migrated else ""
    out.print(f"Restored {file} ({restored.kind}){then}:")
    _print_counts(restored.users, restored.counts)


COMMANDS: dict[str, Callable[..., None]] = {"backup": backup, "restore": restore}
GROUPS: dict[str, typer.Typer] = {}
