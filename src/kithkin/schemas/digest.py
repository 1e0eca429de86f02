"""The daily digest as `kith digest --json` prints it (queries/digest.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from kithkin.schemas.base import Shape

if TYPE_CHECKING:
    from kithkin.queries.digest import Digest, NetworkDigest, WeeklyReview


class DigestRowOut(Shape):
    """One row of the plan: ``url`` opens its page, ``draft_url`` its draft ("" when none)."""

    kind: str
    title: str
    reason: str
    url: str
    draft_url: str


class SectionCountOut(Shape):
    title: str
    count: int


class WeeklyReviewOut(Shape):
    """``on_time_rate``: percent of the week's follow-ups done by their day (null: none were
    due)."""

    since: dt.date
    caught_up: list[str]
    caught_up_total: int
    fading: list[str]
    fading_total: int
    thanks_owed: int
    follow_ups_due: int
    follow_ups_on_time: int
    on_time_rate: int | None

    @classmethod
    def of(cls, review: WeeklyReview) -> Self:
        return cls(
            since=review.since,
            caught_up=review.caught_up,
            caught_up_total=review.caught_up_total,
            fading=review.fading,
            fading_total=review.fading_total,
            thanks_owed=review.thanks_owed,
            follow_ups_due=review.follow_ups_due,
            follow_ups_on_time=review.follow_ups_on_time,
            on_time_rate=review.on_time_rate,
        )


class NetworkDigestOut(Shape):
    id: int
    name: str
    budget: int
    rows: list[DigestRowOut]
    waiting: int
    counts: list[SectionCountOut]
    today_url: str
    review: WeeklyReviewOut | None
    fading: DigestRowOut | None = None  # the fading tie falling fastest, with a draft

    @classmethod
    def of(cls, part: NetworkDigest) -> Self:
        return cls(
            id=part.network_id,
            name=part.name,
            budget=part.budget,
            rows=[
                DigestRowOut(
                    kind=row.kind,
                    title=row.title,
                    reason=row.reason,
                    url=row.url,
                    draft_url=row.draft_url,
                )
                for row in part.rows
            ],
            waiting=part.waiting,
            counts=[SectionCountOut(title=c.title, count=c.count) for c in part.counts],
            today_url=part.today_url,
            review=WeeklyReviewOut.of(part.review) if part.review else None,
            fading=DigestRowOut(
                kind=part.fading.kind,
                title=part.fading.title,
                reason=part.fading.reason,
                url=part.fading.url,
                draft_url=part.fading.draft_url,
            )
            if part.fading
            else None,
        )


class DigestOut(Shape):
    """The digest of one user for their local ``today``: a part per network."""

    username: str
    today: dt.date
    subject: str
    weekly: bool
    networks: list[NetworkDigestOut]
    settings_url: str

    @classmethod
    def of(cls, digest: Digest) -> Self:
        return cls(
            username=digest.username,
            today=digest.today,
            subject=digest.subject,
            weekly=digest.weekly,
            networks=[NetworkDigestOut.of(part) for part in digest.networks],
            settings_url=digest.settings_url,
        )
