"""Email out: whether it is configured (``KITH_EMAIL_URL``), a test message, and `kith
doctor`'s check that the server answers. Sending is Django's (``EmailMultiAlternatives``
over its SMTP backend); nothing here speaks SMTP by hand but the doctor's EHLO."""

from __future__ import annotations

import smtplib
import socket
import ssl

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from kithkin import clock
from kithkin.doctor import Finding, check
from kithkin.errors import KithError

PROBE_TIMEOUT = 5  # seconds the doctor waits for the mail server
# What a failed send raises: the server refused, or could not be reached.
SEND_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)


class EmailNotConfigured(KithError):
    """Email is off: KITH_EMAIL_URL is unset."""


def is_configured() -> bool:
    return bool(getattr(settings, "EMAIL_CONFIGURED", False))


def require_configured() -> None:
    if not is_configured():
        raise EmailNotConfigured(
            "Email is off: set KITH_EMAIL_URL (smtp://user:pass@host:port) and KITH_EMAIL_FROM "
            "(docs/settings.md)."
        )


def server_description() -> str:
    scheme = (
        "smtps" if settings.EMAIL_USE_SSL else "smtp+starttls" if settings.EMAIL_USE_TLS else "smtp"
    )
    user = f"{settings.EMAIL_HOST_USER}@" if settings.EMAIL_HOST_USER else ""
    return f"{scheme}://{user}{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"


def failure_text(error: BaseException) -> str:
    """A failed send in one line, for a person (no traceback)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return f"the mail server refused the recipient: {error.recipients}"[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"the mail server answered {error.smtp_code}: {text}"[:500]
    if isinstance(error, (socket.timeout, TimeoutError)):
        return f"the mail server at {server_description()} did not answer in time"
    if isinstance(error, OSError):
        return f"could not reach the mail server at {server_description()}: {error}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


def send_test_message(to: str) -> None:
    """Send a short message to ``to`` through the configured server. Raises
    ``EmailNotConfigured``, or a ``KithError`` saying why the server did not take it."""
    require_configured()
    moment = clock.now().strftime("%Y-%m-%d %H:%M UTC")
    message = EmailMultiAlternatives(
        subject="Kithkin test message",
        body=(
            f"This is a test message from Kithkin, sent at {moment} through "
            f"{server_description()}.\n\nIf you read it, your digest emails can reach you.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except SEND_ERRORS as error:
        raise KithError(f"The test message was not sent: {failure_text(error)}.") from None


def probe() -> str | None:
    """Connect to the mail server and say EHLO (and STARTTLS when configured): None when it
    answers, else what went wrong."""
    host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
    try:
        server: smtplib.SMTP
        if settings.EMAIL_USE_SSL:
            server = smtplib.SMTP_SSL(
                host, port, timeout=PROBE_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(host, port, timeout=PROBE_TIMEOUT)
        with server:
            code, _ = server.ehlo()
            if code != 250:
                return f"the mail server answered EHLO with {code}"
            if settings.EMAIL_USE_TLS:
                server.starttls(context=ssl.create_default_context())
                server.ehlo()
    except SEND_ERRORS as error:
        return failure_text(error)
    return None


@check("email")
def email_check() -> list[Finding]:
    if not is_configured():
        return [
            Finding(
                "email",
                True,
                "email is off (KITH_EMAIL_URL is unset): no digest is emailed; push (ntfy) "
                "still works. Set KITH_EMAIL_URL and KITH_EMAIL_FROM to send digests.",
            )
        ]
    problem = probe()
    if problem is not None:
        return [Finding("email", False, f"{problem}. Check KITH_EMAIL_URL.")]
    return [
        Finding(
            "email",
            True,
            f"the mail server {server_description()} answers; digests are sent from "
            f"{settings.DEFAULT_FROM_EMAIL}",
        )
    ]
