"""Who may see or change what. The one door: every record loaded for a user comes through
here, and anything outside the user's networks is NotFound (never "forbidden", which
would confirm it exists).

Who acts is an ``Actor``: a user and, when they come through a token, its scope and the
one network it may be restricted to. A signed-in web session or the `kith` command is the
user's own actor (``Actor.of(user)``: write scope, every network). ``grant_for`` answers
what an actor may do in one network: outside their reach NotFound, a write asked by a read
token or by a viewer Forbidden, and a token of a member without two-factor Forbidden in a
network that requires it (the web sends such a member to set it up; a token must not be the
way around that). The per-user functions below are the session actor's case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.errors import Forbidden, NotFound
from kithkin.models import (
    Affiliation,
    Circle,
    ContactPoint,
    Event,
    FollowUp,
    ImportUpload,
    Interaction,
    Invitation,
    Membership,
    Mentorship,
    Milestone,
    Network,
    Opportunity,
    OpportunityShare,
    Organization,
    Person,
    Role,
    Scope,
    TrashedItem,
    UndoableAction,
    User,
    ValueExchange,
    WebhookSubscription,
)

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Actor:
    """Who acts: a user, through a token of ``scope`` (a session: write) that may be limited
    to the network ``network_id`` (None: every network of the user)."""

    user: User
    scope: str = Scope.WRITE
    network_id: int | None = None
    token_id: int | None = None  # the token it came through, if any

    @classmethod
    def of(cls, user: User) -> Actor:
        """A signed-in user acting themselves (web session, `kith`): write scope."""
        return cls(user=user)

    @property
    def may_write(self) -> bool:
        """Whether the scope allows writes at all (the role in a network decides too)."""
        return self.scope == Scope.WRITE

    def reaches(self, network_id: int) -> bool:
        return self.network_id is None or self.network_id == network_id


@dataclass(frozen=True)
class Grant:
    """What an actor may do in one network: read, and write when ``can_write``."""

    actor: Actor
    network: Network
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def can_write(self) -> bool:
        """Writes need both an editor's (or owner's) role and a write scope."""
        return self.membership.can_write and self.actor.may_write

    def require_write(self) -> None:
        if not self.actor.may_write:
            raise Forbidden("This token may read but not write.")
        if not self.membership.can_write:
            raise Forbidden(
                f"{self.actor.user.username} may view {self.network.name} but not change it."
            )


def has_two_factor(user: User) -> bool:
    """Whether ``user`` signs in with a second factor: an authenticator app confirmed
    with a code. (Recovery codes alone are not a second factor: they come with the app.)"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _as_actor(who: User | Actor) -> Actor:
    return who if isinstance(who, Actor) else Actor.of(who)


def grant_for(who: User | Actor, network_id: int, *, write: bool = False) -> Grant:
    """The actor's grant in network ``network_id``: NotFound when it is outside their reach
    (not a member, or a token limited to another network); with ``write``, Forbidden unless
    they may change it."""
    actor = _as_actor(who)
    found = (
        Membership.objects.select_related("network")
        .filter(user=actor.user, network_id=network_id)
        .first()
        if actor.reaches(network_id)
        else None
    )
    if found is None:
        raise NotFound("No such network.")
    locked = actor.token_id is not None and found.network.requires_two_factor
    if locked and not has_two_factor(actor.user):
        raise Forbidden(
            f"{found.network.name} requires two-factor sign-in: set it up in Settings "
            "before a token may open it."
        )
    grant = Grant(actor=actor, network=found.network, membership=found)
    if write:
        grant.require_write()
    return grant


def grants_of(who: User | Actor) -> list[Grant]:
    """Every network the actor reaches, by name."""
    actor = _as_actor(who)
    found = Membership.objects.select_related("network").filter(user=actor.user)
    if actor.network_id is not None:
        found = found.filter(network_id=actor.network_id)
    return [
        Grant(actor=actor, network=m.network, membership=m)
        for m in found.order_by("network__name", "network_id")
    ]


