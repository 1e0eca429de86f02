"""Tokens, query strings and Authorization values never reach a log (issue 18: the access
log recorded full /invitations/<token>/ URLs, live credentials until accepted, and every
search query and template preview)."""

from __future__ import annotations

import contextlib
import logging
import urllib.error
import urllib.request

import pytest

from kithkin.log_redaction import RedactSecrets, redact
from tests.test_serve import Server, served_env, server  # noqa: F401  (fixtures)

INVITATION = "inv1TaTi0nS3cret"
FEED = "fe3dS3cretT0ken"
SEARCH = "whisperedsearchterm"
PREVIEW = "templatepreviewtext"
API_TOKEN = "kith_Ap1T0kenS3cretValue"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        (f'"GET /invitations/{INVITATION}/ HTTP/1.1" 404', INVITATION),
        (f"Not Found: /invitations/{INVITATION}/accept/", INVITATION),
        (f"GET /feeds/{FEED}/agenda.ics HTTP/1.1", FEED),
        (f"GET /people/?q={SEARCH}&circle=close HTTP/1.1", SEARCH),
        (f"GET /settings/message-templates/thanks/preview/?body={PREVIEW}", PREVIEW),
        (f"Authorization: Bearer {API_TOKEN}", API_TOKEN),
        (f"{{'HTTP_AUTHORIZATION': 'Bearer {API_TOKEN}'}}", API_TOKEN),
        (f"token {API_TOKEN} used", API_TOKEN),
    ],
)
def test_secrets_are_redacted_from_a_line(line, secret):
    cleaned = redact(line)
    assert secret not in cleaned
    assert "[redacted]" in cleaned


def test_a_line_without_secrets_is_kept():
    line = "GET /people/42/ HTTP/1.1 200. Did you mean Ada?"
    assert redact(line) == line


def test_the_filter_redacts_a_formatted_record():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/invitations/{INVITATION}/",),
        None,
    )
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /invitations/[redacted]/"


def _get(url: str, **headers: str) -> None:
    request = urllib.request.Request(url, headers=headers)
    with contextlib.suppress(urllib.error.HTTPError):  # 404, 401: what was logged matters
        urllib.request.urlopen(request, timeout=30).close()


@pytest.mark.slow
def test_the_real_servers_logs_hold_no_secret(server: Server):  # noqa: F811
    invitation = f"{server.url}invitations/{INVITATION}/"
    _get(invitation)  # 404: logged by gunicorn and by django.request
    _get(f"{server.url}feeds/{FEED}/agenda.ics")
    _get(f"{server.url}people/?q={SEARCH}")
    _get(f"{server.url}settings/message-templates/thanks/preview/?body={PREVIEW}")
    _get(f"{server.url}login/", Referer=invitation)
    _get(f"{server.url}api/v1/networks/", Authorization=f"Bearer {API_TOKEN}")
    logs = server.output()
    assert "/invitations/[redacted]/" in logs  # the lines were logged, redacted
    assert "Not Found: /feeds/[redacted]/agenda.ics" in logs
    for secret in (INVITATION, FEED, SEARCH, PREVIEW, API_TOKEN):
        assert secret not in logs
