"""Two-factor sign-in (docs/two-factor.md): enrolment with an authenticator app, the
login's second step, recovery codes that work once, throttled wrong codes, turning it off,
and a network whose owners require it. Codes are computed as the app would (django-otp's
TOTP) at the frozen instant; the clock moves 30 s when a test needs the next code."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.errors import InvalidInput, Throttled
from kithkin.models import CodeFailure, RecoveryCode, User
from kithkin.models.mfa import code_digest
from kithkin.services import mfa
from kithkin.services.accounts import set_password
from kithkin.services.tokens import create_token
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def app_code(user: User) -> str:
    """What the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def turn_on(user: User) -> list[str]:
    mfa.start_enrolment(user)
    return mfa.confirm_enrolment(user, app_code(user))


def with_password(user: User) -> User:
    set_password(user, PASSWORD)
    return user


def password_step(client: Client, user: User, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


# Enrolment ---------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_key_then_ten_recovery_codes_once(owner):
    client = client_for(owner)
    page = client.get("/settings/two-factor/").content.decode()
    assert "Two-factor is off" in page
    assert client.post("/settings/two-factor/enrol/").status_code == 302

    page = client.get("/settings/two-factor/")
    html = page.content.decode()
    assert page["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert re.search(r'<svg [^>]*class="segno"', html)  # drawn here, no script, no CDN
    assert " style=" not in html.split('class="segno"')[1].split("</svg>")[0]  # CSP
    secret = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert secret == device.config_url.split("secret=")[1].split("&")[0]

    wrong = client.post("/settings/two-factor/confirm/", {"code": "000000"})
    assert "that code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=owner).confirmed

    done = client.post("/settings/two-factor/confirm/", {"code": app_code(owner)})
    html = done.content.decode()
    assert done["Cache-Control"] == "no-store"
    assert "Two-factor is on." in html
    codes = re.findall(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>", html)
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=owner).confirmed
    # Stored as digests only: no code is in the database as typed.
    stored = set(RecoveryCode.objects.values_list("digest", flat=True))
    assert stored == {code_digest(code) for code in codes}
    assert not stored & ({code.replace("-", "") for code in codes} | set(codes))
    # Shown once: the page does not show them again.
    assert codes[0] not in client.get("/settings/two-factor/").content.decode()


def test_enrolment_ends_the_other_sessions(owner):
    other = client_for(owner)
    client = client_for(owner)
    client.post("/settings/two-factor/enrol/")
    client.post("/settings/two-factor/confirm/", {"code": app_code(owner)})
    assert other.get("/today/").status_code == 302  # signed out
    assert client.get("/today/").status_code == 200


def test_starting_again_while_on_is_refused(owner):
    turn_on(owner)
    with pytest.raises(InvalidInput, match="already on"):
        mfa.start_enrolment(owner)


# The second step of logging in ---------------------------------------------------------


def test_login_asks_for_the_code_and_signs_in_only_after_it(owner, frozen_time):
    turn_on(with_password(owner))
    frozen_time.shift(30)  # the code that confirmed the app is used: the next one
    client = Client()
    response = password_step(client, owner, next_url="/people/")
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert not signed_in(client)
    assert client.get("/today/")["Location"].startswith("/login/")  # not signed in yet

    page = client.get("/login/code/").content.decode()
    assert "One more step" in page and 'autocomplete="one-time-code"' in page
    wrong = client.post("/login/code/", {"code": "123456"})
    assert "that code is not right" in wrong.content.decode() and not signed_in(client)

    right = client.post("/login/code/", {"code": app_code(owner)})
    assert right.status_code == 302 and right["Location"] == "/people/"
    assert signed_in(client) and client.session["otp_device_id"].startswith("otp_totp")
    assert client.get("/today/").status_code == 200
    assert not CodeFailure.objects.exists()  # a right code starts afresh


def test_a_code_is_good_once(owner, frozen_time):
    turn_on(with_password(owner))
    frozen_time.shift(30)
    code = app_code(owner)
    first, second = Client(), Client()
    password_step(first, owner)
    password_step(second, owner)
    assert first.post("/login/code/", {"code": code}).status_code == 302
    replay = second.post("/login/code/", {"code": code})
    assert replay.status_code == 200 and not signed_in(second)


def test_users_without_two_factor_log_in_in_one_step(owner):
    client = Client()
    response = password_step(client, with_password(owner))
    assert response["Location"] == "/today/" and signed_in(client)


def test_the_code_page_without_a_password_first_goes_back_to_login(owner):
    response = Client().get("/login/code/")
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_a_password_step_expires_after_ten_minutes(owner, frozen_time):
    turn_on(with_password(owner))
    client = Client()
    password_step(client, owner)
    frozen_time.shift(11 * 60)
    response = client.post("/login/code/", {"code": app_code(owner)})
    assert response["Location"] == "/login/" and not signed_in(client)


def test_wrong_codes_are_throttled_per_user(owner, frozen_time):
    turn_on(with_password(owner))
    client = Client()
    password_step(client, owner)
    for _ in range(mfa.MAX_CODE_FAILURES):
        assert client.post("/login/code/", {"code": "000000"}).status_code == 200
    refused = client.post("/login/code/", {"code": app_code(owner)})
    assert refused.status_code == 429 and "Too many wrong codes" in refused.content.decode()
    assert not signed_in(client)
    # Another browser, same user: the count is the user's.
    other = Client()
    password_step(other, owner)
    assert other.post("/login/code/", {"code": app_code(owner)}).status_code == 429
    # Once the window has moved on, the right code works.
    frozen_time.shift(mfa.CODE_WINDOW.total_seconds() + 30)
    password_step(other, owner)
    assert other.post("/login/code/", {"code": app_code(owner)}).status_code == 302
    assert signed_in(other)


def test_a_recovery_code_works_once(owner):
    codes = turn_on(with_password(owner))
    client = Client()
    password_step(client, owner)
    response = client.post("/login/code/", {"code": codes[3].upper().replace("-", " ")})
    assert response.status_code == 302 and signed_in(client)
    assert "You used a recovery code; 9 left." in client.get("/today/").content.decode()

    again = Client()
    password_step(again, owner)
    refused = again.post("/login/code/", {"code": codes[3]})
    assert refused.status_code == 200 and not signed_in(again)
    assert RecoveryCode.objects.count() == 9


# Managing it ---------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones_and_need_proof(owner):
    old = turn_on(with_password(owner))
    client = client_for(owner)
    refused = client.post("/settings/two-factor/recovery-codes/", {"codes-proof": "guess"})
    assert "is neither your password nor a current code" in refused.content.decode()
    page = client.post("/settings/two-factor/recovery-codes/", {"codes-proof": PASSWORD})
    new = re.findall(r"<li><code>([a-z2-7-]{19})</code></li>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(InvalidInput):
        mfa.verify(owner, old[0])
    assert mfa.verify(owner, new[0])


def test_turning_it_off_needs_the_password_or_a_current_code(owner, frozen_time):
    turn_on(with_password(owner))
    client = client_for(owner)
    refused = client.post("/settings/two-factor/disable/", {"proof": "nope"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=owner).exists()
    frozen_time.shift(30)
    done = client.post("/settings/two-factor/disable/", {"proof": app_code(owner)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert not RecoveryCode.objects.exists()
    fresh = Client()
    assert password_step(fresh, owner)["Location"] == "/today/"


def test_turning_it_off_with_a_recovery_code(owner):
    codes = turn_on(owner)  # no password: signed in through single sign-on, say
    mfa.disable(owner, codes[0])
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_proofs_are_throttled_too(owner):
    turn_on(with_password(owner))
    for _ in range(mfa.MAX_CODE_FAILURES):
        with pytest.raises(InvalidInput):
            mfa.disable(owner, "999999")
    with pytest.raises(Throttled):
        mfa.disable(owner, PASSWORD)


def test_reset_by_whoever_runs_the_server(owner):
    turn_on(owner)
    assert mfa.reset(owner) is True
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert mfa.reset(owner) is False


def test_settings_shows_two_factor_and_links_to_it(owner):
    client = client_for(owner)
    page = client.get("/settings/").content.decode()
    assert "Two-factor:" in page and "Set up two-factor" in page
    turn_on(owner)
    page = client.get("/settings/").content.decode()
    assert "10 recovery codes left" in page and "Manage two-factor" in page


# A network that requires it ------------------------------------------------------------


@pytest.fixture
def required(owner, network):
    turn_on(owner)
    client_for(owner).post("/network/two-factor/", {"requires_two_factor": "on"})
    network.refresh_from_db()
    assert network.requires_two_factor
    return network


def opening(user: User, network) -> Client:
    user.current_network = network
    user.save(update_fields=["current_network"])
    return client_for(user)


@pytest.mark.parametrize("member", ["teammate", "viewer"])
def test_a_member_without_two_factor_is_sent_to_set_it_up(request, required, member):
    user = request.getfixturevalue(member)
    client = opening(user, required)
    for url in ("/today/", "/people/", "/settings/", "/network/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/settings/two-factor/"
    page = client.get("/settings/two-factor/").content.decode()
    assert "requires two-factor sign-in" in page
    assert f"Required to open {escape(required.name)}" in page
    htmx = client.get("/people/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"] == "/settings/two-factor/"
    # Writes are closed too.
    assert client.post("/people/new/", {"full_name": "Sneaky"}).status_code == 302
    # Once they turn it on, the network opens.
    turn_on(user)
    assert client.get("/today/").status_code == 200


def test_their_other_networks_stay_open(required, teammate):
    client = opening(teammate, required)
    assert client.get("/today/").status_code == 302
    own = teammate.memberships.exclude(network=required).get().network
    client.post("/networks/switch/", {"network": own.pk})
    assert client.get("/today/").status_code == 200
    assert client.get("/people/").status_code == 200


def test_the_owner_with_two_factor_is_not_stopped(required, owner):
    assert client_for(owner).get("/today/").status_code == 200


def test_api_tokens_are_a_separate_credential(required, teammate):
    """A member who has two-factor uses a token without a code on every call (a token of a
    member without it is refused: tests/api/test_tokens.py)."""
    turn_on(teammate)
    secret = create_token(teammate, "script", "read", network=required).secret
    response = Client().get(
        f"/api/v1/networks/{required.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 200


def test_only_owners_require_it(network, owner, teammate, viewer):
    for user in (teammate, viewer):
        turn_on(user)
        client = opening(user, network)
        response = client.post("/network/two-factor/", {"requires_two_factor": "on"})
        assert response.status_code == 403
    network.refresh_from_db()
    assert not network.requires_two_factor


def test_an_outsider_cannot_reach_the_owners_network(network, outsider):
    turn_on(outsider)
    client_for(outsider).post("/network/two-factor/", {"requires_two_factor": "on"})
    network.refresh_from_db()
    assert not network.requires_two_factor  # only the outsider's own network changed
    outsider.current_network.refresh_from_db()
    assert outsider.current_network.requires_two_factor


def test_an_owner_must_have_it_before_requiring_it(owner, network):
    client = client_for(owner)
    response = client.post("/network/two-factor/", {"requires_two_factor": "on"})
    assert response.status_code == 302
    network.refresh_from_db()
    assert not network.requires_two_factor
    page = client.get("/network/").content.decode()
    assert "turn on two-factor for yourself first" in page


def test_the_sharing_page_names_members_without_it(required, owner, teammate):
    page = client_for(owner).get("/network/").content.decode()
    assert "Members must use two-factor sign-in to open this network." in page
    assert "Without two-factor: teammate." in page
    response = client_for(owner).post("/network/two-factor/", {})
    required.refresh_from_db()
    assert response.status_code == 302 and not required.requires_two_factor
