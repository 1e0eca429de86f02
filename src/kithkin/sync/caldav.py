"""CalDAV accounts: the chosen calendars of a server, read incrementally.

- *Discovery.* ``settings["url"]`` is the server's address, a principal's or a calendar's:
  the caldav library finds the principal (current-user-principal) and its calendars.
  ``settings["calendars"]`` chooses them by URL, path or name; when empty, every calendar
  -- or only the one the URL names, when it names a calendar.
- *Incremental.* Each calendar keeps its RFC 6578 sync token and the ETag of each resource
  (``state["calendars"][<path>]``). A run asks what changed since the token; a server that
  keeps no tokens, or no longer knows ours, is listed whole (href and ETag) and compared
  with the ETags kept. Only resources whose ETag changed are fetched (calendar-multiget),
  plus those whose next occurrence has come (``due``: a series logs each meeting when it
  has happened) and those that could not be read last time.
- *One transaction per calendar.* Everything a calendar says is fetched first; then its
  meetings are written and the account's state saved together
  (``calendar_events.write``). A connection that drops midway writes nothing of that
  calendar; calendars synced before it stay synced, and the next run goes on from there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from kithkin.importers.records import stored_id
from kithkin.sync.calendar_events import (
    Read,
    Window,
    may_write,
    my_addresses,
    read_resource,
    write,
)
from kithkin.sync.outcome import SyncFailure, SyncOutcome, SyncSource

TIMEOUT = 30  # seconds, per request
FETCH_BATCH = 100  # resources per calendar-multiget


def sync_caldav(source: SyncSource) -> SyncOutcome:
    """Sync the account's chosen calendars; see the module docstring. ``SyncFailure``
    when the run could not finish (what was written before it stays, with its state)."""
    from caldav.davclient import DAVClient

    url = str(source.settings.get("url") or "").strip()
    if not url:
        raise SyncFailure("no CalDAV address set for this account", retry=False)
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise SyncFailure(
            f"the CalDAV address must start with https:// (or http://): {url!r}", retry=False
        )
    host = urlsplit(url).hostname or url
    may_write(source)
    window = Window.of(source)
    me = my_addresses(source)
    outcome = SyncOutcome()
    with _failures(host):
        client = DAVClient(
            url=url,
            username=str(source.settings.get("username") or "") or None,
            password=source.password() or None,
            timeout=TIMEOUT,
        )
        calendars = _chosen(client, url, source.settings.get("calendars") or [], outcome)
        for calendar in calendars:
            _sync_calendar(source, calendar, window, me, outcome)
    return outcome


@contextlib.contextmanager
def _failures(host: str) -> Iterator[None]:
    """The library's and the network's errors as one line a person can act on."""
    from caldav.lib import error

    try:
        yield
    except SyncFailure:
        raise
    except error.AuthorizationError as exc:
        if exc.status == 401 or "unauthorized" in str(exc.reason).lower():
            raise SyncFailure(f"{host} refused the user name or password", retry=False) from exc
        raise SyncFailure(f"{host} refused access: {exc.reason}", retry=False) from exc
    except error.DAVError as exc:
        raise SyncFailure(f"{host} answered an error: {exc.reason}", retry=True) from exc
    except OSError as exc:  # niquests' errors are OSErrors
        untrusted = _untrusted(exc)
        if untrusted is not None:  # tried again: the server's certificate may be renewed
            raise SyncFailure(f"TLS: the certificate of {host} is not trusted{untrusted}") from exc
        if _is_tls(exc):
            raise SyncFailure(f"TLS: could not talk securely with {host}", retry=True) from exc
        raise SyncFailure(
            f"could not reach {host}, or it dropped the connection", retry=True
        ) from exc


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was caused by, wrapped in or given as a reason
    (urllib3 and niquests nest the TLS error several levels down)."""
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack += [current.__cause__, current.__context__, getattr(current, "reason", None)]
        stack += list(getattr(current, "args", ()))


def _untrusted(exc: BaseException) -> str | None:
    """None when the certificate is not what failed; else why it is not trusted, as
    " (self-signed certificate)" (or "" when the library does not say)."""
    found = None
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError) and cause.verify_message:
            return f" ({cause.verify_message})"
        if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            cause
        ):
            said = re.search(r"certificate verify failed: ([^()]+?)\s*\(", str(cause))
            found = found or (f" ({said.group(1)})" if said else "")
    return found


def _is_tls(exc: BaseException) -> bool:
    return any(
        isinstance(cause, ssl.SSLError) or type(cause).__name__ == "SSLError"
        for cause in _causes(exc)
    )


def _path(url: Any) -> str:
    return unquote(urlsplit(str(url)).path)


