"""The digest's section of the Settings page, filled from the signed-in user's own
preferences (``{% digest_settings %}`` in partials/settings_digest.html)."""

from __future__ import annotations

from typing import Any

from django import template

from kithkin.services import mail
from kithkin.services.digest import preference_of
from kithkin.web.digest_forms import DigestForm

register = template.Library()


@register.inclusion_tag("kithkin/partials/settings_digest_form.html", takes_context=True)
def digest_settings(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    preference = preference_of(user)
    if preference is None:
        form = DigestForm(
            initial={"enabled": False, "days": list("0123456"), "weekly_review": True}
        )
    else:
        form = DigestForm(
            initial={
                "enabled": preference.enabled,
                "send_at": preference.send_at,
                "days": [str(day) for day in preference.weekdays],
                "weekly_review": preference.weekly_review,
                "weekly_review_day": str(preference.weekly_review_day),
                "ntfy_url": preference.ntfy_url,
            }
        )
    failed = preference is not None and preference.last_failure_at is not None
    if failed and preference is not None and preference.last_sent_at is not None:
        assert preference.last_failure_at is not None
        failed = preference.last_failure_at > preference.last_sent_at
    return {
        "form": form,
        "preference": preference,
        "failed": failed,
        "email_on": mail.is_configured(),
        "has_email": bool(user.email),
        "zone": user.time_zone,
        "csrf_token": context.get("csrf_token"),
    }
