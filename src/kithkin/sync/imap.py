"""An IMAP connection (imapclient) opened, signed in and closed, each failure a
`SyncFailure` line a user can act on. Nothing here imports Django: the process that reads a
large folder's headers (`sync.mail_headers`) opens a connection of its own."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from kithkin.importers import mail_rules
from kithkin.sync.outcome import SyncFailure

if TYPE_CHECKING:
    from kithkin.sync.outcome import SyncSource

TIMEOUT = 60
FETCH = ("BODY.PEEK[HEADER.FIELDS (" + " ".join(mail_rules.FETCHED_HEADERS) + ")]").encode()


@dataclass(frozen=True)
class Login:
    """Where and as whom to sign in (the account's settings and its decrypted password)."""

    host: str
    port: int
    tls: str  # "tls", "starttls" or "none"
    username: str
    password: str = field(repr=False)

    @classmethod
    def of(cls, source: SyncSource) -> Login:
        settings = source.settings
        return cls(
            host=str(settings["host"]),
            port=int(settings["port"]),
            tls=str(settings["tls"]),
            username=str(settings["username"]),
            password=source.password(),
        )


def connect(login: Login) -> IMAPClient:
    host, where = login.host, f"{login.host}:{login.port}"
    try:
        client = IMAPClient(
            host,
            port=login.port,
            ssl=login.tls == "tls",
            ssl_context=ssl.create_default_context(),
            timeout=TIMEOUT,
        )
    except ssl.SSLCertVerificationError as exc:
        raise SyncFailure(
            f"TLS: the certificate of {host} is not trusted ({exc.verify_message})"
        ) from exc
    except ssl.SSLError as exc:
        raise SyncFailure(f"TLS with {where} failed ({exc.reason or exc})") from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise SyncFailure(f"cannot reach {where} ({reason(exc)})") from exc
    try:
        if login.tls == "starttls":
            client.starttls(ssl.create_default_context())
        client.login(login.username, login.password)
    except ssl.SSLCertVerificationError as exc:
        close(client)
        raise SyncFailure(
            f"TLS: the certificate of {host} is not trusted ({exc.verify_message})"
        ) from exc
    except LoginError as exc:
        close(client)
        raise SyncFailure(
            f"{host} refused the user name or password of {login.username} "
            f"({text(exc)}): enter the password again (an app password for Gmail, "
            "iCloud, Fastmail and Outlook.com)",
            retry=False,
        ) from exc
    except (OSError, imaplib.IMAP4.error, IMAPClientError) as exc:
        close(client)
        raise SyncFailure(f"{where} failed while signing in ({reason(exc)})") from exc
    return client


def close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:
        with contextlib.suppress(Exception):
            client.shutdown()


def reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def text(exc: BaseException) -> str:
    found = str(exc)
    if found.startswith("b'") or found.startswith('b"'):
        found = found[2:-1]
    return found.strip() or "no reason given"


def answer(exc: BaseException) -> str:
    """The server's answer without imaplib's prefix or Dovecot's timings."""
    found = text(exc).removeprefix("select failed: ")
    return re.sub(r"\s*\([\d.+ ]+secs\)\.?$", "", found).strip() or "no reason given"
