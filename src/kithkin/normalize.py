"""Turn what people type into matching keys: E.164 phones, lower-case emails, canonical
profile URLs, folded postal addresses and chat handles. Each function returns (display
value, normalized key, ...) or raises InvalidInput naming the field."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TypeVar
from urllib.parse import quote, unquote_to_bytes, urlsplit

from kithkin.errors import InvalidInput

K = TypeVar("K")

MAX_LENGTH = 500  # ContactPoint.value and .normalized


def _fits(text: str, field: str) -> str:
    if len(text) > MAX_LENGTH:
        raise InvalidInput(field, f"is longer than {MAX_LENGTH} characters")
    return text


# "Omega" <omega@example.com>, Omega <omega@example.com>, <omega@example.com>
_NAMED_ADDRESS = re.compile(r"[^<>]*<\s*([^<>\s]+)\s*>")
# The key of a phone kept as written starts with this; a read number's key is E.164 ("+...").
UNVERIFIED_PHONE = "?"


def email(value: str, field: str = "email") -> tuple[str, str]:
    """An address, also when written with a name (``"Omega" <omega@example.com>``) or as
    a mailto: URI."""
    text = _fits(value.strip(), field)
    named = _NAMED_ADDRESS.fullmatch(text)
    if named:
        text = named.group(1)
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    plain = _PLAIN_ADDRESS.fullmatch(text)
    if plain and len(plain[1]) <= 64 and plain[1].lower() not in _mailbox_names():
        domain = _email_domain(plain[2])
        if domain is not None:  # what email_validator gives it, its domain checked once
            shown = f"{plain[1]}@{domain}"
            return shown, shown.lower()
    return _validated_email(text, field)


def _validated_email(text: str, field: str) -> tuple[str, str]:
    # Imported on first use, like phonenumbers below: reading the agenda never checks an
    # address, and the two cost ~100 ms of every `kith` command's start (bench/cli_startup.py).
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidInput(field, f"{text!r} is not a valid email address ({exc})") from exc
    return result.normalized, result.normalized.lower()


# Most addresses are plain ASCII (RFC 5322's dot-atom before the @, a host name after):
# such an address is valid when its domain is, and email_validator keeps its mailbox as
# written and gives the domain in lower case. Checking the domain is most of the
# validator's time (~0.1 ms an address) and an import's addresses share a few domains,
# so each domain is checked once (by the validator itself) and the rest is this pattern.
# Anything else -- quoted or non-ASCII mailboxes, mailbox names the validator lowers
# (postmaster...), addresses near the length limits -- takes the validator's whole way.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT}){{0,31}})@([A-Za-z0-9.-]{{1,60}})")


@functools.cache
def _mailbox_names() -> frozenset[str]:
    """The mailboxes email_validator writes in lower case (postmaster, info...)."""
    from email_validator.rfc_constants import CASE_INSENSITIVE_MAILBOX_NAMES

    return frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)


@functools.lru_cache(maxsize=4096)
def _email_domain(domain: str) -> str | None:
    """The domain as email_validator writes a valid address's, None if it refuses it."""
    if len(domain) > 60:
        return None
    try:
        return _validated_email(f"x@{domain}", "email")[0].partition("@")[2]
    except InvalidInput:
        return None


