"""The memberships pages: adding organizations, joining, renewing, leaving, reminders.
(The organizations list and page themselves are in kithkin.web.urls.)"""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import memberships, organizations

urlpatterns: list[URLPattern] = [
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path(
        "organizations/<int:organization_id>/join/",
        memberships.organization_join,
        name="organization_join",
    ),
    path(
        "organizations/<int:organization_id>/renew/",
        memberships.organization_renew,
        name="organization_renew",
    ),
    path(
        "organizations/<int:organization_id>/leave/",
        memberships.organization_leave,
        name="organization_leave",
    ),
    path(
        "organizations/renewal-notice/",
        memberships.organization_notice,
        name="organization_notice",
    ),
]
