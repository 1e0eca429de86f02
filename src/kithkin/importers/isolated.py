"""Reading an uploaded file in a child process that is killed when it runs out of time.

Import files come from the web from any signed-up user, and a parser is pure Python on
bytes someone else chose: a bug or an input nobody foresaw can make it run for minutes.
A thread cannot be stopped, a process can, so the web reads uploads here: a fresh child
(spawned, never forked from a threaded worker) parses the file and sends the records
back; past `seconds` it is killed and the file is refused with a clear message. Parsing
never writes, so nothing is written either way. The plan and the apply stay in the
request, whose database time the server already bounds (KITH_REQUEST_TIMEOUT).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

# The child imports this module before Django is set up: nothing here may load models.
from kithkin.importers.records import ImportFileError, ParseResult

if TYPE_CHECKING:
    from kithkin.importers.formats import ImportContext


def parse_within(
    format_name: str, path: Path, context: ImportContext, *, seconds: float
) -> ParseResult:
    """`formats.parse` in a child process, given at most `seconds` to finish."""
    spawn = multiprocessing.get_context("spawn")
    receiver, sender = spawn.Pipe(duplex=False)
    child = spawn.Process(
        target=_parse_in_child,
        args=(sender, format_name, str(path), sorted(context.my_addresses), context.until),
        name="kithkin-import-reader",
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ImportFileError(
                str(path),
                f"reading it took longer than {seconds:g} s, so it was stopped: nothing was "
                "written. Split the file, or import it with `kith import` on the server.",
            )
        kind, payload = receiver.recv()
    except EOFError:
        message = "the reader stopped before the end: nothing was written."
        raise ImportFileError(str(path), message) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "error":
        raise ImportFileError(*payload)
    assert isinstance(payload, ParseResult)
    return payload


def _parse_in_child(
    sender: Connection, format_name: str, path: str, mine: list[str], until: dt.datetime
) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kithkin.settings")
    import django

    django.setup()
    from kithkin.importers.formats import ImportContext, parse

    context = ImportContext(my_addresses=frozenset(mine), until=until)
    try:
        sender.send(("ok", parse(format_name, Path(path), context)))
    except ImportFileError as error:
        sender.send(("error", (error.path, error.message, error.line)))
    except Exception as error:  # a parser's bug: said, never a crash of the page
        sender.send(("error", (path, f"could not be read ({type(error).__name__}: {error})", None)))
    finally:
        sender.close()
