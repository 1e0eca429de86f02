"""Safety, each one tested: headers, cookies, CSRF, throttling, escaping, deploy checks."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from kithkin.web.markdown import render_markdown
from kithkin.web.middleware import forwarded_headers_from_trusted_proxies
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_every_page_forbids_inline_script_and_framing(owner_client):
    response = owner_client.get("/today/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()  # no inline script at all


def test_session_cookie_is_httponly_and_samesite(client, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    response = client.post(
        "/login/", {"username": "owner", "password": "correct horse battery staple"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_state_changes_need_the_csrf_token(owner, network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post("/people/new/", {"full_name": "Forged"}).status_code == 403


def test_login_is_throttled_after_repeated_failures(client, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    for _ in range(5):
        assert client.post("/login/", {"username": "owner", "password": "wrong"}).status_code == 200
    blocked = client.post(
        "/login/", {"username": "owner", "password": "correct horse battery staple"}
    )
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()


def test_passwords_are_hashed_with_argon2(owner):
    owner.set_password("correct horse battery staple")
    assert owner.password.startswith("argon2$")


def test_login_redirect_stays_on_this_site(client, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    response = client.post(
        "/login/",
        {
            "username": "owner",
            "password": "correct horse battery staple",
            "next": "https://evil.example/",
        },
    )
    assert response.url == "/today/"


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[x](JaVaScRiPt:alert(1))", 'alert(1)"'),
        ('<a href="javascript:alert(1)">x</a>', '<a href="javascript'),
    ],
)
def test_markdown_is_sanitised(markdown, forbidden):
    assert forbidden.lower() not in str(render_markdown(markdown)).lower()


def test_stored_xss_renders_as_text(owner_client, network):
    person = make_person(
        network,
        '<script>alert("name")</script>',
        tags=['"><img src=x onerror=alert(1)>'],
        notes="[x](javascript:alert(1)) <script>alert(2)</script>",
    )
    for url in (f"/people/{person.pk}/", "/people/", "/tags/"):
        page = owner_client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert 'href="javascript:' not in page
    assert (
        "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;"
        in owner_client.get(f"/people/{person.pk}/").content.decode()
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "KITH_DATA_DIR": str(tmp_path),
        "KITH_HTTPS": "1",
        "KITH_DEBUG": "0",
        "KITH_SECRET_KEY": "x" * 20 + "a-long-random-secret-key-for-tests" + "y" * 20,
        "KITH_ALLOWED_HOSTS": "kithkin.example.org",
        "DJANGO_SETTINGS_MODULE": "kithkin.settings",
    }
    env.pop("KITH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "url",
    ["/today/", "/people/", "/export/json/", "/settings/", "/today/sections/thanks/?all=1"],
)
def test_every_signed_in_answer_is_never_stored(owner_client, network, url):
    response = owner_client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_redirect_is_never_stored(owner_client, network):
    response = owner_client.post("/people/new/", {"full_name": "Ada Lovelace"})
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"


def test_the_login_page_and_static_files_may_be_cached(client, settings):
    settings.WHITENOISE_AUTOREFRESH = True
    assert "no-store" not in client.get("/login/").headers.get("Cache-Control", "")
    static = client.get("/static/kithkin/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")


@pytest.mark.parametrize(
    ("peer", "secure"),
    [("10.0.0.7", True), ("203.0.113.9", False)],
    ids=["from the trusted proxy", "from a client reaching the server directly"],
)
def test_only_a_trusted_proxy_can_say_the_request_came_over_https(settings, peer, secure):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request.is_secure())
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_PROTO="https")
    forwarded_headers_from_trusted_proxies(view)(request)
    assert seen == [secure]
