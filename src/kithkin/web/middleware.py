"""Security headers, private responses never stored, and the user's time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

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
