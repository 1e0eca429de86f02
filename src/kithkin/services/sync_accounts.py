"""Synced accounts (docs/accounts.md): add, change the secret of, and remove a user's own
mail and calendar accounts; what a run's end writes on the account (its counts, or its
failure and when to try again); encrypting the secrets again under a new secret key.

An account is its user's alone, in one of their networks: nobody else (a teammate in the
same network included) sees, syncs or removes it. Adding one needs write access to the
network, since its sync logs interactions there.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction

from kithkin import access, clock, secret_box
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import Network, Person, SyncAccount, User
from kithkin.services.synced_events import forget_account
from kithkin.sync.outcome import SyncFailure, SyncOutcome

# Well-known mail services: host, port, TLS (docs/accounts.md). Each asks for an app
# password, not the account's own.
IMAP_PRESETS: dict[str, tuple[str, int, str]] = {
    "gmail": ("imap.gmail.com", 993, "tls"),
    "fastmail": ("imap.fastmail.com", 993, "tls"),
    "icloud": ("imap.mail.me.com", 993, "tls"),
    "outlook": ("outlook.office365.com", 993, "tls"),
}
TLS_MODES = ("tls", "starttls", "none")  # implicit TLS (993), STARTTLS (143), plain (local only)
MAX_MONTHS = 120
SYNC_EVERY = dt.timedelta(minutes=15)
# After a failure that may pass (a dropped connection): 5 min, 10, 20... at most 6 h.
BACKOFF_FIRST = dt.timedelta(minutes=5)
BACKOFF_CAP = dt.timedelta(hours=6)
MAX_ERROR = SyncAccount._meta.get_field("last_error").max_length or 300
MAX_NAME = SyncAccount._meta.get_field("name").max_length or 100


def _name(network: Network, user: User, name: str, default: str) -> str:
    name = " ".join((name or default).split())
    if len(name) > MAX_NAME:
        raise InvalidInput("name", f"at most {MAX_NAME} characters")
    if SyncAccount.objects.filter(network=network, user=user, name=name).exists():
        raise InvalidInput("name", f"you have an account named {name!r} already")
    return name


def _host(host: str) -> str:
    host = host.strip().lower()
    if not host or any(c.isspace() or c in "/@:" for c in host):
        raise InvalidInput("host", "a host name such as imap.example.com")
    return host


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _http_url(url: str, field: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidInput(field, "an http:// or https:// address")
    if parts.username or parts.password:
        raise InvalidInput(field, "put the user name and password in their own fields")
    return url


def _calendar_url(url: str) -> str:
    """A calendar's address: ``webcal://`` (how iCloud and others publish one) is read as
    ``https://``."""
    url = url.strip()
    if url[:9].lower() == "webcal://":
        url = "https://" + url[9:]
    return _http_url(url, "url")


def _create(
    network: Network, user: User, kind: str, name: str, settings: dict[str, Any], secret: str
) -> SyncAccount:
    access.require_write(user, network)
    if not secret:
        raise InvalidInput("password", "required")
    with transaction.atomic():
        return SyncAccount.objects.create(
            network=network,
            user=user,
            kind=kind,
            name=name,
            settings=settings,
            secret_encrypted=secret_box.encrypt(secret, secret_box.ACCOUNT_SECRETS),
            next_sync_at=clock.now(),
        )


def add_imap_account(
    network: Network,
    user: User,
    *,
    username: str,
    password: str,
    preset: str = "",
    host: str = "",
    port: int | None = None,
    tls: str = "",
    name: str = "",
    folders: list[str] | None = None,
    months: int = 12,
    subjects: bool = True,
) -> SyncAccount:
    """A mail box read over IMAP: headers of the inbox and the sent folder (or the
    ``folders`` named), ``months`` back on the first sync; ``subjects=False`` logs no
    subject. ``preset`` (gmail, fastmail, icloud, outlook) fills host, port and TLS."""
    if preset:
        if preset not in IMAP_PRESETS:
            raise InvalidInput("preset", "one of " + ", ".join(IMAP_PRESETS))
        preset_host, preset_port, preset_tls = IMAP_PRESETS[preset]
        host, port, tls = host or preset_host, port or preset_port, tls or preset_tls
    host = _host(host)
    tls = tls or "tls"
    if tls not in TLS_MODES:
        raise InvalidInput("tls", "one of " + ", ".join(TLS_MODES))
    if tls == "none" and not _loopback(host):
        raise InvalidInput("tls", "a password is sent in clear without TLS: only to this machine")
    port = port or (993 if tls == "tls" else 143)
    if not 0 < port < 65536:
        raise InvalidInput("port", "a port number (1-65535)")
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidInput("months", f"from 1 to {MAX_MONTHS}")
    username = username.strip()
    if not username:
        raise InvalidInput("username", "required")
    chosen = [f.strip() for f in folders or [] if f.strip()]
    settings = {
        "host": host,
        "port": port,
        "tls": tls,
        "username": username,
        "folders": chosen,  # none named: the inbox and the sent folder
        "months": months,
        "subjects": subjects,
    }
    label = _name(network, user, name, f"{username} at {host}")
    return _create(network, user, SyncAccount.Kind.IMAP, label, settings, password)


