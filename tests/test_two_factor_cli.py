"""`kith mfa reset`: the way back for someone who lost their app and their codes."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kithkin.models import RecoveryCode
from kithkin.services import mfa

pytestmark = pytest.mark.django_db


def test_reset_turns_two_factor_off_for_that_user(kith, owner, teammate):
    mfa.start_enrolment(teammate)
    device = TOTPDevice.objects.get(user=teammate)
    mfa.confirm_enrolment(teammate, f"{totp(device.bin_key):06d}")

    result = kith("mfa", "reset", "Teammate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Two-factor is off for teammate:")
    assert not TOTPDevice.objects.filter(user=teammate).exists()
    assert not RecoveryCode.objects.exists()

    again = kith("mfa", "reset", "teammate")
    assert again.stdout == "teammate had no two-factor sign-in: nothing to reset.\n"


def test_reset_of_nobody_is_one_line(kith, owner):
    result = kith("mfa", "reset", "nobody")
    assert result.exit_code == 1 and result.stderr.strip() == "Error: No user 'nobody'."
