"""Kithkin's settings: every value comes from a ``KITH_*`` environment variable.

Each variable is read once, here, through a helper that rejects a bad value with an
error naming the variable. ``docs/settings.md`` documents them all (a test keeps the two
in step): add a variable to ``SETTINGS_DOC`` below and to that table together.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import secrets
import zoneinfo
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import platformdirs
from django.core.exceptions import ImproperlyConfigured

# Every KITH_* variable, with its one-line meaning (docs/settings.md says more).
SETTINGS_DOC = {
    "KITH_DATA_DIR": "Where the SQLite database and the secret key live.",
    "KITH_DATABASE_URL": "postgres://user:password@host:port/name to use PostgreSQL.",
    "KITH_SECRET_KEY": "Signs sessions and tokens; else read from the data dir.",
    "KITH_DEBUG": "Django debug mode; never in production.",
    "KITH_TIME_ZONE": "The time zone given to new users and networks.",
    "KITH_ALLOWED_HOSTS": "Comma-separated host names the web app answers to.",
    "KITH_HTTPS": "Set when served over HTTPS: secure cookies and HSTS.",
    "KITH_USER": "The username the `kith` command acts as.",
    "KITH_SIGNUP": "Whether the web app lets people sign up (make an account).",
    "KITH_LOG_LEVEL": "DEBUG, INFO, WARNING or ERROR.",
    "KITH_WORKERS": "Worker processes of `kith serve`; default from the cores.",
    "KITH_THREADS": "Threads per `kith serve` worker.",
    "KITH_REQUEST_TIMEOUT": "Seconds a web request may spend in the database.",
    "KITH_API_RATE_LIMIT": "Requests a minute one API token may make.",
    "KITH_OIDC_ISSUER": "OpenID Connect issuer URL for single sign-on; unset: none.",
    "KITH_OIDC_CLIENT_ID": "Kithkin's client id at that OpenID provider.",
    "KITH_OIDC_CLIENT_SECRET": "Kithkin's client secret at that OpenID provider.",
    "KITH_OIDC_NAME": "The provider's name on the sign-in button.",
    "KITH_OIDC_CREATE_USERS": "Whether a first sign-in through the provider makes an account.",
    "KITH_WEBHOOKS_ALLOW_PRIVATE": "Let webhooks and calendar URLs reach loopback and private addresses.",
    "KITH_BASE_URL": "The address people open Kithkin at; links in emails start with it.",
    "KITH_EMAIL_URL": "smtp://, smtp+starttls:// or smtps://user:pass@host:port; unset: no email.",
    "KITH_EMAIL_FROM": "The From address of the emails Kithkin sends.",
    "KITH_TRUSTED_PROXIES": "Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is read.",
    "KITH_WORKER_INTERVAL": "Seconds between rounds of `kith worker`.",
    "KITH_BACKUP_DIR": "Where `kith backup` and the scheduled backups write; default DATA_DIR/backups.",
    "KITH_BACKUP_SCHEDULED": "Whether the worker makes a daily backup (default on).",
    "KITH_BACKUP_KEEP_DAILY": "Scheduled backups kept, one a day, for this many days (7).",
    "KITH_BACKUP_KEEP_WEEKLY": "And one a week for this many weeks (4).",
    "KITH_BACKUP_PASSPHRASE": "Encrypts the scheduled backups; opens encrypted ones.",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    if name not in SETTINGS_DOC:  # pragma: no cover - a programming error
        raise KeyError(f"{name} is not documented in SETTINGS_DOC")
    return os.environ.get(name)


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no.")


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value.strip() == "" else value.strip()


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).upper()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}.")
    return value


def env_int(name: str, default: int, minimum: int, maximum: int) -> int:
    value = env_str(name, "")
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if not minimum <= number <= maximum:
        raise ImproperlyConfigured(
            f"{name}={value!r} must be a whole number from {minimum} to {maximum}."
        )
    return number


def usable_cores() -> int:
    """The cores this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        return os.cpu_count() or 1


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "Europe"
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a time zone name such as Europe/Paris."
        ) from exc
    return value


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Comma-separated IP addresses and CIDR blocks (``10.0.0.1, 172.16.0.0/12, ::1``)."""
    networks = []
    for entry in (part.strip() for part in env_str(name, "").split(",")):
        if entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {entry!r} is not an IP address or a CIDR block such as 10.0.0.0/8."
                ) from None
    return networks


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    path = Path(value).expanduser()
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(f"{name}={value!r} exists and is not a directory.")
    return path.resolve()


def database_from_url(name: str, url: str) -> dict[str, object]:
    """Django DATABASES entry for a ``postgres://`` URL; anything else is an error."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// URL (SQLite is the default when it is unset)."
        )
    database = unquote(parts.path.lstrip("/"))
    if not database:
        raise ImproperlyConfigured(f"{name}={url!r} names no database (postgres://…/NAME).")
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={url!r} has an invalid port.") from exc
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # No JIT compilation: the planner's cost of a join over a sparse column (sessions
        # of a mentorship among a million interactions) can pass jit_above_cost, and
        # compiling took 290 of a 300 ms query that executes in 10 ms. A web request's
        # queries are short; none has gained from JIT here.
        "OPTIONS": {"options": "-c jit=off"},
    }