def _chosen(client: Any, url: str, chosen: list[str], outcome: SyncOutcome) -> list[Any]:
    """The calendars to sync: those ``chosen`` names (URL, path or display name), else
    the one ``url`` names, else all of the principal's."""
    calendars = list(client.principal().calendars())
    if not chosen:
        named = [c for c in calendars if _path(c.url).rstrip("/") == _path(url).rstrip("/")]
        return named or calendars
    found = []
    for wanted in chosen:
        text = str(wanted).strip()
        match = [
            c
            for c in calendars
            if text in (str(c.url), _path(c.url))
            or _path(text).rstrip("/") == _path(c.url).rstrip("/")
            or text.casefold() == str(_name(c)).casefold()
        ]
        if not match:
            outcome.problems.append(f"calendar {text!r} is not on the server: not synced")
        found += [c for c in match if c not in found]
    return found


def _name(calendar: Any) -> str:
    try:
        return str(calendar.get_display_name() or "") or _path(calendar.url)
    except Exception:  # a server without display names
        return _path(calendar.url)


@dataclass
class _Listing:
    token: str | None
    etags: dict[str, str] = field(default_factory=dict)  # href -> ETag, changed or all
    deleted: set[str] = field(default_factory=set)
    whole: bool = False  # every resource listed: any other href kept is gone


def _listing(calendar: Any, token: str | None) -> _Listing:
    """What changed since ``token`` (RFC 6578), else every resource with its ETag."""
    from caldav.lib import error

    if token:
        try:
            found = calendar.get_objects_by_sync_token(
                token, load_objects=False, disable_fallback=True
            )
            return _of(found, whole=False)
        except error.DAVError as exc:
            if exc.status == 401:
                raise
            # an expired token (403/412 valid-sync-token) or no support: list it all
    try:
        found = calendar.get_objects_by_sync_token(None, load_objects=False, disable_fallback=True)
        return _of(found, whole=True)
    except error.DAVError as exc:
        if exc.status == 401:
            raise
    # No sync-collection at all: the library lists every resource (PROPFIND for ETags).
    found = calendar.get_objects_by_sync_token(None, load_objects=False)
    listing = _of(found, whole=True)
    listing.token = None
    return listing


def _of(found: Any, *, whole: bool) -> _Listing:
    deleted = {_path(url) for url in found.deleted_urls}
    etags: dict[str, str] = {}
    for resource in found.objects:
        href = _path(resource.url)
        if href in deleted or href.endswith("/"):
            continue
        etags[href] = str(resource.props.get("{DAV:}getetag") or "")
    token = found.sync_token
    return _Listing(
        str(token) if token and not str(token).startswith("fake-") else None, etags, deleted, whole
    )


def _sync_calendar(
    source: SyncSource, calendar: Any, window: Window, me: frozenset[str], outcome: SyncOutcome
) -> None:
    key = stored_id(_path(calendar.url))
    name = _name(calendar)
    kept = (source.state.get("calendars") or {}).get(key) or {}
    etags: dict[str, str] = dict(kept.get("etags") or {})
    due: dict[str, str] = dict(kept.get("due") or {})
    listing = _listing(calendar, kept.get("token"))
    deleted = set(listing.deleted)
    if listing.whole:
        deleted |= set(etags) - set(listing.etags)
    now = window.now.astimezone(dt.UTC).isoformat()
    wanted = {h for h, etag in listing.etags.items() if not etag or etags.get(h) != etag}
    wanted |= {h for h, when in due.items() if when <= now and h not in deleted}
    fetched = _fetch(calendar, sorted(wanted))
    deleted |= wanted - set(fetched)  # gone between the listing and the fetch
    read = Read()
    for href, (data, etag) in fetched.items():
        read_resource(read, href, data, calendar_name=name, me=me, window=window)
        etags[href] = etag or listing.etags.get(href) or etags.get(href, "")
        due.pop(href, None)
    for href in deleted:
        etags.pop(href, None)
        due.pop(href, None)
    due.update(read.due)
    for href in read.unreadable:
        due[href] = now  # read again next time, and reported again, until it is fixed

    def update_state(state: dict[str, Any]) -> None:
        state.setdefault("calendars", {})[key] = {
            "name": name,
            "token": listing.token,
            "etags": etags,
            "due": due,
        }

    write(
        source,
        calendar=key,
        read=read,
        examined=(set(fetched) - read.unreadable) | deleted,
        window=window,
        outcome=outcome,
        update_state=update_state,
    )


def _fetch(calendar: Any, hrefs: list[str]) -> dict[str, tuple[bytes, str]]:
    """The data and ETag of each resource still there."""
    found: dict[str, tuple[bytes, str]] = {}
    for start in range(0, len(hrefs), FETCH_BATCH):
        urls = [calendar.url.join(href) for href in hrefs[start : start + FETCH_BATCH]]
        for resource in calendar.multiget(urls, raise_notfound=False):
            data = resource.data
            if not data:
                continue
            etag = str(getattr(resource, "props", {}).get("{DAV:}getetag") or "")
            found[_path(resource.url)] = (
                data.encode() if isinstance(data, str) else bytes(data),
                etag,
            )
    return found
