"""`kith doctor`'s checks: each names what it looked at and, when something is wrong,
what the person should do. Modules holding checks register them with ``@check(name)``
and are listed in ``CHECK_MODULES``; a check returns its findings (an empty list: fine).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

CHECK_MODULES: tuple[str, ...] = (
    # one line per module holding @check functions
    "kithkin.queries.webhooks",
    "kithkin.queries.sync_accounts",  # failing synced accounts
    "kithkin.services.mail",
    "kithkin.services.digest",
    "kithkin.feeds.checks",
    "kithkin.integrity",  # database integrity, file permissions
    "kithkin.queries.worker_status",
    "kithkin.backups.schedule",
    "kithkin.queries.strength",  # the score People sorts by equals the stored strength
    "kithkin.interaction_days",  # the Dashboard's stored totals
    "kithkin.services.opportunity_matches",  # Worth sharing's stored matches are current
    "kithkin.organization_counts",  # each organization's people, as Organizations sorts them
)


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str  # what was seen; for a problem, also what to do


Check = Callable[[], list[Finding]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


def run_checks() -> list[Finding]:
    for module in CHECK_MODULES:
        importlib.import_module(module)
    findings: list[Finding] = []
    for name, function in CHECKS.items():
        try:
            findings.extend(function())
        except Exception as error:  # a check that breaks is itself a finding
            findings.append(Finding(name, False, f"the check failed: {error}"))
    return findings
