"""``GET /feeds/<secret>/calendar.ics``: no sign-in, the secret is the credential.

Unknown, revoked, or a user who left the network: 404, the same answer for each (nothing
tells a guesser which). The secret is in the path, so nothing here or below logs the path:
Django's "Not Found: <path>" warning is skipped for these answers, and ``redact`` masks it
in the server's access log. Answers carry an ETag (304 on If-None-Match) and may be cached
by the calendar only, briefly.
"""

from __future__ import annotations

import hashlib
import logging

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from kithkin.feeds.calendar import to_ical
from kithkin.queries.feed import FeedEntry, calendar_feed
from kithkin.services.feeds import open_feed

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, max-age=300"

_log = logging.getLogger(__name__)


def _unlogged(response: HttpResponse) -> HttpResponse:
    # django.request logs every answer of 400 and more with its path: the secret.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _not_found() -> HttpResponse:
    response = HttpResponse(b"No such feed.\n", status=404, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return _unlogged(response)


@csrf_exempt
def calendar(request: HttpRequest, secret: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _unlogged(HttpResponseNotAllowed(["GET", "HEAD"]))
    opened = open_feed(secret)
    if opened is None:
        return _not_found()

    def link(entry: FeedEntry) -> str:
        name, args = entry.page
        return request.build_absolute_uri(reverse(name, args=args))

    try:
        feed = calendar_feed(opened.network, opened.user, titles_only=opened.feed.titles_only)
        body = to_ical(feed, host=request.get_host().split(":")[0], link=link)
    except Exception:  # logged by the feed's id: Django's own log would name the path
        _log.exception("calendar feed %s failed", opened.feed.pk)
        return _unlogged(HttpResponse(b"The feed failed.\n", status=500, content_type="text/plain"))
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in wanted or f"W/{etag}" in wanted:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Referrer-Policy"] = "no-referrer"
    return response
