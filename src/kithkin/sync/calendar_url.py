"""Calendar URLs: a calendar's secret iCal address (Google's "secret address in iCal
format", iCloud's public calendar link, any .ics a server publishes), fetched whole.

- *The address is the secret*: the account keeps it encrypted (``source.password()``),
  its settings only the host, its state only a digest of it.
- *Conditional requests.* The ETag and Last-Modified of the last answer are sent back
  (If-None-Match, If-Modified-Since); a 304 is a run that did nothing. They are forgotten
  when the address changes (the state keeps a digest of it, never the secret address).
  When an occurrence read earlier has come (``due``), the file is fetched whatever the
  server would say, so a weekly meeting that never changes is logged each week.
- *Only through ``kithkin.outbound``*: the address someone typed may not reach the
  machine or its private network (``KITH_WEBHOOKS_ALLOW_PRIVATE`` allows it, as for
  webhooks), redirects are not followed, and the body is read up to ``MAX_BYTES``.
- *Reconciled as CalDAV is*, each event (UID) of the file a resource of its own: an
  event gone from the file, or cancelled in it, removes what it made; an event that
  cannot be read keeps what it made and is reported.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ssl
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from kithkin import outbound
from kithkin.digests import secret_digest
from kithkin.sync.calendar_events import (
    Read,
    Window,
    may_write,
    my_addresses,
    read_resource,
    write,
)
from kithkin.sync.outcome import SyncFailure, SyncOutcome, SyncSource

MAX_BYTES = 20 * 1024 * 1024  # a calendar of ten years of meetings is a few MB
TIMEOUT = 30.0


def sync_calendar_url(source: SyncSource) -> SyncOutcome:
    """Fetch the account's calendar URL and reconcile its meetings; ``SyncFailure`` when
    it cannot be fetched (nothing written then)."""
    url = source.password().strip()  # the address is the secret: never in the settings
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if not url:
        raise SyncFailure("no calendar address set for this account", retry=False)
    host = urlsplit(url).hostname or "the calendar's server"
    may_write(source)
    window = Window.of(source)
    kept: dict[str, Any] = source.state.get("calendar_url") or {}
    if kept.get("url") != secret_digest(url):
        kept = {}
    headers = {"Accept": "text/calendar", "User-Agent": "Kithkin calendar sync"}
    due = kept.get("due")
    if not (due and due <= window.now.astimezone(dt.UTC).isoformat()):
        if kept.get("etag"):
            headers["If-None-Match"] = kept["etag"]
        if kept.get("last_modified"):
            headers["If-Modified-Since"] = kept["last_modified"]
    answer = _fetch(url, host, headers)
    outcome = SyncOutcome()
    if answer.status == 304:
        return outcome
    _check(answer, host)
    read = Read()
    read_resource(
        read,
        "",
        answer.body,
        calendar_name=host,
        me=my_addresses(source),
        window=window,
        by_uid=True,
    )

    def update_state(state: dict[str, Any]) -> None:
        state["calendar_url"] = {
            "url": secret_digest(url),
            "etag": answer.headers.get("etag", ""),
            "last_modified": answer.headers.get("last-modified", ""),
            "due": min(read.due.values(), default=None),
        }

    write(
        source,
        calendar="",
        read=read,
        examined=[] if "" in read.unreadable else None,
        window=window,
        outcome=outcome,
        update_state=update_state,
    )
    return outcome


def _fetch(url: str, host: str, headers: dict[str, str]) -> outbound.Fetched:
    try:
        return outbound.get(
            url,
            headers,
            max_bytes=MAX_BYTES,
            timeout=TIMEOUT,
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE,
        )
    except outbound.Refused as exc:
        raise SyncFailure(str(exc), retry=False) from exc
    except outbound.TooLarge as exc:
        raise SyncFailure(f"the calendar is too large: {exc}", retry=False) from exc
    except ssl.SSLCertVerificationError as exc:  # tried again: it may be renewed
        raise SyncFailure(
            f"TLS: the certificate of {host} is not trusted ({exc.verify_message})"
        ) from exc
    except ssl.SSLError as exc:
        raise SyncFailure(f"TLS: could not talk securely with {host}", retry=True) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise SyncFailure(
            f"could not reach {host}, or it dropped the connection", retry=True
        ) from exc


def _check(answer: outbound.Fetched, host: str) -> None:
    status = answer.status
    if status in (401, 403):
        raise SyncFailure(
            f"{host} refused the calendar address ({status}): is it still the secret address?",
            retry=False,
        )
    if status in (404, 410):
        raise SyncFailure(
            f"{host} has no calendar at this address any more ({status})", retry=False
        )
    if 300 <= status < 400:
        where = answer.headers.get("location", "")
        raise SyncFailure(
            f"{host} sends the calendar elsewhere ({status}): use that address instead"
            + (f" ({urlsplit(where).hostname})" if where else ""),
            retry=False,
        )
    if status >= 500 or status == 429:
        raise SyncFailure(f"{host} answered {status}: try again later", retry=True)
    if status != 200:
        raise SyncFailure(f"{host} answered {status} instead of the calendar", retry=False)
