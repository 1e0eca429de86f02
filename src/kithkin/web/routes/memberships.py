"""The memberships pages: adding, editing, merging and deleting organizations; joining,
renewing, leaving, reminders.
(The organizations list and page themselves are in kithkin.web.urls.)"""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import memberships, organizations

urlpatterns: list[URLPattern] = [
    path("organizations/new/", organizations.organization_new, name="organization_new"),
    path(
        "organizations/<int:organization_id>/edit/",
        organizations.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<int:organization_id>/merge/",
        organizations.organization_merge,
        name="organization_merge",
    ),
    path(
        "organizations/<int:organization_id>/delete/",
        organizations.organization_delete,
        name="organization_delete",
    ),
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