def add_caldav_account(
    network: Network,
    user: User,
    *,
    url: str,
    username: str,
    password: str,
    name: str = "",
    calendars: list[str] | None = None,
    subjects: bool = True,
) -> SyncAccount:
    """A CalDAV server (the URL of the server or of its principal: the calendars are
    discovered); ``calendars`` by name, none named: every calendar; ``subjects=False``
    logs no event title."""
    url = _http_url(url, "url")
    username = username.strip()
    if not username:
        raise InvalidInput("username", "required")
    settings = {
        "url": url,
        "username": username,
        "calendars": [c.strip() for c in calendars or [] if c.strip()],
        "subjects": subjects,
    }
    label = _name(network, user, name, f"{username} at {urlsplit(url).hostname}")
    return _create(network, user, SyncAccount.Kind.CALDAV, label, settings, password)


def add_calendar_url(
    network: Network, user: User, *, url: str, name: str = "", subjects: bool = True
) -> SyncAccount:
    """A calendar's secret iCal address: the URL is the secret, stored encrypted and never
    shown again (only its host); ``subjects=False`` logs no event title."""
    url = _calendar_url(url)
    settings = {"host": urlsplit(url).hostname or "", "subjects": subjects}
    label = _name(network, user, name, f"calendar at {settings['host']}")
    return _create(network, user, SyncAccount.Kind.ICS, label, settings, url)


def account_for(user: User, network: Network, account_id: int) -> SyncAccount:
    """One of the user's own accounts in ``network``; anyone else's is not found."""
    access.membership(user, network)
    found = SyncAccount.objects.filter(pk=account_id, network=network, user=user).first()
    if found is None:
        raise NotFound(f"No account #{account_id} of yours in {network.name}.")
    return found


def account_named(user: User, network: Network, name: str) -> SyncAccount:
    access.membership(user, network)
    found = SyncAccount.objects.filter(network=network, user=user, name=name).first()
    if found is None:
        names = list(
            SyncAccount.objects.filter(network=network, user=user).values_list("name", flat=True)
        )
        raise NotFound(f"No account named {name!r} of yours in {network.name}.", names)
    return found


def replace_secret(user: User, network: Network, account_id: int, secret: str) -> SyncAccount:
    """A new password (or calendar URL); the account syncs again at once."""
    account = account_for(user, network, account_id)
    access.require_write(user, network)
    if account.kind == SyncAccount.Kind.ICS:
        secret = _calendar_url(secret)
    if not secret:
        raise InvalidInput("password", "required")
    account.secret_encrypted = secret_box.encrypt(secret, secret_box.ACCOUNT_SECRETS)
    account.waits_for_user = False
    account.next_sync_at = clock.now()
    account.save(update_fields=["secret_encrypted", "waits_for_user", "next_sync_at"])
    return account


@transaction.atomic
def remove_account(user: User, network: Network, account_id: int) -> SyncAccount:
    """The account and its secret go; the interactions it logged stay (a calendar's, as if
    imported: the links that let a sync update or remove them go with the account)."""
    account = account_for(user, network, account_id)
    if account.state.get("key"):
        forget_account(network, user, account.state["key"], remove=False)
    account.delete()
    return account


def sync_soon(user: User, network: Network, account_id: int) -> SyncAccount:
    """Ask the worker to sync the account on its next round (a failure that waited for
    the user included)."""
    account = account_for(user, network, account_id)
    access.require_write(user, network)
    account.next_sync_at = clock.now()
    account.waits_for_user = False
    account.save(update_fields=["next_sync_at", "waits_for_user"])
    return account


# --- what a run leaves on the account --------------------------------------------------


def backoff(failures: int) -> dt.timedelta:
    """How long to wait after ``failures`` failures in a row (exponential, capped)."""
    return min(BACKOFF_FIRST * 2 ** max(0, min(failures - 1, 20)), BACKOFF_CAP)


