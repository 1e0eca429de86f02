"""Reading the files of an export (a folder or a ZIP) within bounds: a ZIP member that
would unpack to far more than its packed size, or to more than any real export holds, is
refused before it is unpacked (a 150 KB "ZIP bomb" unpacking to 60 MB took 117 s and
2.2 GB). ``TooLarge`` refuses the whole import, not only the file."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from kithkin.importers.records import ImportFileError

Reader = Callable[[], bytes]

MAX_MEMBER_BYTES = 256 * 1024 * 1024  # a 30,000-connection export is a few MB
# A ZIP member that unpacks to more than this many times its packed size is refused
# unread (LinkedIn's CSVs pack about 3-6:1; a "ZIP bomb" packs 400:1 and more), once it
# unpacks to more than RATIO_FREE_BYTES, below which any ratio is harmless.
MAX_COMPRESSION_RATIO = 100
RATIO_FREE_BYTES = 1024 * 1024


class TooLarge(ImportFileError):
    """A file of the export is bigger than a real one can be (a ZIP bomb...): the whole
    import is refused, not just that file."""


_UNPACK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    RuntimeError,
    NotImplementedError,
    EOFError,
)


def is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv" and path.is_file()


def file_reader(path: Path) -> Reader:
    def read() -> bytes:
        try:
            return path.read_bytes()
        except OSError as exc:
            raise ImportFileError(str(path), f"cannot be read ({exc.strerror})") from None

    return read


def zip_members(archive: zipfile.ZipFile, where: str) -> dict[str, tuple[str, Reader]]:
    files: dict[str, tuple[str, Reader]] = {}
    for info in sorted(archive.infolist(), key=lambda info: info.filename, reverse=True):
        name = PurePosixPath(info.filename).name.lower()
        if not info.is_dir() and name.endswith(".csv"):
            member = f"{where}/{info.filename}"
            files[name] = (member, member_reader(archive, info, member))
    return files


def member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Reader:
    def read() -> bytes:
        if info.file_size > MAX_MEMBER_BYTES:
            raise TooLarge(where, f"larger than {MAX_MEMBER_BYTES // 2**20} MB unpacked")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FREE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise TooLarge(
                where,
                f"would unpack from {info.compress_size:,} to {info.file_size:,} bytes "
                f"({ratio:,.0f} times larger; LinkedIn's files grow about 5 times, at most "
                f"{MAX_COMPRESSION_RATIO} is read): not a LinkedIn export (a ZIP bomb?), "
                "not imported",
            )
        try:
            return archive.read(info)
        except _UNPACK_ERRORS as exc:
            raise ImportFileError(where, f"cannot be unpacked ({exc})") from None

    return read
