"""Personal access tokens: made once, stored hashed, listed, revoked, expired, last use
recorded; by the service, `kith token` and the Settings page."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.errors import InvalidInput, NotFound
from kithkin.models import AccessToken
from kithkin.services.tokens import authenticate, create_token, revoke_token, tokens_of
from tests.api.conftest import Caller
from tests.conftest import FROZEN_NOW
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db


def every_stored_value() -> str:
    """Everything the token table holds, as text."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AccessToken._meta.db_table}")
        return json.dumps(cursor.fetchall(), default=str)


def test_the_secret_is_never_stored_only_its_digest(owner):
    made = create_token(owner, "backup script", "read")
    assert made.secret.startswith("kith_") and len(made.secret) >= 5 + 43  # 32 random bytes
    stored = every_stored_value()
    assert made.secret not in stored
    assert made.secret[5:] not in stored
    assert hashlib.sha256(made.secret.encode()).hexdigest() in stored
    assert made.token.prefix == made.secret[:11]


def test_a_token_stands_for_its_user_with_its_scope_and_network(owner, network):
    made = create_token(owner, "dashboard", "read", network=network)
    actor = authenticate(made.secret)
    assert actor is not None
    assert (actor.user, actor.scope, actor.network_id) == (owner, "read", network.pk)


@pytest.mark.parametrize("secret", ["", "kith_", "kith_nope", "ghp_whatever", "x" * 500])
def test_unknown_secrets_stand_for_no_one(owner, secret):
    create_token(owner, "real", "write")
    assert authenticate(secret) is None


def test_a_revoked_token_opens_nothing(owner):
    made = create_token(owner, "old laptop", "write")
    revoke_token(owner, "OLD LAPTOP")
    assert authenticate(made.secret) is None
    assert tokens_of(owner) == []
    assert Caller(made.secret).get("/api/v1/networks").status_code == 401


def test_an_expired_token_opens_nothing(owner, frozen_time):
    made = create_token(owner, "trial", "read", expires_in_days=1)
    assert authenticate(made.secret) is not None
    frozen_time.shift(dt.timedelta(days=1, seconds=1))
    assert authenticate(made.secret) is None
    assert Caller(made.secret).get("/api/v1/networks").status_code == 401


def test_a_deactivated_user_s_tokens_open_nothing(owner):
    made = create_token(owner, "script", "read")
    owner.is_active = False
    owner.save()
    assert authenticate(made.secret) is None


def test_last_use_is_recorded_at_most_once_a_minute(owner, frozen_time):
    made = create_token(owner, "sync", "read")
    api = Caller(made.secret)
    assert AccessToken.objects.get().last_used_at is None
    api.get("/api/v1/networks")
    assert AccessToken.objects.get().last_used_at == FROZEN_NOW
    frozen_time.shift(dt.timedelta(seconds=20))
    api.get("/api/v1/networks")
    assert AccessToken.objects.get().last_used_at == FROZEN_NOW  # same minute: not written
    frozen_time.shift(dt.timedelta(seconds=50))
    api.get("/api/v1/networks")
    assert AccessToken.objects.get().last_used_at == FROZEN_NOW + dt.timedelta(seconds=70)


def test_names_are_required_and_unique_per_user_among_live_tokens(owner, teammate):
    create_token(owner, "Laptop", "read")
    with pytest.raises(InvalidInput, match="already have"):
        create_token(owner, "laptop", "write")
    with pytest.raises(InvalidInput, match="name"):
        create_token(owner, "   ", "read")
    create_token(teammate, "laptop", "read")  # another user's names are theirs
    revoke_token(owner, "laptop")
    create_token(owner, "laptop", "read")  # a revoked token's name is free again


def test_scope_is_read_or_write(owner):
    with pytest.raises(InvalidInput, match="scope"):
        create_token(owner, "admin", "admin")


def test_a_viewer_may_make_read_tokens_but_no_write_token_for_that_network(network, viewer):
    create_token(viewer, "reader", "read", network=network)
    with pytest.raises(InvalidInput, match="read token"):
        create_token(viewer, "writer", "write", network=network)


def test_no_token_for_a_network_one_does_not_belong_to(network, outsider):
    with pytest.raises(NotFound):
        create_token(outsider, "spy", "read", network=network)


def test_one_revokes_only_ones_own_tokens(owner, teammate):
    made = create_token(owner, "mine", "read")
    with pytest.raises(NotFound):
        revoke_token(teammate, made.token.pk)
    with pytest.raises(NotFound):
        revoke_token(teammate, "mine")
    assert authenticate(made.secret) is not None


