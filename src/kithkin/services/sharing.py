"""Sharing a network: invitation links, roles, and leaving.

An invitation is a secret link. Only the SHA-256 of its token is stored, so the database
(or a backup of it) never holds a working link; the token is shown once, to the owner who
invites. Owners are never invited: they are promoted from members, so a leaked link can
at worst make someone an editor.
"""

from __future__ import annotations

import secrets

from django.db import transaction

from kithkin import access, clock, normalize
from kithkin.digests import secret_digest
from kithkin.errors import Forbidden, InvalidInput, NotFound
from kithkin.models import Invitation, Membership, Network, Role, User
from kithkin.models.networks import INVITATION_LIFETIME
from kithkin.services import changes

INVITABLE_ROLES = (Role.EDITOR, Role.VIEWER)
# Lower is more: accepting an invitation never lowers a member's role.
_ROLE_RANK = {Role.OWNER: 0, Role.EDITOR: 1, Role.VIEWER: 2}


def token_hash(token: str) -> str:
    return secret_digest(token)


@transaction.atomic
def invite(network: Network, actor: User, *, role: str, email: str = "") -> tuple[Invitation, str]:
    """A new invitation and its token, which is never stored and cannot be shown again."""
    access.require_owner(actor, network)
    if role not in INVITABLE_ROLES:
        raise InvalidInput(
            "role",
            f"{role!r} cannot be invited; choose editor or viewer (an owner is a member "
            "promoted by another owner)",
        )
    address = normalize.email(email, "email")[0] if email.strip() else ""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    invitation = Invitation.objects.create(
        network=network,
        email=address,
        role=role,
        token_hash=token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    changes.record(
        network, "invitation.created", actor=actor, record_id=invitation.pk, data={"role": role}
    )
    return invitation, token


@transaction.atomic
def accept_invitation(user: User, token: str) -> Membership:
    """Join the invitation's network (or keep a better role there) and switch to it."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("network")
        .filter(token_hash=token_hash(token.strip()))
        .first()
    )
    if invitation is None:
        raise InvalidInput("token", "this invitation link is not valid")
    if invitation.accepted_at is not None:
        raise InvalidInput("token", "this invitation has already been used")
    if invitation.expires_at <= clock.now():
        raise InvalidInput("token", "this invitation has expired; ask for a new one")
    membership = (
        Membership.objects.select_for_update().filter(user=user, network=invitation.network).first()
    )
    joined = membership is None
    if membership is None:
        membership = Membership.objects.create(
            user=user, network=invitation.network, role=invitation.role
        )
    elif _ROLE_RANK[Role(invitation.role)] < _ROLE_RANK[Role(membership.role)]:
        membership.role = invitation.role
        membership.save(update_fields=["role"])
        joined = True
    if joined:
        changes.record(
            invitation.network,
            "member.joined",
            actor=user,
            record_id=membership.pk,
            data={"role": membership.role, "user_id": user.pk, "invitation_id": invitation.pk},
        )
    invitation.accepted_at = clock.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    user.current_network = invitation.network
    user.save(update_fields=["current_network"])
    return membership


@transaction.atomic
def revoke_invitation(network: Network, actor: User, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been used; its link stops working."""
    access.require_owner(actor, network)
    if invitation.network_id != network.pk:
        raise NotFound(f"No invitation #{invitation.pk} in {network.name}.")
    current = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if current is None:
        return  # already revoked: the link is dead either way
    if current.accepted_at is not None:
        raise InvalidInput("invitation", "it has already been accepted; remove the member instead")
    current.delete()
    changes.record(network, "invitation.revoked", actor=actor, record_id=invitation.pk)


@transaction.atomic
def change_role(network: Network, actor: User, membership: Membership, role: str) -> Membership:
    """Make a member an owner, editor or viewer; a network always keeps an owner."""
    access.require_owner(actor, network)
    current = _locked(network, membership)
    if role not in Role.values:
        raise InvalidInput("role", f"{role!r} is not one of: {', '.join(Role.values)}")
    if current.role == Role.OWNER and role != Role.OWNER and _owner_count(network) == 1:
        raise InvalidInput(
            "role", f"{network.name} needs an owner; make someone else an owner first"
        )
    if current.role != role:
        current.role = role
        current.save(update_fields=["role"])
        changes.record(
            network,
            "member.updated",
            actor=actor,
            record_id=current.pk,
            data={"role": role, "user_id": current.user_id},
        )
    return current


@transaction.atomic
def remove_member(network: Network, actor: User, membership: Membership) -> None:
    """An owner removes a member, or a member leaves; a network always keeps an owner."""
    own = access.membership(actor, network)
    current = _locked(network, membership)
    if own.role != Role.OWNER and current.user_id != actor.pk:
        raise Forbidden(f"Only an owner of {network.name} may remove other members.")
    if current.role == Role.OWNER and _owner_count(network) == 1:
        raise InvalidInput(
            "member", f"{network.name} needs an owner; make someone else an owner first"
        )
    removed = current.pk
    current.delete()
    changes.record(
        network,
        "member.removed",
        actor=actor,
        record_id=removed,
        data={"user_id": current.user_id},
    )
    User.objects.filter(pk=current.user_id, current_network=network).update(current_network=None)
    if actor.pk == current.user_id and actor.current_network_id == network.pk:
        actor.current_network = None


def _locked(network: Network, membership: Membership) -> Membership:
    """The membership as stored now, locked until the end of the transaction."""
    current = (
        Membership.objects.select_for_update().filter(pk=membership.pk, network=network).first()
    )
    if current is None:
        raise NotFound(f"No member #{membership.pk} in {network.name}.")
    return current


def _owner_count(network: Network) -> int:
    """How many owners the network has, locking their rows: two owners demoting each other
    at the same moment cannot leave it without one."""
    return len(
        Membership.objects.select_for_update()
        .filter(network=network, role=Role.OWNER)
        .values_list("pk", flat=True)
    )
