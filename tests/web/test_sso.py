"""Single sign-on through a real OpenID provider the tests start (tests/oidc_provider/:
django-oidc-provider in a process of its own). The browser's part is played by a requests
session at the provider and Django's test client at Kithkin; everything between Kithkin
and the provider (discovery, the code exchange with PKCE and the client secret, the
provider's keys) goes over HTTP on this machine."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.models import Network, OidcIdentity, User
from kithkin.services import mfa
from tests.oidc_provider.provider import CLIENT_ID, CLIENT_SECRET, PASSWORD, running_provider
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db
CALLBACK = "http://testserver/login/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    with running_provider(tmp_path_factory.mktemp("oidc"), CALLBACK) as running:
        yield running


@pytest.fixture(autouse=True)
def single_sign_on(settings, provider, frozen_time):
    settings.OIDC = {
        "issuer": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "name": "Team ID",
    }
    settings.OIDC_CREATE_USERS = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The provider signs with its own clock: Kithkin's must agree that the token is fresh.
    real_now = time_machine.escape_hatch.time.time()
    frozen_time.move_to(dt.datetime.fromtimestamp(real_now, tz=dt.UTC))


def at_provider(authorize_url: str, username: str) -> str:
    """A person signing in at the provider; returns where it sends the browser back."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    login_url = urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    response = browser.post(
        login_url,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": csrf,
            "next": next_url,
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    response = browser.get(urljoin(login_url, response.headers["Location"]), allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    back = response.headers["Location"]
    assert back.startswith(CALLBACK), back
    return back


def sign_in(client: Client, username: str, *, next_url: str = ""):
    start = client.get("/login/oidc/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    back = at_provider(start["Location"], username)
    return client.get(back.removeprefix("http://testserver"))


def test_the_login_page_offers_the_provider():
    page = Client().get("/login/").content.decode()
    assert "Sign in with Team ID" in page and 'href="/login/oidc/"' in page


def test_the_authorize_request_uses_pkce_state_and_nonce():
    start = Client().get("/login/oidc/")
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["response_type"] == ["code"] and query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [CALLBACK]
    assert "openid" in query["scope"][0].split()


def test_a_new_person_gets_an_account_when_the_server_makes_them(settings):
    settings.OIDC_CREATE_USERS = True
    client = Client()
    response = sign_in(client, "alice", next_url="/people/")
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert SESSION_KEY in client.session
    alice = User.objects.get(username="alice")
    assert (alice.get_full_name(), alice.email) == ("Alice Example", "alice@example.org")
    assert not alice.has_usable_password()
    assert Network.objects.filter(memberships__user=alice).exists()  # a network of her own
    identity = OidcIdentity.objects.get(user=alice)
    assert identity.subject and identity.issuer == settings.OIDC["issuer"]
    assert client.get("/today/").status_code == 200

    # The next time, the same account by its sub: no second user.
    again = Client()
    assert sign_in(again, "alice")["Location"] == "/today/"
    assert User.objects.filter(username__startswith="alice").count() == 1


def test_an_unknown_person_is_refused_when_the_server_makes_no_accounts(owner):
    client = Client()
    response = sign_in(client, "bob")
    assert response.status_code == 403
    assert "No Kithkin account is linked to this account yet" in response.content.decode()
    assert SESSION_KEY not in client.session and not OidcIdentity.objects.exists()


def test_an_email_alone_never_links_an_account(owner):
    owner.email = "bob@example.org"  # the provider's bob has this address, verified
    owner.save()
    response = sign_in(Client(), "bob")
    assert response.status_code == 403 and not OidcIdentity.objects.exists()


def test_a_signed_in_user_links_their_account_then_signs_in_with_it(owner):
    client = client_for(owner)
    settings_page = client.get("/settings/").content.decode()
    assert "Team ID" in settings_page and "not linked" in settings_page
    start = client.post("/settings/sign-in/link/")
    back = at_provider(start["Location"], "bob")
    done = client.get(back.removeprefix("http://testserver"))
    assert done["Location"] == "/settings/"
    assert OidcIdentity.objects.get().user == owner
    assert "linked" in client.get("/settings/").content.decode()

    fresh = Client()
    assert sign_in(fresh, "bob")["Location"] == "/today/"
    assert fresh.session[SESSION_KEY] == str(owner.pk)


def test_an_account_linked_to_someone_else_is_not_taken_over(owner, outsider):
    client = client_for(owner)
    back = at_provider(client.post("/settings/sign-in/link/")["Location"], "bob")
    client.get(back.removeprefix("http://testserver"))
    other = client_for(outsider)
    back = at_provider(other.post("/settings/sign-in/link/")["Location"], "bob")
    other.get(back.removeprefix("http://testserver"))
    assert OidcIdentity.objects.get().user == owner


def test_users_with_two_factor_still_give_a_code(settings, frozen_time):
    settings.OIDC_CREATE_USERS = True
    sign_in(Client(), "alice")
    alice = User.objects.get(username="alice")
    mfa.start_enrolment(alice)
    device = TOTPDevice.objects.get(user=alice)
    mfa.confirm_enrolment(alice, f"{totp(device.bin_key):06d}")
    frozen_time.shift(30)

    client = Client()
    response = sign_in(client, "alice", next_url="/people/")
    assert response["Location"] == "/login/code/" and SESSION_KEY not in client.session
    done = client.post("/login/code/", {"code": f"{totp(device.bin_key):06d}"})
    assert done["Location"] == "/people/" and SESSION_KEY in client.session


def test_a_state_that_does_not_match_is_refused(settings):
    settings.OIDC_CREATE_USERS = True
    client = Client()
    start = client.get("/login/oidc/")
    back = at_provider(start["Location"], "alice")
    forged = re.sub(r"state=[^&]+", "state=forged", back)
    response = client.get(forged.removeprefix("http://testserver"))
    assert response.status_code == 400
    assert "was not started here" in response.content.decode()
    assert SESSION_KEY not in client.session and not User.objects.filter(username="alice")


def test_a_callback_in_another_browser_is_refused(settings):
    """Login CSRF: an attacker's code and state, opened in the victim's browser."""
    settings.OIDC_CREATE_USERS = True
    attacker = Client()
    back = at_provider(attacker.get("/login/oidc/")["Location"], "alice")
    victim = Client()
    response = victim.get(back.removeprefix("http://testserver"))
    assert response.status_code == 400 and SESSION_KEY not in victim.session


def test_a_callback_is_good_once(settings):
    settings.OIDC_CREATE_USERS = True
    client = Client()
    back = at_provider(client.get("/login/oidc/")["Location"], "alice")
    assert client.get(back.removeprefix("http://testserver")).status_code == 302
    client.logout()
    assert client.get(back.removeprefix("http://testserver")).status_code == 400


def test_an_id_token_with_another_nonce_is_refused(settings):
    settings.OIDC_CREATE_USERS = True
    client = Client()
    response = sign_in(client, "wrong-nonce")
    assert response.status_code == 400
    assert "its ID token was not valid (invalid_claim)" in response.content.decode()
    assert SESSION_KEY not in client.session and not OidcIdentity.objects.exists()


def test_an_id_token_from_another_issuer_is_refused(settings):
    settings.OIDC_CREATE_USERS = True
    client = Client()
    response = sign_in(client, "wrong-issuer")
    assert response.status_code == 400
    assert "its ID token was not valid (invalid_claim)" in response.content.decode()
    assert SESSION_KEY not in client.session and not OidcIdentity.objects.exists()


def test_a_provider_whose_discovery_names_another_issuer_is_refused(settings, provider):
    settings.OIDC = {**settings.OIDC, "issuer": provider.issuer + "/"}  # served there too
    client = Client()
    response = sign_in(client, "alice")
    assert response.status_code == 400
    assert "names another issuer" in response.content.decode()


def test_unlinking_needs_another_way_in(settings, owner):
    settings.OIDC_CREATE_USERS = True
    sign_in(Client(), "alice")
    alice = User.objects.get(username="alice")
    client = client_for(alice)
    client.post("/settings/sign-in/unlink/")
    assert OidcIdentity.objects.filter(user=alice).exists()  # her only way in


def test_without_configuration_there_is_no_single_sign_on(settings):
    settings.OIDC = None
    assert "Sign in with" not in Client().get("/login/").content.decode()
    assert Client().get("/login/oidc/").status_code == 404
    assert Client().get("/login/oidc/callback/?code=x&state=y").status_code == 404
