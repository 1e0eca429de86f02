"""What a person sees when a request fails: the server's one answer for every interface.

Django calls ``server_error`` (``handler500``) for any exception a view or middleware
did not handle. A database another process holds past the busy timeout (a large import
on SQLite) is not a bug: it is answered 503 with ``Retry-After``, a full disk 507, each
with one sentence and nothing of the server's paths; anything else stays a 500. The page
is self-contained, without styles: the usual layout would query the database that just
failed.
"""

from __future__ import annotations

import html
import json
import sys

from django.http import HttpRequest, HttpResponse

from kithkin import storage

_MACHINE_PREFIXES = ("/api/", "/mcp/", "/dav/", "/feeds/")
_BROKEN = "Something went wrong on the server; it has been logged. Nothing was saved."


def server_error(request: HttpRequest) -> HttpResponse:
    error = sys.exc_info()[1]
    answer = storage.unavailable(error) if error is not None else None
    if answer is None:
        return _answer(request, 500, "Server error", _BROKEN)
    title = "Busy" if answer.status == 503 else "Disk full"
    response = _answer(request, answer.status, title, answer.message)
    for name, value in answer.headers.items():
        response[name] = value
    return response


def _answer(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith(_MACHINE_PREFIXES):
        body = json.dumps({"detail": message})
        return HttpResponse(body, status=status, content_type="application/json")
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)} · Kithkin</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        '<p><a href="">Try again</a></p></body></html>'
    )
    return HttpResponse(page, status=status, headers={"Cache-Control": "no-store"})
