"""`kith doctor`'s findings (``kithkin.doctor``): each check, whether it is fine, and what
was seen (for a problem, also what to do)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.doctor import Finding


class FindingOut(Shape):
    check: str
    ok: bool
    detail: str


class DoctorOut(Shape):
    """``ok``: no finding is a problem (the command then exits 0)."""

    ok: bool
    findings: list[FindingOut]

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Self:
        return cls(
            ok=all(finding.ok for finding in findings),
            findings=[FindingOut(check=f.check, ok=f.ok, detail=f.detail) for f in findings],
        )
