"""Sending the daily digest: each user's preferences, the email and the push message, the
one-click unsubscribe, and the job that sends what is due.

When a digest is due (``due_preferences``): the user's local time of day has passed
``send_at`` on one of their days (their own zone, so a DST change moves nothing), and no
worker has claimed ``digest:<user id>:<local date>`` yet. The job claims that key *before*
sending (``jobs.claim``: one worker wins, however many race), sends, and ``jobs.finish``-es
it. A send the mail server refused gives the claim back and records the failure on the
preference (Settings and `kith doctor` show it): the next round tries again, and the users
whose digest went out are not sent it twice. Push (ntfy) has its own key,
``ntfy:<user id>:<local date>``, and the same rule.

The email's ``enabled`` is the user's; unsubscribing turns it off (RFC 8058 one-click: a
POST to the signed link in ``List-Unsubscribe``, no login). Push goes on while a topic URL
is set.
"""

from __future__ import annotations

import datetime as dt
import http.client
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from kithkin import clock, jobs, outbound
from kithkin.doctor import Finding, check
from kithkin.errors import InvalidInput, KithError, NotFound
from kithkin.models import Claim, DigestPreference, User
from kithkin.queries.digest import Digest, Parts, absolute, digest_for
from kithkin.services import mail

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "kithkin.digest.unsubscribe"
PUSH_TIMEOUT = 10  # seconds an ntfy server has to take the message
PUSH_ERRORS: tuple[type[BaseException], ...] = (
    outbound.Refused,
    OSError,
    http.client.HTTPException,
    ValueError,
)


# -- preferences -------------------------------------------------------------------------


def preference_of(user: User) -> DigestPreference | None:
    return DigestPreference.objects.filter(user=user).first()


def save_preferences(
    user: User,
    *,
    enabled: bool,
    send_at: dt.time,
    days: list[int],
    weekly_review: bool,
    weekly_review_day: int,
    ntfy_url: str = "",
) -> DigestPreference:
    """Set the user's own digest preferences (anyone may set their own: it changes no
    network)."""
    if not days:
        raise InvalidInput("days", "Pick at least one day (or turn the digest off).")
    if any(not 0 <= day <= 6 for day in days) or not 0 <= weekly_review_day <= 6:
        raise InvalidInput("days", "Days are Monday (0) to Sunday (6).")
    ntfy_url = ntfy_url.strip()
    if ntfy_url and not ntfy_url.startswith(("https://", "http://")):
        raise InvalidInput("ntfy_url", "An ntfy topic is an http(s) address: https://ntfy.sh/…")
    with transaction.atomic():
        preference, _ = DigestPreference.objects.select_for_update().get_or_create(user=user)
        preference.enabled = enabled
        if enabled:
            preference.unsubscribed_at = None
        preference.send_at = send_at.replace(second=0, microsecond=0)
        preference.days = "".join(str(day) for day in sorted(set(days)))
        preference.weekly_review = weekly_review
        preference.weekly_review_day = weekly_review_day
        preference.ntfy_url = ntfy_url
        preference.save()
    return preference


# -- unsubscribe -------------------------------------------------------------------------


def unsubscribe_token(user: User) -> str:
    """A signed token naming the user, for their digest's unsubscribe link."""
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user: User) -> str:
    return absolute(reverse("digest_unsubscribe", args=[unsubscribe_token(user)]))