# The schemes of KITH_EMAIL_URL: (TLS from the first byte, STARTTLS after EHLO, default port).
EMAIL_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+starttls": (False, True, 587),
    "smtps": (True, False, 465),
}


def email_from_url(name: str, url: str) -> dict[str, object]:
    """Django's EMAIL_* settings for an SMTP URL (docs/settings.md): ``smtp://`` plain,
    ``smtp+starttls://`` upgraded with STARTTLS, ``smtps://`` TLS from the start; the user
    and password percent-decoded (``%40`` for an ``@`` in a user name)."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtp+starttls:// or smtps:// "
            f"(got {parts.scheme or 'no scheme'}://)."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} names no host (smtp://user:pass@HOST:port).")
    if parts.query or parts.path.strip("/"):
        raise ImproperlyConfigured(
            f"{name} takes no path or query: say STARTTLS with smtp+starttls://."
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} has an invalid port.") from exc
    use_ssl, use_tls, default_port = EMAIL_SCHEMES[parts.scheme]
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": unquote(parts.hostname),
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_USE_TLS": use_tls,
    }


def env_base_url(name: str, default: str) -> str:
    value = env_str(name, default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query:
        raise ImproperlyConfigured(
            f"{name}={value!r} must be an http:// or https:// address such as "
            "https://kithkin.example.org."
        )
    return value


def sqlite_database(data_dir: Path) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": data_dir / "kithkin.sqlite3",
        "OPTIONS": {
            # WAL lets the web app read while the CLI writes; IMMEDIATE takes the write
            # lock at BEGIN so concurrent writers wait (timeout) instead of failing.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;PRAGMA cache_size=-64000;PRAGMA temp_store=MEMORY;"
                "PRAGMA journal_size_limit=67108864;"
            ),
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        },
        # Each server thread keeps its connection across requests, as on PostgreSQL:
        # reopening one per request re-read the schema and started from an empty page
        # cache (the People page: 48 -> 64 ms of CPU at 30,000 people).
        "CONN_MAX_AGE": 60,
        "TEST": {"NAME": None},  # in memory
    }


def _secret_key(data_dir: Path) -> str:
    configured = env_str("KITH_SECRET_KEY", "")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("KITH_SECRET_KEY must be at least 32 characters long.")
        return configured
    key_file = data_dir / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    # `kith init` writes the key file; until then a per-process key is harmless because
    # nothing signed can outlive the process.
    return secrets.token_urlsafe(50)


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("KITH_DATA_DIR", Path(platformdirs.user_data_dir("kithkin", appauthor=False)))
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = env_bool("KITH_DEBUG", False)
HTTPS = env_bool("KITH_HTTPS", False)
DEFAULT_TIME_ZONE = env_time_zone("KITH_TIME_ZONE", "UTC")
CLI_USERNAME = env_str("KITH_USER", "")
# Off: accounts come from `kith init` only; the sign-up page and its POST are 404.
SIGNUP = env_bool("KITH_SIGNUP", True)
ALLOWED_HOSTS = [
    host.strip()
    for host in env_str("KITH_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

# `kith serve`: gunicorn's rule of thumb (2 * cores + 1 processes), each with a few threads
# so a request waiting on the database or a slow client does not hold a whole process.
WEB_WORKERS = env_int("KITH_WORKERS", min(2 * usable_cores() + 1, 16), 1, 64)
WEB_THREADS = env_int("KITH_THREADS", 4, 1, 32)
REQUEST_TIMEOUT = env_int("KITH_REQUEST_TIMEOUT", 30, 1, 3600)
# Per token, counted in the database so the limit holds across `kith serve`'s processes.
API_RATE_LIMIT = env_int("KITH_API_RATE_LIMIT", 600, 1, 1_000_000)
# Off: a webhook may only reach public addresses (the SSRF guard, kithkin.outbound).
WEBHOOKS_ALLOW_PRIVATE = env_bool("KITH_WEBHOOKS_ALLOW_PRIVATE", False)


def oidc_settings() -> dict[str, str] | None:
    """Single sign-on through one OpenID provider (docs/sso.md): all three of issuer,
    client id and secret, or none of them."""
    issuer = env_str("KITH_OIDC_ISSUER", "")
    client_id = env_str("KITH_OIDC_CLIENT_ID", "")
    secret = env_str("KITH_OIDC_CLIENT_SECRET", "")
    if not (issuer or client_id or secret):
        return None
    missing = [
        name
        for name, value in (
            ("KITH_OIDC_ISSUER", issuer),
            ("KITH_OIDC_CLIENT_ID", client_id),
            ("KITH_OIDC_CLIENT_SECRET", secret),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"Single sign-on also needs {', '.join(missing)}.")
    parts = urlsplit(issuer)
    loopback = parts.hostname in {"localhost", "127.0.0.1", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ImproperlyConfigured(
            f"KITH_OIDC_ISSUER={issuer!r} must be an https:// URL (http:// only on this machine)."
        )
    if parts.query or parts.fragment:
        raise ImproperlyConfigured(f"KITH_OIDC_ISSUER={issuer!r} must have no ? or # part.")
    return {
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": secret,
        "name": env_str("KITH_OIDC_NAME", "single sign-on"),
    }


# Sign-in through an OpenID provider (docs/sso.md); None when not configured.
OIDC = oidc_settings()
# Whether someone the provider vouches for, with no Kithkin account linked yet, gets one.
OIDC_CREATE_USERS = env_bool("KITH_OIDC_CREATE_USERS", False)

# Where people open Kithkin: the links of emails and push messages start with it.
BASE_URL = env_base_url("KITH_BASE_URL", "http://localhost:8000")
# Email (the daily digest, `kith doctor --send-test-email`): off unless KITH_EMAIL_URL is
# set; then Django's SMTP backend with these settings (docs/settings.md).
_email_url = env_str("KITH_EMAIL_URL", "")
EMAIL_CONFIGURED = bool(_email_url)
_email = email_from_url("KITH_EMAIL_URL", _email_url) if EMAIL_CONFIGURED else {}
EMAIL_BACKEND = str(_email.get("EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend"))
EMAIL_HOST = str(_email.get("EMAIL_HOST", "localhost"))
EMAIL_PORT = int(str(_email.get("EMAIL_PORT", 25)))
EMAIL_HOST_USER = str(_email.get("EMAIL_HOST_USER", ""))
EMAIL_HOST_PASSWORD = str(_email.get("EMAIL_HOST_PASSWORD", ""))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_TIMEOUT = 15  # seconds: a mail server that does not answer fails the send
DEFAULT_FROM_EMAIL = env_str("KITH_EMAIL_FROM", "kithkin@localhost")
if "@" not in parseaddr(DEFAULT_FROM_EMAIL)[1]:
    raise ImproperlyConfigured(
        f"KITH_EMAIL_FROM={DEFAULT_FROM_EMAIL!r} is not an address such as "
        "'Kithkin <kithkin@example.org>'."
    )
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The reverse proxies whose X-Forwarded-For is believed (services.throttle.client_address):
# none by default, so a client cannot choose the address its sign-ins are counted under.
TRUSTED_PROXIES = env_networks("KITH_TRUSTED_PROXIES")
# `kith worker`: a round (its beat, the jobs due, the task queue) every this many seconds;
# the worker counts as not running once its last beat is twice as old (docs/architecture.md).
WORKER_INTERVAL = env_int("KITH_WORKER_INTERVAL", 5, 1, 3600)
# Backups (docs/backups.md): where they go, whether the worker makes one a day, how many of
# those it keeps, and the passphrase that encrypts them (none: not encrypted).
BACKUP_DIR = env_path("KITH_BACKUP_DIR", DATA_DIR / "backups")
BACKUP_SCHEDULED = env_bool("KITH_BACKUP_SCHEDULED", True)
BACKUP_KEEP_DAILY = env_int("KITH_BACKUP_KEEP_DAILY", 7, 1, 366)
BACKUP_KEEP_WEEKLY = env_int("KITH_BACKUP_KEEP_WEEKLY", 4, 0, 520)
BACKUP_PASSPHRASE = _raw("KITH_BACKUP_PASSPHRASE") or ""  # kept as given: spaces count

_database_url = env_str("KITH_DATABASE_URL", "")
DATABASES = {
    "default": (
        database_from_url("KITH_DATABASE_URL", _database_url)
        if _database_url
        else sqlite_database(DATA_DIR)
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The API's docs page uses django-ninja's own templates and static files (no CDN). They are
# found without installing "ninja" as an app: that would import ninja and pydantic in
# django.setup(), ~130 ms of every `kith` command's start, though only the API needs them.
NINJA_DIR = Path(importlib.util.find_spec("ninja").submodule_search_locations[0])  # type: ignore[union-attr,index]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",  # the task queue in Kithkin's own database (`kith worker`)
    "django_otp",  # two-factor: the device interface (docs/two-factor.md)
    "django_otp.plugins.otp_totp",  # authenticator apps (TOTP)
    "kithkin.apps.KithkinConfig",
]
AUTH_USER_MODEL = "kithkin.User"
# Background work (`kith worker`, and the one `kith serve` starts): django-tasks' queue in
# Kithkin's own database, so a single-command install needs no broker (docs/architecture.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

MIDDLEWARE = [
    "kithkin.web.middleware.forwarded_headers_from_trusted_proxies",
    "django.middleware.security.SecurityMiddleware",
    "kithkin.web.middleware.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kithkin.web.middleware.user_time_zone",
    "kithkin.web.middleware.private_responses",
    "kithkin.web.middleware.app_cache_owner",
]
ROOT_URLCONF = "kithkin.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kithkin.web.context.navigation",
                "kithkin.web.context.worker",
            ],
            "libraries": {
                "kithkin": "kithkin.web.templatetags.kithkin",
                "kithkin_sign_in": "kithkin.web.templatetags.sign_in",
                "webhooks": "kithkin.web.templatetags.webhooks",
                "digest": "kithkin.web.templatetags.digest",
                "charts": "kithkin.web.templatetags.charts",
                "strength": "kithkin.web.templatetags.strength",
            },
        },
    }
]
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "web" / "static", NINJA_DIR / "static"]
# Static files are served by WhiteNoise straight from the package: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Two-factor (docs/two-factor.md): the issuer authenticator apps show beside the account.
# django-otp's own per-device back-off is off: Kithkin counts wrong codes per user, in one
# window, whichever device they were typed for (services/mfa.py).
OTP_TOTP_ISSUER = "Kithkin"
OTP_TOTP_THROTTLE_FACTOR = 0
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "today"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

USE_TZ = True
TIME_ZONE = "UTC"  # storage is UTC; people see their own zone
LANGUAGE_CODE = "en-us"
USE_I18N = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # pages carry the token; no script reads the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if HTTPS:
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # the host may share a domain with others
    SILENCED_SYSTEM_CHECKS = [
        "security.W005",  # HSTS subdomains: a self-hosted app must not decide for the domain
        "security.W021",  # HSTS preload: likewise the domain owner's choice
    ]

LOG_LEVEL = env_choice("KITH_LOG_LEVEL", "WARNING", ("DEBUG", "INFO", "WARNING", "ERROR"))
# Every record goes through one handler whose filter takes secrets out: invitation and feed
# tokens in paths, query strings, Authorization values (kithkin.log_redaction). Django's
# loggers are routed to it too (their default console handler would bypass the filter);
# gunicorn's access log is redacted by `kith serve`'s logger class.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "kithkin.log_redaction.RedactSecrets"},
        "unavailable_in_one_line": {"()": "kithkin.storage.UnavailableInOneLine"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["unavailable_in_one_line", "redact_secrets"],
        },
    },
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
