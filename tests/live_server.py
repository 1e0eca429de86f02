"""The test server pytest-django's ``live_server`` starts, made safe for SQLite.

On SQLite the test database lives in memory, so pytest-django hands the server the test's
own connection, and Django's threaded server gives that one connection to every request
thread (``ThreadedWSGIServer.connections_override``). Two requests at once — a page and
its photos, a page and a script's fetch — then run their queries, transactions and
savepoints interleaved on one connection, and one of them can fail for reasons no real
server has (``kith serve`` gives each thread its own connection). So on that database
requests are served one at a time: each holds a lock while Django answers it and while
its body is read. PostgreSQL's test database is shared by ordinary connections, one per
thread, and is left as Django runs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

_ONE_AT_A_TIME = threading.Lock()


class OneRequestAtATime(ThreadedWSGIServer):
    def get_app(self) -> Callable[..., Iterable[bytes]]:
        app = super().get_app()
        if not self.connections_override:  # each thread has a connection of its own
            return app

        def serialized(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            with _ONE_AT_A_TIME:
                result = app(environ, start_response)
                try:
                    return list(result)  # a streamed body reads the database too
                finally:
                    close = getattr(result, "close", None)
                    if close is not None:
                        close()

        return serialized


def install() -> None:
    LiveServerThread.server_class = OneRequestAtATime