def user_of_token(token: str) -> User:
    """The user an unsubscribe token was signed for; ``NotFound`` for a forged or damaged
    one."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise NotFound("This unsubscribe link is not valid.") from None
    user_id = payload.get("user") if isinstance(payload, dict) else None
    found = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if found is None:
        raise NotFound("This unsubscribe link is not valid.")
    return found


def unsubscribe(token: str) -> User:
    """Turn the digest email off for the user the token names (push stays as set)."""
    user = user_of_token(token)
    with transaction.atomic():
        preference, _ = DigestPreference.objects.select_for_update().get_or_create(user=user)
        if preference.enabled or preference.unsubscribed_at is None:
            preference.enabled = False
            preference.unsubscribed_at = clock.now()
            preference.save(update_fields=["enabled", "unsubscribed_at"])
    return user


# -- the email and the push ----------------------------------------------------------------


def digest_today(
    user: User, now: dt.datetime, preference: DigestPreference | None, parts: Parts | None = None
) -> Digest:
    today = clock.local_date(now, user.time_zone)
    weekly = preference.reviews_on(today) if preference is not None else False
    digest = digest_for(user, today, weekly=weekly, parts=parts)
    return replace(digest, unsubscribe_url=unsubscribe_url(user))


def render_text(digest: Digest) -> str:
    return render_to_string("kithkin/email/digest.txt", {"digest": digest})


def message_of(user: User, digest: Digest, connection: Any = None) -> EmailMultiAlternatives:
    context = {"digest": digest}
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("kithkin/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{digest.unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("kithkin/email/digest.html", context), "text/html")
    return message


def _record_sent(user: User, now: dt.datetime) -> None:
    DigestPreference.objects.filter(user=user).update(last_sent_at=now)


def _record_failure(user: User, now: dt.datetime, what: str) -> None:
    DigestPreference.objects.filter(user=user).update(last_failure_at=now, last_failure=what[:500])


def send_digest(
    user: User,
    now: dt.datetime,
    *,
    connection: Any = None,
    digest: Digest | None = None,
) -> Digest:
    """Email ``user`` their digest of the local day of ``now``, now (no claim: the job
    claims; `kith digest --send` sends on request). Raises ``KithError`` saying why when it
    could not be sent, after recording the failure."""
    mail.require_configured()
    if not user.email:
        raise InvalidInput("email", f"{user.get_username()} has no email address to send to.")
    digest = digest or digest_today(user, now, preference_of(user))
    try:
        message_of(user, digest, connection).send()
    except mail.SEND_ERRORS as error:
        what = mail.failure_text(error)
        _record_failure(user, now, what)
        raise KithError(f"The digest was not sent: {what}.") from None
    _record_sent(user, now)
    return digest


def push(url: str, digest: Digest) -> None:
    """Publish the plan's short text to an ntfy topic URL (ntfy's Title, Click and Tags
    headers). Raises one of ``PUSH_ERRORS``."""
    first = digest.networks[0].today_url if digest.networks else absolute(reverse("today"))
    # Through the webhooks' guard: the topic URL is the user's, and must not make the
    # server reach its own private network (KITH_WEBHOOKS_ALLOW_PRIVATE).
    answer = outbound.post(
        url,
        digest.short_text().encode(),
        {
            "Title": digest.subject.encode("ascii", "replace").decode(),
            "Click": first,
            "Tags": "spiral_calendar",
            "Content-Type": "text/plain; charset=utf-8",
        },
        timeout=PUSH_TIMEOUT,
    )
    if answer.status >= 400:
        raise OSError(f"the ntfy server answered {answer.status}")


def send_push(user: User, now: dt.datetime, *, digest: Digest | None = None) -> Digest:
    preference = preference_of(user)
    if preference is None or not preference.ntfy_url:
        raise InvalidInput("ntfy_url", "No ntfy topic URL is set (Settings, Daily digest).")
    digest = digest or digest_today(user, now, preference)
    try:
        push(preference.ntfy_url, digest)
    except PUSH_ERRORS as error:
        what = f"the push to {preference.ntfy_url} failed: {error}"[:500]
        _record_failure(user, now, what)
        raise KithError(f"The push message was not sent: {what}.") from None
    DigestPreference.objects.filter(user=user).update(last_pushed_at=now)
    return digest


# -- the job -------------------------------------------------------------------------------


def digest_key(user_id: int, day: dt.date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def push_key(user_id: int, day: dt.date) -> str:
    return f"ntfy:{user_id}:{day.isoformat()}"


@dataclass
class Due:
    preference: DigestPreference
    day: dt.date
    email_key: str | None  # None: no email due
    push_key: str | None  # None: no push due


@dataclass
class Round:
    """What one run of the job did."""

    sent: list[int] = field(default_factory=list)  # user ids emailed
    pushed: list[int] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # claim key -> what went wrong


def due_preferences(now: dt.datetime) -> list[Due]:
    """Everyone whose local send time has passed today on one of their days, with what is
    still to do for them (email, push); claimed work is left out."""
    found: list[Due] = []
    candidates = (
        DigestPreference.objects.select_related("user")
        .filter(user__is_active=True)
        .exclude(enabled=False, ntfy_url="")
        .exclude(days="")
    )
    for preference in candidates:
        local = now.astimezone(clock.zone(preference.user.time_zone))
        day = local.date()
        if not preference.sends_on(day) or local.time() < preference.send_at:
            continue
        emails = preference.enabled and bool(preference.user.email) and mail.is_configured()
        found.append(
            Due(
                preference,
                day,
                digest_key(preference.user_id, day) if emails else None,
                push_key(preference.user_id, day) if preference.ntfy_url else None,
            )
        )
    keys = {key for due in found for key in (due.email_key, due.push_key) if key}
    taken = set(Claim.objects.filter(key__in=keys).values_list("key", flat=True))
    for due in found:
        if due.email_key in taken:
            due.email_key = None
        if due.push_key in taken:
            due.push_key = None
    return [due for due in found if due.email_key or due.push_key]


def _claimed(key: str | None) -> str | None:
    return key if key is not None and jobs.claim(key) else None


@jobs.job("digests", every=dt.timedelta(minutes=1))
def send_due_digests(now: dt.datetime) -> Round:
    """Send every digest and push that is due (module docstring), each claimed first."""
    done = Round()
    connection: Any = None
    unreachable: str | None = None  # why the mail server could not be reached this round
    parts: Parts = {}  # each network's part, built once a round for all its members
    for due in due_preferences(now):
        user = due.preference.user
        email_key, push_key_ = _claimed(due.email_key), _claimed(due.push_key)
        if email_key is None and push_key_ is None:
            continue  # another worker took them
        try:
            digest = digest_today(user, now, due.preference, parts)
        except Exception as error:  # a digest that cannot be built must not stop the others
            logger.exception("the digest of user %s could not be built", user.pk)
            for key in (email_key, push_key_):
                if key:
                    jobs.release(key)
                    done.failed[key] = f"the digest could not be built: {error}"
            continue
        if email_key is not None:
            if connection is None and unreachable is None:
                # One SMTP session for the round, not one per message; a server that
                # cannot be reached is tried once a round, not once per user.
                connection = get_connection()
                try:
                    connection.open()
                except mail.SEND_ERRORS as error:
                    unreachable = mail.failure_text(error)
                    connection = None
            try:
                if unreachable is not None:
                    _record_failure(user, now, unreachable)
                    raise KithError(f"The digest was not sent: {unreachable}.")
                send_digest(user, now, connection=connection, digest=digest)
            except KithError as error:
                jobs.release(email_key)
                done.failed[email_key] = str(error)
                logger.warning("user %s: %s", user.pk, error)
                if connection is not None:
                    connection.close()  # a broken session is not reused for the next user
                connection = None
            else:
                jobs.finish(email_key)
                done.sent.append(user.pk)
        if push_key_ is not None:
            try:
                send_push(user, now, digest=digest)
            except KithError as error:
                jobs.release(push_key_)
                done.failed[push_key_] = str(error)
                logger.warning("user %s: %s", user.pk, error)
            else:
                jobs.finish(push_key_)
                done.pushed.append(user.pk)
    if connection is not None:
        connection.close()
    return done


def failing() -> list[DigestPreference]:
    """Users whose last digest or push failed and has not gone out since."""
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return [
        preference
        for preference in DigestPreference.objects.select_related("user")
        .exclude(last_failure_at=None)
        .order_by("user__username")
        if (preference.last_failure_at or never)
        > max(preference.last_sent_at or never, preference.last_pushed_at or never)
    ]


@check("digests")
def digests_check() -> list[Finding]:
    """Each user whose digest is failing, with why; fine when none is."""
    return [
        Finding(
            "digests",
            False,
            f"the digest of {preference.user.get_username()} failed at "
            f"{preference.last_failure_at:%Y-%m-%d %H:%M} UTC: {preference.last_failure} "
            "(it is retried every minute that day)",
        )
        for preference in failing()
    ]
