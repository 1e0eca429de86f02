"""The one rule for a URL Kithkin stores and renders as a link: http, https or mailto.

A stored URL (an opportunity's or an event's link, an organization's website, a profile
or website of a person) is written by a form, the CLI, the API, an importer or a restore;
each goes through ``web_link``, which reads the scheme as a browser would and refuses any
other (``javascript:``, ``data:``, ``vbscript:``, ``file:``...). Templates render stored
URLs through the ``safe_url`` filter (``is_safe``), so a value stored before this rule
existed, or by a path that forgot it, is never emitted as a link either.

"As a browser would": the WHATWG URL parser strips leading and trailing C0 controls and
spaces and removes every tab and newline before it reads the scheme, so
``"\\tjava\\nscript:alert(1)"`` is a javascript: URL. And a value with no scheme that
another check read as "https://" + value must not be stored as typed:
``javascript:alert(1)%2F%2F@x.com`` read that way is a web address on host x.com, and
stored raw it was a script (issue 18, the restored export's link).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kithkin.errors import InvalidInput

SCHEMES = frozenset({"http", "https", "mailto"})
MAX_LENGTH = 500
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIPPED = "".join(chr(code) for code in range(0x21))  # C0 controls and space
_REMOVED = re.compile(r"[\t\n\r]")


def scheme_of(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (lower case), or None for a relative URL."""
    cleaned = _REMOVED.sub("", url.strip(_STRIPPED))
    found = _SCHEME.match(cleaned)
    return found.group(1).lower() if found else None


def is_safe(url: str) -> bool:
    """Whether ``url`` may be an href: http, https or mailto."""
    return scheme_of(url) in SCHEMES


def web_link(value: str, field: str = "url") -> str:
    """What to store for the URL ``value`` (trimmed; ``example.org/jobs`` gets
    ``https://``), refused with InvalidInput naming ``field`` unless it is an http or
    https address with a host, or a mailto: address."""
    text = value.strip()
    if not text:
        return ""
    if len(text) > MAX_LENGTH:
        raise InvalidInput(field, f"is longer than {MAX_LENGTH} characters")
    if any(char.isspace() or not char.isprintable() for char in text):
        raise InvalidInput(field, f"{_shown(text)} is not a web address (it has spaces)")
    scheme = scheme_of(text)
    if scheme is None or (scheme not in SCHEMES and "." in scheme.partition(":")[0]):
        text = "https://" + text  # example.org/jobs; www.example.org:8080/x
        scheme = "https"
    if scheme not in SCHEMES:
        raise InvalidInput(
            field, f"{_shown(text)} is not a web address (http, https or mailto only)"
        )
    if scheme == "mailto":
        if "@" not in text:
            raise InvalidInput(field, f"{_shown(text)} is not an email address (mailto:)")
        return text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        host = ""
    if "." not in host and host != "localhost":
        raise InvalidInput(field, f"{_shown(text)} is not a web address")
    return text


def _shown(text: str) -> str:
    return repr(text[:60] + ("…" if len(text) > 60 else ""))