def membership(user: User, network: Network) -> Membership:
    found = Membership.objects.filter(user=user, network=network).first()
    if found is None:
        raise NotFound("No such network.")
    return found


def networks_of(user: User) -> list[Network]:
    return list(Network.objects.filter(memberships__user=user).order_by("name", "id"))


def network_for(who: User | Actor, network_id: int, *, write: bool = False) -> Network:
    """Network ``network_id`` as the user or actor may reach it (see ``grant_for``)."""
    return grant_for(who, network_id, write=write).network


def current_network(user: User) -> Network:
    """The network the user is working in: their current one, else their first."""
    if user.current_network_id is not None:
        network = Network.objects.filter(pk=user.current_network_id, memberships__user=user).first()
        if network is not None:
            return network
    networks = networks_of(user)
    if not networks:
        raise NotFound(f"{user.username} belongs to no network.")
    return networks[0]


def can_write(who: User | Actor, network: Network) -> bool:
    actor = _as_actor(who)
    return actor.may_write and membership(actor.user, network).can_write


def require_write(who: User | Actor, network: Network) -> None:
    """NotFound outside the network (or a token's reach), Forbidden for a viewer or a read
    token: the check every service makes before it writes."""
    actor = _as_actor(who)
    if not actor.reaches(network.pk):
        raise NotFound("No such network.")
    if not can_write(actor, network):
        if not actor.may_write:
            raise Forbidden("This token may read but not write.")
        raise Forbidden(f"{actor.user.username} may view {network.name} but not change it.")


def is_owner(user: User, network: Network) -> bool:
    return Membership.objects.filter(user=user, network=network, role=Role.OWNER).exists()


def require_owner(user: User, network: Network) -> None:
    """Owners only: NotFound outside the network, Forbidden for editors and viewers."""
    if membership(user, network).role != Role.OWNER:
        raise Forbidden(f"Only an owner of {network.name} may manage who shares it.")


def require_in_network(network: Network, record: models.Model, what: str = "") -> None:
    """A record handed to a service (a person, an organization, an opportunity...) must
    belong to the network the service acts in; anything else is not found there."""
    if getattr(record, "network_id", None) != network.pk:
        what = what or str(record._meta.verbose_name)
        raise NotFound(f"No {what} #{record.pk} in {network.name}.")


def _in_network(
    user: User, network: Network, queryset: models.QuerySet[M], pk: int, what: str
) -> M:
    membership(user, network)
    found = queryset.filter(pk=pk, network=network).first()
    if found is None:
        raise NotFound(f"No {what} #{pk} in {network.name}.")
    return found


def person_for(user: User, network: Network, person_id: int) -> Person:
    return _in_network(user, network, Person.objects.all(), person_id, "person")


def follow_up_for(user: User, network: Network, follow_up_id: int) -> FollowUp:
    return _in_network(user, network, FollowUp.objects.all(), follow_up_id, "follow-up")


def undoable_action_for(user: User, network: Network, action_id: int) -> UndoableAction:
    """One of the user's own actions in ``network``: another user's is not found."""
    return _in_network(user, network, UndoableAction.objects.filter(user=user), action_id, "action")


def trashed_item_for(user: User, network: Network, item_id: int) -> TrashedItem:
    """Something deleted from ``network`` and still in its trash."""
    return _in_network(user, network, TrashedItem.objects.all(), item_id, "item in the trash")


