"""Outbound HTTP to addresses people typed (webhooks, calendar URLs), guarded against
reaching inside.

A URL someone else chose must not turn Kithkin into a way to reach the machine it runs on
or its private network (the cloud's metadata service at 169.254.169.254, a database on
localhost, a router on 10.0.0.1): server-side request forgery. ``check_url`` refuses a URL
whose host resolves to any address that is not public — loopback, private, link-local,
multicast, reserved, unspecified, and IPv6's unique-local, IPv4-mapped and NAT64 forms of
those — unless ``settings.WEBHOOKS_ALLOW_PRIVATE`` says the receivers are local on purpose.

``post`` checks again at every request (DNS can change between subscribing and
delivering) and then connects to the very address it checked, sending the URL's host name
as the Host header and as TLS's server name (SNI) and verifying the certificate against
it. There is no window between the check and the connection in which a second DNS answer
could be used. Redirects are never followed (an answer of 3xx is a failure), proxies from
the environment are never used, and the whole exchange is bounded by ``timeout``. ``get`` (a calendar URL) does the same, with
the request's headers (conditional requests) and the body read up to ``max_bytes``.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_URL = 2000
READ_AT_MOST = 64 * 1024  # of an answer's body: only its status matters


class Refused(Exception):
    """The URL may not be reached: its message says why, in words for the person."""


class TooLarge(Exception):
    """An answer's body is longer than the caller accepts."""


@dataclass(frozen=True)
class Target:
    """A URL taken apart, and the addresses it was checked to resolve to."""

    scheme: str
    host: str
    port: int
    path: str  # with its query string
    addresses: tuple[IPAddress, ...]


@dataclass(frozen=True)
class Answer:
    status: int
    elapsed_ms: int


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is a public unicast address (and so allowed to a webhook)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None and not is_public(embedded):
            return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
        or not address.is_global
    )


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"{host} could not be resolved ({exc}).") from exc
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # drop an IPv6 zone
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise Refused(f"{host} resolves to no address.")
    return tuple(addresses)


def check_url(url: str, *, allow_private: bool | None = None) -> Target:
    """The URL's target, its host resolved and every address checked; ``Refused`` when it
    is not an http(s) URL a webhook may reach."""
    if allow_private is None:
        allow_private = settings.WEBHOOKS_ALLOW_PRIVATE
    url = url.strip()
    if len(url) > MAX_URL:
        raise Refused(f"The URL is longer than {MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(f"That is not a URL: {exc}.") from exc
    if parts.scheme not in {"http", "https"}:
        raise Refused("Only http:// and https:// URLs can be reached.")
    if not parts.hostname:
        raise Refused("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise Refused("Put no user or password in the URL: the signature proves the sender.")
    if any(character.isspace() for character in url):
        raise Refused("The URL contains spaces.")
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port)
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise Refused(
                    f"{host} resolves to {address}, which is not a public address: Kithkin "
                    "does not reach loopback, private or link-local networks "
                    "(KITH_WEBHOOKS_ALLOW_PRIVATE=true allows it)."
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, addresses)


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address already checked instead of resolving the host again."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def _open(self) -> socket.socket:
        last: OSError | None = None
        for address in self.target.addresses:
            try:
                return socket.create_connection((str(address), self.port), self.timeout)
            except OSError as exc:
                last = exc
        raise last or OSError("no address to connect to")

    def connect(self) -> None:
        self.sock = self._open()


def tls_context() -> ssl.SSLContext:
    """The system's trusted authorities, certificates and host names verified."""
    return ssl.create_default_context()


class _PinnedHTTPS(_PinnedHTTP):
    default_port = 443

    def connect(self) -> None:
        # The certificate is checked against the URL's host name, not the address.
        self.sock = tls_context().wrap_socket(self._open(), server_hostname=self.target.host)


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float = 10.0,
    allow_private: bool | None = None,
) -> Answer:
    """POST ``body`` to ``url`` (checked again now) and answer its status; ``Refused``
    when the URL may not be reached, ``OSError`` (timeouts included) or
    ``http.client.HTTPException`` when the exchange fails."""
    target = check_url(url, allow_private=allow_private)
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout)
    started = time.perf_counter()
    deadline = started + timeout
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        remaining = READ_AT_MOST
        while remaining > 0 and time.perf_counter() < deadline:
            chunk = response.read(min(remaining, 8192))
            if not chunk:
                break
            remaining -= len(chunk)
        return Answer(response.status, int((time.perf_counter() - started) * 1000))
    finally:
        connection.close()


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, lower-cased, without its parameters ("image/jpeg")."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def get(
    url: str,
    headers: dict[str, str] | None = None,
    *,
    max_bytes: int,
    timeout: float = 30.0,
    allow_private: bool | None = None,
) -> Fetched:
    """GET ``url`` (checked now, as ``post`` does, connected to the address checked, no
    proxies) with ``headers``: its status, headers and body. ``Refused`` when the URL may
    not be reached, ``TooLarge`` when the body is longer than ``max_bytes`` (a declared
    Content-Length says so before any byte is read), ``OSError`` (timeouts, the whole
    exchange past ``timeout``, TLS, a dropped connection) or ``http.client.HTTPException``
    when the exchange fails. Redirects are not followed: a 3xx comes back as it is."""
    target = check_url(url, allow_private=allow_private)
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout)
    deadline = time.perf_counter() + timeout
    try:
        connection.request("GET", target.path, headers={"User-Agent": "Kithkin", **(headers or {})})
        response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise TooLarge(
                f"{target.host} sent {int(declared):,} bytes; at most {max_bytes:,} are read"
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{target.host} took longer than {timeout:g} s")
            chunk = response.read(min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"{target.host} sent more than {max_bytes:,} bytes")
        found = {name.lower(): value for name, value in response.getheaders()}
        return Fetched(response.status, found, b"".join(chunks))
    finally:
        connection.close()