def phone(value: str, region: str = "", field: str = "phone") -> tuple[str, str]:
    import phonenumbers

    text = _fits(value.strip(), field)
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException as exc:
        hint = (
            " (add the country code, e.g. +44 20 7946 0958, or set the network's phone region)"
            if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE
            else ""
        )
        raise InvalidInput(field, f"{text!r} is not a phone number{hint}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput(field, f"{text!r} is not a possible phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return shown, e164


def phone_or_unverified(value: str, region: str = "", field: str = "phone") -> tuple[str, str]:
    """(shown, key) of a phone from a file: read as :func:`phone` does (a number without a
    country code in ``region``), else kept as written and unverified -- a key that is not
    E.164 (see :func:`is_verified_phone`), so it still matches the same text next time."""
    try:
        return phone(value, region, field)
    except InvalidInput:
        text = _fits(" ".join(value.split()), field)
        if not text:
            raise
    compact = "".join(char for char in text.casefold() if char.isalnum() or char == "+")
    return text, _fits(UNVERIFIED_PHONE + (compact or text.casefold()), field)


def is_verified_phone(key: str) -> bool:
    """Whether a phone's key is a number read as E.164 (not text kept as written)."""
    return key.startswith("+")


def address(value: str, field: str = "address") -> tuple[str, str]:
    """A postal address, one line per part: blank lines dropped, single spaces; the key is
    the same text case-folded."""
    lines = (" ".join(line.split()) for line in value.splitlines())
    text = _fits("\n".join(line for line in lines if line), field)
    if not text:
        raise InvalidInput(field, "is empty")
    return text, text.casefold()


def chat(handle: str, service: str, field: str = "chat") -> tuple[str, str, str]:
    """(shown, key, service) of a chat handle on a service (skype, xmpp...; see
    kithkin.chat_services). Handles are compared case-folded, per service."""
    text = _fits(" ".join(handle.split()), field)
    name = " ".join(service.split()).lower()[:30]
    if not text:
        raise InvalidInput(field, "is empty")
    if not name:
        raise InvalidInput(field, f"{text!r} names no chat service")
    return text, _fits(f"{name}:{text.casefold()}", field), name


def region(value: str, field: str = "region") -> str:
    """An ISO 3166 region phonenumbers knows ("FR", "gb" -> "GB"), or "" for none."""
    import phonenumbers

    code = value.strip().upper()
    if code and code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(field, f"{value.strip()!r} is not a country code: use FR, GB, US...")
    return code


# host -> (service, canonical host, path prefix that precedes the handle)
_PROFILE_HOSTS = {
    "linkedin.com": ("linkedin", "www.linkedin.com", "/in/"),
    "github.com": ("github", "github.com", "/"),
    "x.com": ("x", "x.com", "/"),
    "twitter.com": ("x", "x.com", "/"),
    "bsky.app": ("bluesky", "bsky.app", "/profile/"),
}
_HANDLE = re.compile(r"[^/?#]+")
_MASTODON = re.compile(r"^@?(?P<user>[\w.]+)@(?P<host>[\w.-]+\.[a-z]{2,})$", re.IGNORECASE)


_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Decoded, these would change how the URL splits into host, path and query: kept escaped.
_RESERVED = "/?#%&=+ "


def _decoded(text: str) -> str:
    """``text`` with its percent-escapes decoded when they spell UTF-8 (``%C2%AE`` -> ``®``),
    so a URL written encoded in one file and raw in another gives one key. Escapes of
    characters that delimit a URL stay escaped (upper-case); bytes that are not UTF-8 too."""

    def decode(match: re.Match[str]) -> str:
        try:
            raw = unquote_to_bytes(match.group(0)).decode("utf-8")
        except UnicodeDecodeError:
            return match.group(0).upper()
        return "".join(
            quote(char, safe="") if char in _RESERVED or not char.isprintable() else char
            for char in raw
        )

    return _ESCAPES.sub(decode, text)


# A LinkedIn profile as LinkedIn itself writes it (Connections.csv, messages.csv): its key
# is read without splitting the URL. Anything else takes the general way below.
_PLAIN_LINKEDIN = re.compile(r"https://www\.linkedin\.com/in/([A-Za-z0-9_.\-]+)/?")


def url(value: str, field: str = "url") -> tuple[str, str, str]:
    """(display, normalized, service): the one place a URL becomes a matching key.

    Every key: percent-escapes decoded (``%C2%AE`` = ``®``), host in lower case without
    ``www.``, no trailing slash, ``http`` and ``https`` alike (the key says ``https``). A
    profile on a known site (LinkedIn in any locale subdomain, GitHub, X/Twitter, Bluesky,
    Mastodon) becomes its canonical URL whatever its query or the case of its handle; any
    other URL is a website, whose key keeps its path and query. The display of a website
    is the URL as written.

    Cached per distinct value: an import reads each profile URL when parsing and again
    when planning.
    """
    return _url(value, field)


@functools.lru_cache(maxsize=65_536)
def _url(value: str, field: str) -> tuple[str, str, str]:
    text = _fits(value.strip(), field)
    plain = _PLAIN_LINKEDIN.fullmatch(text)
    if plain:  # what the general way gives it, without urlsplit (most of an import's time)
        canonical = f"https://www.linkedin.com/in/{plain.group(1).lower()}"
        return canonical, canonical, "linkedin"
    mastodon = _MASTODON.match(text)
    if mastodon:
        canonical = f"https://{mastodon['host'].lower()}/@{mastodon['user'].lower()}"
        return canonical, canonical, "mastodon"
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. an unbalanced "[" read as an IPv6 literal
        raise InvalidInput(field, f"{value.strip()!r} is not a web address") from None
    if not host or "." not in host or " " in text:
        raise InvalidInput(field, f"{value.strip()!r} is not a web address")
    if parts.scheme.lower() not in ("http", "https"):  # javascript:, data:, file:, ftp:...
        raise InvalidInput(field, f"{value.strip()!r} is not a web address (http or https)")
    bare_host = host.removeprefix("www.")
    path, query = _decoded(parts.path), _decoded(parts.query)
    if bare_host.endswith(".linkedin.com"):  # de.linkedin.com, uk.linkedin.com ...
        bare_host = "linkedin.com"
    known = _PROFILE_HOSTS.get(bare_host)
    if known:
        service, canonical_host, prefix = known
        if path.lower().startswith(prefix) and len(path) > len(prefix):
            handle = _HANDLE.match(path[len(prefix) :])
            # "twitter.com/@ada" is written as the handle is said; the profile is /ada.
            name = handle.group(0).lower().removeprefix("@") if handle else ""
            if name and service in ("x", "github"):
                canonical = f"https://{canonical_host}{prefix}{name}"
                return canonical, canonical, service
            if handle:
                canonical = f"https://{canonical_host}{prefix}{handle.group(0).lower()}"
                return canonical, canonical, service
    if path.startswith("/@") and "/" not in path[2:].rstrip("/"):
        canonical = f"https://{host}{path.rstrip('/').lower()}"
        return canonical, canonical, "mastodon"
    normalized = f"https://{bare_host}{path.rstrip('/')}"
    return text, normalized + (f"?{query}" if query else ""), "website"


def closest(
    query: str,
    choices: Mapping[K, str],
    *,
    limit: int = 3,
    score_cutoff: float = 70,
    processed: bool = False,
) -> list[tuple[str, float, K]]:
    """The choices spelled closest to ``query`` (rapidfuzz's WRatio), best first, as
    (name, score, key): what "did you mean" suggests and what fuzzy matching of typed
    names reads. ``processed``: compare case- and punctuation-folded (rapidfuzz's
    default_process). Rapidfuzz is imported here, only when a name is being matched."""
    from rapidfuzz import fuzz, process, utils

    return process.extract(
        query,
        choices,
        scorer=fuzz.WRatio,
        processor=utils.default_process if processed else None,
        limit=limit,
        score_cutoff=score_cutoff,
    )
