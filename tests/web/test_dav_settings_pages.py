"""Settings' CardDAV app passwords: made, shown once with the url and username a phone
asks for, revoked; each user's own, and nobody else's."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client

from kithkin.models import AppPassword
from kithkin.services.app_passwords import create_app_password
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def _signs_in(username: str, secret: str) -> bool:
    token = base64.b64encode(f"{username}:{secret}".encode()).decode()
    answer = Client().generic("PROPFIND", "/dav/", HTTP_AUTHORIZATION=f"Basic {token}")
    return answer.status_code == 207


def test_the_owner_makes_an_app_password_and_sees_it_once(owner_client, owner):
    page = owner_client.get("/settings/").content.decode()
    assert "Contacts on your phone (CardDAV)" in page
    made = owner_client.post("/settings/dav/", {"name": "iPhone"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    body = made.content.decode()
    assert 'value="http://testserver/dav/"' in body
    secret = re.search(r'id="dav-password" type="text" readonly value="([^"]+)"', body).group(1)
    assert _signs_in("owner", secret)
    again = owner_client.get("/settings/").content.decode()
    assert secret not in again
    assert "iPhone" in again and "last used" in again


def test_revoking_signs_the_phone_out(owner_client, owner):
    made = create_app_password(owner, "old phone")
    owner_client.post(f"/settings/dav/{made.app_password.pk}/revoke/")
    assert not AppPassword.objects.filter(pk=made.app_password.pk).exists()
    assert not _signs_in("owner", made.secret)


def test_outsider_cannot_revoke_anothers_app_password(owner, outsider):
    made = create_app_password(owner, "phone")
    answer = client_for(outsider).post(f"/settings/dav/{made.app_password.pk}/revoke/")
    assert answer.status_code == 404
    assert AppPassword.objects.filter(pk=made.app_password.pk).exists()


def test_a_viewer_may_have_an_app_password_that_only_reads(viewer, network):
    answer = client_for(viewer).post("/settings/dav/", {"name": "tablet"})
    assert answer.status_code == 200
    assert AppPassword.objects.filter(user=viewer, name="tablet").exists()
