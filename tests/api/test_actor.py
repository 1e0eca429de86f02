"""Access knows an actor: a user, the scope of the token they came through and the network
it may be limited to. Owner, teammate (editor), viewer and outsider."""

from __future__ import annotations

import pytest

from kithkin import access
from kithkin.access import Actor
from kithkin.errors import Forbidden, NotFound

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("who", "role"), [("owner", "owner"), ("teammate", "editor")])
def test_members_with_a_write_scope_read_and_write(request, network, who, role):
    actor = Actor(user=request.getfixturevalue(who), scope="write")
    grant = access.grant_for(actor, network.pk, write=True)
    assert (grant.network, grant.role, grant.can_write) == (network, role, True)


@pytest.mark.parametrize("who", ["owner", "teammate", "viewer"])
def test_a_read_token_reads_but_never_writes(request, network, who):
    actor = Actor(user=request.getfixturevalue(who), scope="read")
    assert access.grant_for(actor, network.pk).can_write is False
    with pytest.raises(Forbidden, match="read but not write"):
        access.grant_for(actor, network.pk, write=True)


def test_a_viewers_write_token_still_only_reads(network, viewer):
    actor = Actor(user=viewer, scope="write")
    assert access.grant_for(actor, network.pk).can_write is False
    with pytest.raises(Forbidden, match="may view"):
        access.grant_for(actor, network.pk, write=True)


@pytest.mark.parametrize("scope", ["read", "write"])
@pytest.mark.parametrize("write", [False, True])
def test_an_outsider_finds_no_such_network(network, outsider, scope, write):
    """Not forbidden, which would confirm it exists: not found, whatever was asked."""
    with pytest.raises(NotFound):
        access.grant_for(Actor(user=outsider, scope=scope), network.pk, write=write)
    with pytest.raises(NotFound):
        access.grant_for(Actor(user=outsider, scope=scope), 999_999, write=write)


def test_a_token_limited_to_one_network_finds_no_other(owner, network):
    from kithkin.services.accounts import create_network

    other = create_network(owner, name="Side project")
    limited = Actor(user=owner, scope="write", network_id=network.pk)
    assert access.grant_for(limited, network.pk, write=True).network == network
    with pytest.raises(NotFound):
        access.grant_for(limited, other.pk)
    assert [g.network for g in access.grants_of(limited)] == [network]
    assert {g.network for g in access.grants_of(Actor.of(owner))} == {network, other}


def test_a_session_user_is_a_write_actor_and_the_user_functions_agree(network, owner, viewer):
    assert Actor.of(owner).scope == "write"
    assert access.network_for(owner, network.pk) == network
    assert access.network_for(Actor.of(owner), network.pk, write=True) == network
    assert access.network_for(viewer, network.pk) == network
    with pytest.raises(Forbidden):
        access.network_for(viewer, network.pk, write=True)


def test_grants_list_every_reachable_network_with_the_role(network, viewer):
    own = viewer.current_network  # every user starts with a network of their own
    grants = access.grants_of(Actor(user=viewer, scope="read"))
    by_network = {g.network.pk: (g.role, g.can_write) for g in grants}
    assert by_network == {network.pk: ("viewer", False), own.pk: ("owner", False)}


def test_services_checks_take_an_actor_too(network, owner):
    """``require_write`` (every service's check) knows a token's scope and reach."""
    access.require_write(owner, network)
    access.require_write(Actor.of(owner), network)
    with pytest.raises(Forbidden, match="read but not write"):
        access.require_write(Actor(user=owner, scope="read"), network)
    with pytest.raises(NotFound):
        access.require_write(Actor(user=owner, network_id=network.pk + 1000), network)
    assert access.can_write(Actor(user=owner, scope="read"), network) is False
