"""Secrets never reach a log: URLs that are credentials, query strings, Authorization.

A URL under ``/invitations/<token>/`` or ``/feeds/<secret>/`` is a live credential (the
token alone grants access), a query string carries what people search for and the text
of a message template being previewed, and an ``Authorization`` header holds an API
token. Every log line Kithkin writes goes through ``redact``:

- Django's and Kithkin's own records, through the ``RedactSecrets`` filter that
  settings.LOGGING puts on its handlers (``django.request`` says "Not Found: <path>");
- gunicorn's access log and error log (`kith serve`), through
  ``gunicorn_logging.GunicornLogger``, which redacts every atom of an access-log line
  (request line, path, query, referer, headers, environ) before it is formatted.

A new URL whose path segment is a secret adds its first segment to ``SECRET_PATHS`` here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

REDACTED = "[redacted]"
# /<prefix>/<secret>/...: the segment after the prefix is the secret.
SECRET_PATHS = ("invitations", "feeds")
# Headers whose value is a credential, as gunicorn names them in its atoms.
SECRET_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-csrftoken"})
SECRET_ENVIRON = frozenset(
    {"http_authorization", "http_cookie", "http_proxy_authorization", "query_string"}
)

_SECRET_SEGMENT = re.compile("(/(?:" + "|".join(SECRET_PATHS) + r")/)[^/?#\s\"']+")
_QUERY = re.compile(r"\?[^\s\"'#]+")
_BEARER = re.compile(r"\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_AUTHORIZATION = re.compile(r"(authorization['\"]?\s*[:=]\s*['\"]?)[^'\"\n,}]+", re.IGNORECASE)
_TOKEN = re.compile(r"\bkith_[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    """``text`` with secret path segments, query strings, Authorization values and API
    tokens replaced by ``[redacted]``."""
    if not text:
        return text
    text = _SECRET_SEGMENT.sub(rf"\1{REDACTED}", text)
    text = _QUERY.sub(f"?{REDACTED}", text)
    text = _AUTHORIZATION.sub(rf"\1{REDACTED}", text)
    text = _BEARER.sub(rf"\1 {REDACTED}", text)
    return _TOKEN.sub(f"kith_{REDACTED}", text)


class RedactSecrets(logging.Filter):
    """A handler filter: the record's message, formatted, then redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return True


def redact_atoms(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """Gunicorn's access-log atoms with every secret taken out."""
    cleaned: dict[str, Any] = {}
    for key, value in atoms.items():
        name = key.lower()
        if (
            (name.startswith("{") and name.endswith("}i") and name[1:-2] in SECRET_HEADERS)
            or (name.startswith("{") and name.endswith("}e") and name[1:-2] in SECRET_ENVIRON)
            or (name == "q" and value)
        ):
            cleaned[key] = REDACTED
        elif isinstance(value, str):
            cleaned[key] = redact(value)
        else:
            cleaned[key] = value
    return cleaned
