"""The server's access log without feed secrets: a feed's URL is its credential, so the
path of ``/feeds/<secret>/...`` is logged as ``/feeds/…/...``."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

_SECRET = re.compile(r"(/feeds/)[^/?\s]+")


def redact(text: str) -> str:
    """``text`` with every feed secret in it replaced by an ellipsis."""
    return _SECRET.sub(r"\1…", text)


class AccessLogger(Logger):
    """Gunicorn's logger, with feed secrets masked in each access log line's atoms."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        found = super().atoms(resp, req, environ, request_time)
        # the request line, path, query, referer, and the environ's copies of them
        return {
            key: redact(value) if isinstance(value, str) and "/feeds/" in value else value
            for key, value in found.items()
        }
