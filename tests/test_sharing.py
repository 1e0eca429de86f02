"""Sharing a network: invitation links, roles, removing members and leaving."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from kithkin import access
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Invitation, Membership, Role
from kithkin.services.accounts import switch_network
from kithkin.services.sharing import (
    accept_invitation,
    change_role,
    invite,
    remove_member,
    revoke_invitation,
)
from tests.conftest import FROZEN_NOW
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def membership_of(user, network):
    return Membership.objects.get(user=user, network=network)


def role_of(user, network):
    found = Membership.objects.filter(user=user, network=network).first()
    return found.role if found else None


# --- invite ----------------------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_of_its_token(network, owner):
    invitation, token = invite(network, owner, role="editor", email=" Ada@Example.ORG ")
    assert len(token) >= 43  # 32 random bytes, URL-safe
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(value) for value in stored.values()}
    assert (invitation.role, invitation.email, invitation.created_by) == (
        "editor",
        "Ada@example.org",
        owner,
    )
    assert invitation.created_at == FROZEN_NOW
    assert invitation.expires_at == FROZEN_NOW + dt.timedelta(days=14)
    assert invitation.is_pending


def test_every_invitation_has_its_own_token(network, owner):
    _, first = invite(network, owner, role="viewer")
    _, second = invite(network, owner, role="viewer")
    assert first != second


@pytest.mark.parametrize(
    ("role", "email", "field"),
    [
        ("owner", "", "role"),
        ("admin", "", "role"),
        ("editor", "not-an-address", "email"),
    ],
)
def test_invalid_invitations_are_refused(network, owner, role, email, field):
    with pytest.raises(InvalidInput) as caught:
        invite(network, owner, role=role, email=email)
    assert caught.value.field == field
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(("who", "error"), [("teammate", Forbidden), ("viewer", Forbidden)])
def test_only_owners_invite(request, network, who, error):
    with pytest.raises(error):
        invite(network, request.getfixturevalue(who), role="viewer")
    assert not Invitation.objects.exists()


def test_an_outsider_cannot_invite_into_another_network(network, outsider):
    with pytest.raises(NotFound):
        invite(network, outsider, role="viewer")
    assert not Invitation.objects.exists()


# --- accept ----------------------------------------------------------------------------


def test_accepting_makes_a_member_and_opens_the_network(network, owner, outsider):
    invitation, token = invite(network, owner, role="editor")
    membership = accept_invitation(outsider, token)
    assert (membership.network, membership.role) == (network, "editor")
    outsider.refresh_from_db()
    assert outsider.current_network == network
    assert access.current_network(outsider) == network
    assert access.can_write(outsider, network)
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.accepted_by) == (FROZEN_NOW, outsider)
    assert not invitation.is_pending


def test_a_link_works_once(network, owner, outsider):
    _, token = invite(network, owner, role="viewer")
    accept_invitation(outsider, token)
    someone = make_user("someone", full_name="Sam Someone")
    with pytest.raises(InvalidInput) as caught:
        accept_invitation(someone, token)
    assert (caught.value.field, caught.value.message) == (
        "token",
        "this invitation has already been used",
    )
    assert role_of(someone, network) is None


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_an_unknown_link_is_refused(network, owner, outsider, token):
    invite(network, owner, role="editor")
    with pytest.raises(InvalidInput) as caught:
        accept_invitation(outsider, token)
    assert (caught.value.field, caught.value.message) == (
        "token",
        "this invitation link is not valid",
    )
    assert role_of(outsider, network) is None


def test_a_link_expires_after_fourteen_days(frozen_time, network, owner, outsider):
    _, late = invite(network, owner, role="editor")
    _, in_time = invite(network, owner, role="viewer")
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(days=14))
    with pytest.raises(InvalidInput) as caught:
        accept_invitation(outsider, late)
    assert caught.value.message == "this invitation has expired; ask for a new one"
    assert role_of(outsider, network) is None
    frozen_time.move_to(FROZEN_NOW + dt.timedelta(days=14) - dt.timedelta(seconds=1))
    assert accept_invitation(outsider, in_time).role == "viewer"


def test_accepting_never_lowers_a_role(network, owner, viewer):
    _, token = invite(network, owner, role="viewer")
    assert accept_invitation(owner, token).role == "owner"
    _, token = invite(network, owner, role="editor")
    assert accept_invitation(viewer, token).role == "editor"
    assert Membership.objects.filter(network=network, user=viewer).count() == 1
    assert not Invitation.objects.filter(accepted_at__isnull=True).exists()


# --- revoke ----------------------------------------------------------------------------


def test_a_revoked_link_stops_working(network, owner, outsider):
    invitation, token = invite(network, owner, role="editor")
    revoke_invitation(network, owner, invitation)
    assert not Invitation.objects.exists()
    with pytest.raises(InvalidInput):
        accept_invitation(outsider, token)
    revoke_invitation(network, owner, invitation)  # twice: already gone, still fine


def test_an_accepted_invitation_is_not_revoked(network, owner, outsider):
    invitation, token = invite(network, owner, role="editor")
    accept_invitation(outsider, token)
    with pytest.raises(InvalidInput) as caught:
        revoke_invitation(network, owner, invitation)
    assert caught.value.field == "invitation"
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize(("who", "error"), [("teammate", Forbidden), ("viewer", Forbidden)])
def test_only_owners_revoke(request, network, owner, who, error):
    invitation, _ = invite(network, owner, role="editor")
    with pytest.raises(error):
        revoke_invitation(network, request.getfixturevalue(who), invitation)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_an_outsider_cannot_revoke(network, owner, outsider):
    invitation, _ = invite(network, owner, role="editor")
    for where in (network, access.current_network(outsider)):
        with pytest.raises(NotFound):
            revoke_invitation(where, outsider, invitation)
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# --- change_role -----------------------------------------------------------------------


def test_an_owner_changes_roles(network, owner, teammate, viewer):
    assert change_role(network, owner, membership_of(viewer, network), "editor").role == "editor"
    assert change_role(network, owner, membership_of(teammate, network), "owner").role == "owner"
    # With a second owner, the first may step down.
    assert change_role(network, owner, membership_of(owner, network), "viewer").role == "viewer"
    assert (role_of(owner, network), role_of(teammate, network)) == ("viewer", "owner")


def test_the_last_owner_cannot_step_down(network, owner, teammate):
    with pytest.raises(InvalidInput) as caught:
        change_role(network, owner, membership_of(owner, network), "editor")
    assert caught.value.field == "role"
    assert "needs an owner" in caught.value.message
    assert role_of(owner, network) == "owner"


def test_an_unknown_role_is_refused(network, owner, teammate):
    with pytest.raises(InvalidInput) as caught:
        change_role(network, owner, membership_of(teammate, network), "admin")
    assert caught.value.field == "role"
    assert role_of(teammate, network) == "editor"


@pytest.mark.parametrize("who", ["teammate", "viewer"])
def test_only_owners_change_roles(request, network, teammate, viewer, who):
    user = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        change_role(network, user, membership_of(user, network), "owner")
    assert (role_of(teammate, network), role_of(viewer, network)) == ("editor", "viewer")


def test_an_outsider_cannot_change_roles(network, owner, teammate, outsider):
    with pytest.raises(NotFound):
        change_role(network, outsider, membership_of(teammate, network), "viewer")
    # Their own network is no way into another one's memberships.
    with pytest.raises(NotFound):
        change_role(
            access.current_network(outsider), outsider, membership_of(teammate, network), "viewer"
        )
    assert role_of(teammate, network) == "editor"


# --- remove_member ---------------------------------------------------------------------


def test_an_owner_removes_a_member(network, owner, teammate):
    switch_network(teammate, network)
    remove_member(network, owner, membership_of(teammate, network))
    assert role_of(teammate, network) is None
    teammate.refresh_from_db()
    assert teammate.current_network is None
    assert access.current_network(teammate) != network  # back to their own
    with pytest.raises(NotFound):
        access.network_for(teammate, network.pk)


def test_removal_keeps_a_current_network_that_is_elsewhere(network, owner, teammate):
    own = access.current_network(teammate)
    remove_member(network, owner, membership_of(teammate, network))
    teammate.refresh_from_db()
    assert teammate.current_network == own


@pytest.mark.parametrize("who", ["teammate", "viewer"])
def test_a_member_may_leave(request, network, who):
    user = request.getfixturevalue(who)
    switch_network(user, network)
    remove_member(network, user, membership_of(user, network))
    assert role_of(user, network) is None
    assert user.current_network is None  # the object in hand follows too
    user.refresh_from_db()
    assert user.current_network is None


@pytest.mark.parametrize(("who", "other"), [("teammate", "viewer"), ("viewer", "teammate")])
def test_only_owners_remove_others(request, network, owner, who, other):
    user, member = request.getfixturevalue(who), request.getfixturevalue(other)
    for target in (member, owner):
        with pytest.raises(Forbidden):
            remove_member(network, user, membership_of(target, network))
    assert role_of(owner, network) == "owner"
    assert role_of(member, network) == {"teammate": "editor", "viewer": "viewer"}[other]


def test_an_outsider_cannot_remove_anyone(network, owner, teammate, outsider):
    with pytest.raises(NotFound):
        remove_member(network, outsider, membership_of(teammate, network))
    with pytest.raises(NotFound):
        remove_member(access.current_network(outsider), outsider, membership_of(teammate, network))
    assert role_of(teammate, network) == "editor"


def test_the_last_owner_cannot_leave(network, owner, teammate):
    with pytest.raises(InvalidInput) as caught:
        remove_member(network, owner, membership_of(owner, network))
    assert caught.value.field == "member"
    assert role_of(owner, network) == "owner"
    change_role(network, owner, membership_of(teammate, network), Role.OWNER)
    remove_member(network, owner, membership_of(owner, network))
    assert role_of(owner, network) is None


# --- loading by id ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "teammate", "viewer"])
def test_members_load_invitations_and_memberships(request, network, owner, teammate, who):
    user = request.getfixturevalue(who)
    invitation, _ = invite(network, owner, role="viewer")
    membership = membership_of(teammate, network)
    assert access.invitation_for(user, network, invitation.pk) == invitation
    assert access.membership_for(user, network, membership.pk) == membership


def test_an_outsider_loads_neither_invitations_nor_memberships(network, owner, outsider):
    invitation, _ = invite(network, owner, role="viewer")
    membership = membership_of(owner, network)
    for where in (network, access.current_network(outsider)):
        with pytest.raises(NotFound):
            access.invitation_for(outsider, where, invitation.pk)
        with pytest.raises(NotFound):
            access.membership_for(outsider, where, membership.pk)


def test_is_owner(network, owner, teammate, viewer, outsider):
    assert [access.is_owner(user, network) for user in (owner, teammate, viewer, outsider)] == [
        True,
        False,
        False,
        False,
    ]
