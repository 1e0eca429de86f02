"""Sharing a network: members and their roles, invitations, switching networks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from kithkin import access
from kithkin.errors import InvalidInput, NotFound
from kithkin.models import Invitation, Membership
from kithkin.services.accounts import switch_network
from kithkin.services.sharing import (
    accept_invitation,
    change_role,
    invite,
    remove_member,
    revoke_invitation,
)
from kithkin.web.decorators import NetworkRequest, network_view
from kithkin.web.forms import InviteForm


@network_view(form=True)
def network_page(request: NetworkRequest) -> HttpResponse:
    is_owner = request.membership.role == "owner"
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST":
        if not is_owner:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("Only owners invite people.")
        if form.is_valid():
            _invitation, token = invite(
                request.network,
                request.user,
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
            )
            link = request.build_absolute_uri(reverse("invitation", args=[token]))
            messages.success(
                request, "Invitation created. Send this link; it works once, for 14 days."
            )
            form = InviteForm()
    members = (
        Membership.objects.filter(network=request.network)
        .select_related("user")
        .order_by("user__username")
    )
    invitations = (
        Invitation.objects.filter(network=request.network, accepted_at__isnull=True).order_by(
            "-created_at"
        )
        if is_owner
        else Invitation.objects.none()
    )
    return render(
        request,
        "kithkin/network.html",
        {
            "members": members,
            "invitations": invitations,
            "form": form,
            "link": link,
            "is_owner": is_owner,
        },
    )


@network_view(write=True)
def member_role(request: NetworkRequest, membership_id: int) -> HttpResponse:
    membership = access.membership_for(request.user, request.network, membership_id)
    try:
        change_role(request.network, request.user, membership, request.POST.get("role", ""))
        messages.success(request, f"{membership.user.username} is now {request.POST.get('role')}.")
    except InvalidInput as exc:
        messages.error(request, str(exc))
    return redirect("network")


@require_POST
@network_view(form=True)
def member_remove(request: NetworkRequest, membership_id: int) -> HttpResponse:
    """Owners remove members; anyone may leave (remove their own membership)."""
    membership = access.membership_for(request.user, request.network, membership_id)
    leaving = membership.user_id == request.user.pk
    try:
        remove_member(request.network, request.user, membership)
    except InvalidInput as exc:
        messages.error(request, str(exc))
        return redirect("network")
    messages.success(
        request, "You left the network." if leaving else f"Removed {membership.user.username}."
    )
    return redirect("today")


@network_view(write=True)
def invitation_revoke(request: NetworkRequest, invitation_id: int) -> HttpResponse:
    invitation = access.invitation_for(request.user, request.network, invitation_id)
    revoke_invitation(request.network, request.user, invitation)
    messages.success(request, "Invitation revoked.")
    return redirect("network")


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        try:
            membership = accept_invitation(user, token)  # type: ignore[arg-type]
        except InvalidInput as exc:
            return render(request, "kithkin/invitation.html", {"error": exc.message}, status=400)
        messages.success(request, f"You joined {membership.network.name} as {membership.role}.")
        return redirect("today")
    return render(request, "kithkin/invitation.html", {"token": token})


@login_required
def network_switch(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            network = access.network_for(request.user, int(request.POST.get("network", "0")))  # type: ignore[arg-type]
        except (NotFound, ValueError):
            messages.error(request, "No such network.")
            return redirect("today")
        switch_network(request.user, network)  # type: ignore[arg-type]
        messages.success(request, f"Now working in {network.name}.")
    return redirect("today")
