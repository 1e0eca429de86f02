"""Two-factor sign-in and single sign-on: the login's second step, the Settings pages,
a network's rule, and the OpenID provider's way in and back (docs/two-factor.md, sso.md)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import oidc, two_factor

urlpatterns: list[URLPattern] = [
    path("login/code/", two_factor.login_code, name="login_code"),
    path("login/oidc/", oidc.oidc_login, name="oidc_login"),
    path("login/oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    path("settings/two-factor/", two_factor.two_factor, name="two_factor"),
    path("settings/two-factor/enrol/", two_factor.two_factor_enrol, name="two_factor_enrol"),
    path("settings/two-factor/confirm/", two_factor.two_factor_confirm, name="two_factor_confirm"),
    path(
        "settings/two-factor/recovery-codes/",
        two_factor.two_factor_codes,
        name="two_factor_codes",
    ),
    path("settings/two-factor/disable/", two_factor.two_factor_disable, name="two_factor_disable"),
    path("settings/sign-in/link/", oidc.oidc_link, name="oidc_link"),
    path("settings/sign-in/unlink/", oidc.oidc_unlink, name="oidc_unlink"),
    path("network/two-factor/", two_factor.network_two_factor, name="network_two_factor"),
]