# `kith token`


def test_kith_token_create_prints_the_secret_once_and_list_shows_it_without(kith, owner, network):
    result = kith(
        "token", "create", "--name", "backup", "--scope", "read", "--network", network.name
    )
    assert result.exit_code == 0, result.stderr
    secret = result.stdout.strip().splitlines()[0]
    actor = authenticate(secret)
    assert actor is not None and actor.scope == "read" and actor.network_id == network.pk
    listed = kith("token", "list")
    assert "backup" in listed.stdout and secret[:11] in listed.stdout
    assert secret not in listed.stdout
    assert "never" in listed.stdout  # not used yet
    rows = json.loads(kith("token", "list", "--json").stdout)
    assert rows[0]["name"] == "backup" and rows[0]["network"]["id"] == network.pk
    assert "secret" not in rows[0]


def test_kith_token_create_refuses_an_unknown_network_and_scope(kith, owner):
    result = kith("token", "create", "--name", "x", "--scope", "read", "--network", "Nowhere")
    assert result.exit_code == 1 and "no network 'Nowhere'" in result.stderr
    assert kith("token", "create", "--name", "x", "--scope", "admin").exit_code == 2
    assert not AccessToken.objects.exists()


def test_kith_token_revoke_by_name_or_id(kith, owner):
    first = create_token(owner, "first", "read")
    second = create_token(owner, "second", "write")
    assert kith("token", "revoke", "first").exit_code == 0
    assert kith("token", "revoke", str(second.token.pk)).exit_code == 0
    assert authenticate(first.secret) is None and authenticate(second.secret) is None
    missing = kith("token", "revoke", "third")
    assert missing.exit_code == 1 and "no token 'third'" in missing.stderr


# Settings → API tokens


def test_settings_makes_a_token_shown_once(owner, network):
    client = client_for(owner)
    response = client.post(
        "/settings/tokens/", {"name": "phone", "scope": "read", "network": network.pk, "days": ""}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["new_token"].secret
    assert secret in response.content.decode()
    assert authenticate(secret).network_id == network.pk
    page = client.get("/settings/").content.decode()
    assert "phone" in page and secret[:11] in page and secret not in page


def test_settings_shows_a_services_refusal_on_the_form(network, viewer):
    client = client_for(viewer)
    response = client.post(
        "/settings/tokens/", {"name": "w", "scope": "write", "network": network.pk}
    )
    assert response.status_code == 200
    assert "make a read token" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_settings_revokes_ones_own_token_only(owner, outsider):
    made = create_token(owner, "laptop", "write")
    assert client_for(outsider).post(f"/settings/tokens/{made.token.pk}/revoke/").status_code == 404
    assert authenticate(made.secret) is not None
    response = client_for(owner).post(f"/settings/tokens/{made.token.pk}/revoke/")
    assert response.status_code == 302
    assert authenticate(made.secret) is None


def test_token_actions_are_post_only_and_need_csrf(owner):
    made = create_token(owner, "laptop", "write")
    client = client_for(owner)
    assert client.get("/settings/tokens/").status_code == 405
    assert client.get(f"/settings/tokens/{made.token.pk}/revoke/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(f"/settings/tokens/{made.token.pk}/revoke/").status_code == 403
    assert strict.post("/settings/tokens/", {"name": "x", "scope": "read"}).status_code == 403
    assert authenticate(made.secret) is not None
    assert AccessToken.objects.count() == 1


def test_anonymous_visitors_make_no_token(db):
    response = Client().post("/settings/tokens/", {"name": "x", "scope": "read"})
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert not AccessToken.objects.exists()


def test_a_token_does_not_open_a_network_that_requires_two_factor_its_user_lacks(
    owner, teammate, network
):
    """The web sends a member without two-factor to set it up; a token must not be the way
    around it, whether made for all networks before the rule or on another network's page."""
    everywhere = Caller(create_token(teammate, "all my networks", "read").secret)
    network.requires_two_factor = True
    network.save()

    refused = everywhere.get(f"/api/v1/networks/{network.pk}/people")
    assert refused.status_code == 403
    assert "requires two-factor" in refused.json()["detail"]
    with pytest.raises(InvalidInput, match="requires two-factor"):
        create_token(teammate, "just this one", "read", network=network)

    TOTPDevice.objects.create(user=teammate, name="phone", confirmed=True)
    assert everywhere.get(f"/api/v1/networks/{network.pk}/people").status_code == 200
