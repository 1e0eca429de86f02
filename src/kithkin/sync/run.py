"""Running an account's sync: the function of its kind (looked up by import string, so a
kind's module loads only when one of its accounts syncs), the account held while it runs,
and its outcome or failure written on it. The worker's job runs every account that is due;
`kith account sync` and the web's "Sync now" go through the same ``run_account``.

A run that raises anything but ``SyncFailure`` is recorded as a failure too (its type and
message, and logged with its traceback): a sync never stops silently.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Sequence

from django.db.models import Q

from kithkin import clock, jobs, secret_box
from kithkin.errors import KithError
from kithkin.models import Change, ContactPoint, Network, SyncAccount
from kithkin.services import changes
from kithkin.services.sync_accounts import read_mail_again, record_failure, record_success
from kithkin.sync.outcome import SyncFailure, SyncOutcome, SyncSource

logger = logging.getLogger(__name__)

SYNC_FUNCTIONS: dict[str, str] = {
    "imap": "kithkin.sync.mail.sync_mailbox",
    "caldav": "kithkin.sync.calendars.sync_caldav",
    "ics": "kithkin.sync.calendars.sync_calendar_url",
}
# A run holding an account longer than this is taken to have died with its process.
HELD_FOR_AT_MOST = dt.timedelta(hours=2)
DUE_PER_ROUND = 50


def sync_function(kind: str) -> Callable[[SyncSource], SyncOutcome]:
    module, _, name = SYNC_FUNCTIONS[kind].rpartition(".")
    try:
        function: Callable[[SyncSource], SyncOutcome] = getattr(
            importlib.import_module(module), name
        )
    except (ImportError, AttributeError) as exc:
        raise SyncFailure(f"this install cannot sync {kind} accounts yet ({exc})") from exc
    return function


def _hold(account: SyncAccount, now: dt.datetime) -> bool:
    """Take the account for this run: one conditional UPDATE, True for exactly one."""
    free = Q(syncing_since__isnull=True) | Q(syncing_since__lt=now - HELD_FOR_AT_MOST)
    return bool(SyncAccount.objects.filter(free, pk=account.pk).update(syncing_since=now))


class Busy(Exception):
    """Another run holds the account."""


def run_account(account: SyncAccount, now: dt.datetime | None = None) -> SyncOutcome:
    """Sync ``account`` now: its outcome, recorded on it; ``SyncFailure`` (recorded too)
    when it failed; ``Busy`` when another run holds it."""
    now = now or clock.now()
    if not _hold(account, now):
        raise Busy(f"account {account.name!r} is being synced by another run")
    try:
        try:
            account.password()  # a secret the key no longer opens: before any connection
            outcome = sync_function(account.kind)(account)
        except SyncFailure:
            raise
        except secret_box.SecretLost as exc:
            raise SyncFailure(
                "its password cannot be decrypted: the secret key changed "
                "(run `kith account rekey`, or enter the password again)",
                retry=False,
            ) from exc
        except KithError as exc:  # the user may no longer write in the network...
            raise SyncFailure(str(exc), retry=False) from exc
        except Exception as exc:
            logger.exception("sync of account %s failed", account.pk)
            raise SyncFailure(f"unexpected error: {type(exc).__name__}: {exc}") from exc
    except SyncFailure as failure:
        account.refresh_from_db(fields=["failures"])
        record_failure(account, failure, clock.now())
        raise
    else:
        record_success(account, outcome, clock.now())
        return outcome
    finally:
        SyncAccount.objects.filter(pk=account.pk).update(syncing_since=None)


def due_accounts(now: dt.datetime) -> list[SyncAccount]:
    return list(
        SyncAccount.objects.filter(next_sync_at__lte=now, waits_for_user=False)
        .select_related("network", "user")
        .order_by("next_sync_at", "pk")[:DUE_PER_ROUND]
    )


# People who may have gained an email (their mail skipped before, as from someone unknown).
NEW_ADDRESSES = {"person.created", "person.updated", "person.restored", "person.merged"}
NEW_ADDRESSES |= {"import.applied"}


@changes.consumer("mail_read_again")
def read_mail_of_new_people(batch: Sequence[Change]) -> None:
    """Someone added (or given an email) whose mail a sync skipped as a stranger's: the
    accounts that counted them log that mail on their next run (``_backfill`` in
    ``sync.mail``)."""
    people: dict[int, set[int]] = {}
    for change in batch:
        if change.kind in NEW_ADDRESSES and change.person_ids:
            people.setdefault(change.network_id, set()).update(change.person_ids)
    for network_id, ids in people.items():
        if not SyncAccount.objects.filter(network_id=network_id, kind="imap").exists():
            continue
        ordered = sorted(ids)
        emails: set[str] = set()
        for start in range(0, len(ordered), 500):
            emails |= set(
                ContactPoint.objects.filter(
                    person_id__in=ordered[start : start + 500], kind=ContactPoint.Kind.EMAIL
                ).values_list("normalized", flat=True)
            )
        network = Network.objects.get(pk=network_id)
        read_mail_again(network, emails)


@jobs.job("sync_accounts", every=dt.timedelta(minutes=1))
def sync_due_accounts(now: dt.datetime) -> int:
    """Run every account that is due; how many ran. Each account is claimed for this round
    (``jobs.claim``) before it runs, and held while it runs (across rounds, in case a run
    outlasts one), so two workers never sync one account at once; a worker that died
    holding one lets go after ``HELD_FOR_AT_MOST``."""
    ran = 0
    for account in due_accounts(now):
        key = f"sync:{account.pk}:{now:%Y-%m-%dT%H:%M}"  # this account in this round
        if not jobs.claim(key):
            continue
        try:
            run_account(account, now)
        except (SyncFailure, Busy):
            pass
        finally:
            jobs.finish(key)
        ran += 1
    return ran