def last_undoable_action(user: User, network: Network) -> UndoableAction:
    """The user's latest action in ``network`` that is not undone yet."""
    membership(user, network)
    found = (
        UndoableAction.objects.filter(user=user, network=network, undone_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if found is None:
        raise NotFound(f"Nothing to undo in {network.name}.")
    return found


def import_upload_for(user: User, network: Network, upload_id: int) -> ImportUpload:
    """One of the user's own uploads in ``network``: another user's is not found (its
    bytes may be their mailbox)."""
    return _in_network(
        user, network, ImportUpload.objects.filter(uploaded_by=user), upload_id, "upload"
    )


def interaction_for(user: User, network: Network, interaction_id: int) -> Interaction:
    return _in_network(user, network, Interaction.objects.all(), interaction_id, "interaction")


def organization_for(user: User, network: Network, organization_id: int) -> Organization:
    return _in_network(user, network, Organization.objects.all(), organization_id, "organization")


def circle_for(user: User, network: Network, circle_id: int) -> Circle:
    return _in_network(user, network, Circle.objects.all(), circle_id, "circle")


def contact_point_for(user: User, network: Network, contact_point_id: int) -> ContactPoint:
    membership(user, network)
    found = ContactPoint.objects.filter(pk=contact_point_id, person__network=network).first()
    if found is None:
        raise NotFound(f"No contact point #{contact_point_id} in {network.name}.")
    return found


def affiliation_for(user: User, network: Network, affiliation_id: int) -> Affiliation:
    membership(user, network)
    found = (
        Affiliation.objects.select_related("organization")
        .filter(pk=affiliation_id, person__network=network)
        .first()
    )
    if found is None:
        raise NotFound(f"No affiliation #{affiliation_id} in {network.name}.")
    return found


def invitation_for(user: User, network: Network, invitation_id: int) -> Invitation:
    return _in_network(user, network, Invitation.objects.all(), invitation_id, "invitation")


def membership_for(user: User, network: Network, membership_id: int) -> Membership:
    return _in_network(
        user, network, Membership.objects.select_related("user"), membership_id, "member"
    )


def event_for(user: User, network: Network, event_id: int) -> Event:
    return _in_network(user, network, Event.objects.all(), event_id, "event")


def mentorship_for(user: User, network: Network, mentorship_id: int) -> Mentorship:
    return _in_network(
        user,
        network,
        Mentorship.objects.select_related("mentor", "mentee"),
        mentorship_id,
        "mentorship",
    )


def value_exchange_for(user: User, network: Network, exchange_id: int) -> ValueExchange:
    return _in_network(
        user,
        network,
        ValueExchange.objects.select_related("giver", "receiver", "introduced_to"),
        exchange_id,
        "value exchange",
    )


def milestone_for(user: User, network: Network, milestone_id: int) -> Milestone:
    return _in_network(
        user, network, Milestone.objects.select_related("person"), milestone_id, "milestone"
    )


def opportunity_for(user: User, network: Network, opportunity_id: int) -> Opportunity:
    return _in_network(
        user,
        network,
        Opportunity.objects.select_related("organization", "source"),
        opportunity_id,
        "opportunity",
    )


def opportunity_share_for(user: User, network: Network, share_id: int) -> OpportunityShare:
    membership(user, network)
    found = (
        OpportunityShare.objects.select_related("opportunity", "person")
        .filter(pk=share_id, opportunity__network=network)
        .first()
    )
    if found is None:
        raise NotFound(f"No opportunity share #{share_id} in {network.name}.")
    return found


def require_webhook_reader(user: User, network: Network) -> None:
    """Owners and editors see a network's webhooks (and their delivery log); a viewer does
    not (a webhook's URL may carry its receiver's token). Outside the network: NotFound."""
    if not membership(user, network).can_write:
        raise Forbidden(f"Only owners and editors of {network.name} see its webhooks.")


def require_webhook_manager(user: User, network: Network) -> None:
    """Only an owner adds, removes, tests or enables a webhook: it sends the network's
    changes to another machine."""
    if membership(user, network).role != Role.OWNER:
        raise Forbidden(f"Only an owner of {network.name} manages its webhooks.")


def webhook_subscription_for(
    user: User, network: Network, subscription_id: int, *, manage: bool = False
) -> WebhookSubscription:
    """One of the network's webhooks, for someone who may see it (``manage``: change it)."""
    if manage:
        require_webhook_manager(user, network)
    else:
        require_webhook_reader(user, network)
    return _in_network(user, network, WebhookSubscription.objects.all(), subscription_id, "webhook")
