"""Two-factor sign-in with an authenticator app (TOTP) and recovery codes
(docs/two-factor.md). django-otp keeps the devices and checks the codes; this module holds
Kithkin's rules around them:

- enrolment: a new secret is pending (an unconfirmed device) until a code from the app
  confirms it; then the ``RECOVERY_CODE_COUNT`` recovery codes are made and shown once;
- a second factor is a code from the app or a recovery code, each good once (django-otp
  refuses a time step already used; a recovery code is deleted as it is used);
- wrong codes are counted per user: ``MAX_CODE_FAILURES`` within ``CODE_WINDOW`` and
  further codes are refused until the window moves on, as with passwords. Only someone
  who got past the first factor (or is signed in) can type one, so this cannot lock out
  a user from the outside;
- regenerating the codes and turning two-factor off need proof: a current code or the
  password;
- a network's owners may require two-factor of every member (``set_required``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin import access, clock
from kithkin.errors import InvalidInput, Throttled
from kithkin.models import CodeFailure, Network, RecoveryCode, RecoveryCodes, User
from kithkin.models.mfa import code_digest
from kithkin.queries.mfa import has_two_factor

RECOVERY_CODE_COUNT = 10
MAX_CODE_FAILURES = 5
CODE_WINDOW = dt.timedelta(minutes=15)
# The alphabet of recovery codes: base32's, lower case (no 0/1/8/9 to misread as o/l/b/g).
_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_CODE_LENGTH = 16  # 80 random bits, shown as four groups of four
APP_NAME = "Authenticator app"


@dataclass(frozen=True)
class Enrolment:
    """A secret waiting for its first code: what the enrolment page shows."""

    secret: str  # base32, as apps take it typed by hand
    uri: str  # otpauth://, what the QR code holds
    qr_svg: str  # that QR code as an inline <svg> element

    @property
    def secret_groups(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def _enrolment(device: TOTPDevice) -> Enrolment:
    uri = device.config_url
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, title="QR code to scan", dark="#1f2430", light="#ffffff"
    )
    return Enrolment(secret=b32encode(device.bin_key).decode(), uri=uri, qr_svg=svg)


@transaction.atomic
def start_enrolment(user: User) -> Enrolment:
    """A new secret for ``user``'s authenticator app, pending until confirmed. Starting
    again replaces a pending one; with two-factor already on it is refused."""
    if has_two_factor(user):
        raise InvalidInput("two_factor", "is already on: turn it off first to change apps")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return _enrolment(TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False))


def pending_enrolment(user: User) -> Enrolment | None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return _enrolment(device) if device is not None else None


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-factor on with the first code from the app; returns the recovery codes,
    to be shown this once (only their digests are kept)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise InvalidInput("code", "there is no app waiting to be confirmed: start again")
    _check(user, [device], code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return _new_recovery_codes(user)


def verify(user: User, code: str) -> Device:
    """The second step of signing in: ``code`` from the app or a recovery code. Returns
    the device that took it; ``InvalidInput`` for a wrong code, ``Throttled`` after too
    many."""
    devices = _devices(user)
    if not devices:
        raise InvalidInput("code", "two-factor is not on for this account")
    return _check(user, devices, code)


def regenerate_recovery_codes(user: User, proof: str) -> list[str]:
    """New recovery codes in place of every old one, shown once. ``proof``: a current code
    or the password."""
    if not has_two_factor(user):
        raise InvalidInput("two_factor", "is not on")
    _prove(user, proof)
    with transaction.atomic():
        return _new_recovery_codes(user)


def disable(user: User, proof: str) -> None:
    """Turn two-factor off: the app's secret and the recovery codes are deleted.
    ``proof``: a current code or the password."""
    if not has_two_factor(user):
        raise InvalidInput("two_factor", "is not on")
    _prove(user, proof)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()


def reset(user: User) -> bool:
    """Turn two-factor off without proof: for whoever runs the server (`kith mfa reset`),
    when someone lost both the app and the codes. Returns whether it was on."""
    with transaction.atomic():
        was_on = has_two_factor(user)
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        CodeFailure.objects.filter(user=user).delete()
    return was_on


@transaction.atomic
def set_required(network: Network, user: User, required: bool) -> None:
    """An owner requires (or stops requiring) two-factor of every member of ``network``.
    An owner without it must turn it on first: they would be sent to do so anyway."""
    access.require_owner(user, network)
    if required and not has_two_factor(user):
        raise InvalidInput(
            "requires_two_factor", "turn on two-factor for yourself first (Settings)"
        )
    network.requires_two_factor = required
    network.save(update_fields=["requires_two_factor"])


def is_throttled(user: User) -> bool:
    return _recent_failures(user) >= MAX_CODE_FAILURES


def _recent_failures(user: User) -> int:
    return CodeFailure.objects.filter(user=user, at__gt=clock.now() - CODE_WINDOW).count()


def _prove(user: User, proof: str) -> None:
    """``proof`` is the password (when the account has one) or a current code."""
    if is_throttled(user):
        raise Throttled("Too many wrong codes. Wait 15 minutes and try again.")
    if user.has_usable_password() and proof and user.check_password(proof):
        return
    devices = _devices(user)
    try:
        _check(user, devices, proof)
    except InvalidInput:
        raise InvalidInput("proof", "is neither your password nor a current code") from None


def _devices(user: User) -> list[Device]:
    return [*TOTPDevice.objects.filter(user=user, confirmed=True), *_recovery(user)]


def _recovery(user: User) -> list[RecoveryCodes]:
    return list(RecoveryCodes.objects.filter(user=user, confirmed=True))


def _check(user: User, devices: list[Device], code: str) -> Device:
    """The device of ``devices`` that takes ``code``, counting a wrong code against the
    user. Six digits go to the app, anything else to the recovery codes."""
    if is_throttled(user):
        raise Throttled("Too many wrong codes. Wait 15 minutes and try again.")
    typed = "".join(code.split()).replace("-", "")
    is_app_code = typed.isdigit() and len(typed) == 6
    for device in devices:
        if isinstance(device, TOTPDevice) != is_app_code:
            continue
        if device.confirmed:
            # django-otp's own check, in a transaction with the device locked.
            verified = django_otp.verify_token(user, device.persistent_id, typed)
        else:
            with transaction.atomic():
                verified = device if device.verify_token(typed) else None
        if verified is not None:
            CodeFailure.objects.filter(user=user).delete()
            return verified
    now = clock.now()
    CodeFailure.objects.create(user=user, at=now)
    CodeFailure.objects.filter(at__lt=now - CODE_WINDOW).delete()
    if not typed:
        raise InvalidInput("code", "type the 6 digits your app shows, or a recovery code")
    raise InvalidInput("code", "that code is not right (or was already used)")


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCodes.objects.filter(user=user).delete()
    device = RecoveryCodes.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=code_digest(code)) for code in codes
    )
    return codes


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _CODE_LENGTH, 4))
