"""Security headers, private responses never stored, and the user's time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kithkin.services.throttle import is_trusted_proxy

# No inline script or style anywhere: htmx is loaded from /static and configured by a
# <meta> tag, and every style lives in app.css.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

Handler = Callable[[HttpRequest], HttpResponse]


# Headers only a proxy should write; a client can write them too.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")


def forwarded_headers_from_trusted_proxies(get_response: Handler) -> Handler:
    """Once KITH_TRUSTED_PROXIES names the proxies, a request from anyone else loses the
    forwarded headers, so a client reaching the server directly cannot claim HTTPS (which
    Django reads from X-Forwarded-Proto behind a TLS proxy). X-Forwarded-For needs no
    removal: the throttle reads it only from a trusted peer (services.throttle)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        trusted = settings.TRUSTED_PROXIES
        if trusted and not is_trusted_proxy(request.META.get("REMOTE_ADDR"), trusted):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return get_response(request)

    return middleware


def content_security_policy(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response

    return middleware


def private_responses(get_response: Handler) -> Handler:
    """``Cache-Control: no-store`` on every answer to a signed-in user or to a request
    carrying credentials (an API or MCP token): pages, htmx fragments, exports and API
    answers hold private data that no browser cache, proxy or shared disk may keep. Static
    files (WhiteNoise answers them before this runs) and the pages of someone signed out
    (the login page) may be cached as usual."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        chosen = response.headers.get("Cache-Control", "")
        # A view that chose private caching on purpose keeps it (a photo at its
        # digest's URL: web/views/photos.py says why); everything else: no-store.
        if (signed_in or "HTTP_AUTHORIZATION" in request.META) and not chosen.startswith("private"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return middleware


def user_time_zone(get_response: Handler) -> Handler:
    """Show every date in the signed-in user's own time zone."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.time_zone)
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


def cache_owner_of(user: object) -> str:
    """Whose pages a cache holds, as the app's service worker and queue see it: an opaque
    key per user (an HMAC of their id), never the id or the name."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("kithkin.app-cache-owner", str(getattr(user, "pk", ""))).hexdigest()[:24]


def app_cache_owner(get_response: Handler) -> Handler:
    """The phone app keeps pages and queued quick logs per user (docs/app.md). Each answer
    to a signed-in user names its owner (``Kithkin-Cache-Owner``, and ``request.
    cache_owner`` for the page's meta tag); the service worker drops every cached page of
    anyone else when it sees another owner, and the queue never sends one user's entries
    as another. Signing out also clears the browser's caches and storage for the site
    (``Clear-Site-Data``), unsent quick logs included; signing in clears its HTTP cache."""

    def middleware(request: HttpRequest) -> HttpResponse:
        before = cache_owner_of(getattr(request, "user", None))
        request.cache_owner = before  # type: ignore[attr-defined]
        response = get_response(request)
        after = cache_owner_of(getattr(request, "user", None))
        if after:
            response.headers["Kithkin-Cache-Owner"] = after
        if before and not after:
            response.headers["Clear-Site-Data"] = '"cache", "storage"'
        elif after and before != after:
            response.headers["Clear-Site-Data"] = '"cache"'
        return response

    return middleware