def _set(account: SyncAccount, **fields: object) -> None:
    """Write ``fields`` on the account and its row (an account removed while it synced has
    none left: nothing to write)."""
    for name, value in fields.items():
        setattr(account, name, value)
    SyncAccount.objects.filter(pk=account.pk).update(**fields)


# The records of a run that could not be read, kept with its counts: the first few lines.
MAX_PROBLEMS = 5


def record_success(account: SyncAccount, outcome: SyncOutcome, now: dt.datetime) -> None:
    _set(
        account,
        last_sync_at=now,
        last_attempt_at=now,
        last_counts={**asdict(outcome), "problems": outcome.problems[:MAX_PROBLEMS]},
        last_error="",
        failures=0,
        waits_for_user=False,
        next_sync_at=now + SYNC_EVERY,
    )


def record_failure(account: SyncAccount, failure: SyncFailure, now: dt.datetime) -> None:
    """The failure as one line; the next try after the backoff, or none before the user
    acts (a refused password, a lost secret)."""
    failures = account.failures + 1
    _set(
        account,
        last_attempt_at=now,
        last_error=str(failure)[:MAX_ERROR],
        failures=failures,
        waits_for_user=not failure.retry,
        next_sync_at=now + backoff(failures) if failure.retry else None,
    )


# --- someone your mail suggests -------------------------------------------------------


@transaction.atomic
def add_correspondent(user: User, network: Network, email: str) -> Person:
    """Add someone the user's synced mail suggests (``queries.sync_accounts.
    suggested_correspondents``), named as their mail names them, else by their address;
    the mail accounts that counted them read their mail again on their next run (the
    mail that made the suggestion is logged, not only what comes after)."""
    from kithkin.queries.sync_accounts import suggested_correspondents
    from kithkin.services.people import NewPerson, add_person

    found = next(
        (s for s in suggested_correspondents(user, network) if s.email == email.strip().lower()),
        None,
    )
    if found is None:
        raise NotFound(f"{email} is not suggested by your mail in {network.name}.")
    name = found.name or found.email.split("@", 1)[0]
    person = add_person(network, user, NewPerson(full_name=name, emails=[found.email]))
    read_mail_again(network, {found.email})
    return person


@transaction.atomic
def read_mail_again(network: Network, emails: set[str]) -> int:
    """Addresses that became someone's in ``network`` (a suggestion taken, a person added
    or given an email): each mail account of the network that skipped mail with them
    (counted them as unknown) searches for it and logs it on its next run, which comes at
    once. How many accounts will."""
    marked = 0
    accounts = SyncAccount.objects.select_for_update().filter(
        network=network, kind=SyncAccount.Kind.IMAP
    )
    for account in accounts:
        seen = emails & set(account.state.get("unknown") or {})
        if not seen:
            continue
        account.state["backfill"] = sorted({*account.state.get("backfill", []), *seen})
        account.save_state()
        if not account.waits_for_user:
            SyncAccount.objects.filter(pk=account.pk).update(next_sync_at=clock.now())
        marked += 1
    return marked


@transaction.atomic
def dismiss_correspondent(user: User, network: Network, email: str) -> None:
    """No longer suggest ``email``: the user's mail accounts of the network remember it
    (their sync goes on counting; the suggestion stays away)."""
    from kithkin.queries.sync_accounts import suggested_correspondents

    address = email.strip().lower()
    if not any(s.email == address for s in suggested_correspondents(user, network)):
        raise NotFound(f"{email} is not suggested by your mail in {network.name}.")
    accounts = SyncAccount.objects.select_for_update().filter(
        user=user, network=network, kind=SyncAccount.Kind.IMAP
    )
    for account in accounts:
        dismissed = set(account.state.get("dismissed") or [])
        if address not in dismissed:
            account.state["dismissed"] = sorted(dismissed | {address})
            account.save_state()


# --- a new secret key ------------------------------------------------------------------


def rekey(old_key: str) -> int:
    """Encrypt every account's secret stored under ``old_key`` again under the current
    secret key; how many changed. ``SecretLost`` names an account neither key opens."""
    changed = 0
    with transaction.atomic():
        for account in SyncAccount.objects.select_for_update().exclude(secret_encrypted=""):
            try:
                token = secret_box.reencrypted(
                    account.secret_encrypted, secret_box.ACCOUNT_SECRETS, old_key
                )
            except secret_box.SecretLost as exc:
                raise secret_box.SecretLost(
                    f"the secret of account {account.name!r} opens with neither key"
                ) from exc
            if token != account.secret_encrypted:
                SyncAccount.objects.filter(pk=account.pk).update(secret_encrypted=token)
                changed += 1
    return changed
