"""Reads of synced accounts: a user's own accounts (Settings, `kith account list`), the
ones failing (the banner, the digest, `kith doctor`), and the unknown correspondents their
mail suggests adding (triage). Nobody reads another user's accounts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from kithkin.doctor import Finding, check
from kithkin.models import ContactPoint, Network, SyncAccount, User

SUGGEST_AFTER = 3  # messages with someone unknown (kithkin.sync.mail counts them)


def accounts_of(user: User, network: Network | None = None) -> QuerySet[SyncAccount]:
    """The user's own accounts, in ``network`` or in all their networks."""
    found = SyncAccount.objects.filter(user=user).select_related("network")
    return found.filter(network=network) if network is not None else found


def failing_accounts(user: User) -> list[SyncAccount]:
    """The user's accounts whose last run failed: each says why on the banner and in the
    digest until a run succeeds."""
    return list(accounts_of(user).filter(failures__gt=0).order_by("name", "pk"))


def has_failing_accounts(user: User) -> bool:
    return SyncAccount.objects.filter(user=user, failures__gt=0).exists()


def attention_line(account: SyncAccount) -> str:
    """One line for the digest and `kith doctor`."""
    then = "it waits for you" if account.waits_for_user else "it will be tried again"
    return (
        f"The {account.get_kind_display()} account {account.name} ({account.network.name}) "
        f"is failing: {account.last_error} ({then})."
    )


@dataclass(frozen=True)
class SuggestedCorrespondent:
    email: str
    name: str
    messages: int
    account: str  # the account's name


def suggested_correspondents(user: User, network: Network) -> list[SuggestedCorrespondent]:
    """People the user's synced mail has with someone unknown ``SUGGEST_AFTER`` times or
    more, most first; someone added since (by that email), or dismissed ("Not now"), is no
    longer suggested."""
    found: dict[str, SuggestedCorrespondent] = {}
    accounts = list(accounts_of(user, network).filter(kind=SyncAccount.Kind.IMAP))
    dismissed = {email for account in accounts for email in account.state.get("dismissed") or []}
    for account in accounts:
        for email, (name, count) in (account.state.get("unknown") or {}).items():
            if email in dismissed:
                continue
            if count >= SUGGEST_AFTER and count > getattr(found.get(email), "messages", 0):
                found[email] = SuggestedCorrespondent(email, name, count, account.name)
    if not found:
        return []
    known = set(
        ContactPoint.objects.filter(
            person__network=network, kind=ContactPoint.Kind.EMAIL, normalized__in=list(found)
        ).values_list("normalized", flat=True)
    )
    return sorted(
        (s for email, s in found.items() if email not in known),
        key=lambda s: (-s.messages, s.email),
    )


@check("sync accounts")
def sync_accounts_check() -> list[Finding]:
    failing = list(
        SyncAccount.objects.filter(failures__gt=0).select_related("network").order_by("pk")
    )
    if not failing:
        return [Finding("sync accounts", True, "Every synced account's last run succeeded.")]
    return [Finding("sync accounts", False, attention_line(account)) for account in failing]
