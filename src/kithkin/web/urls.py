"""Every page of the web app. Names come from the domain (DESIGN.md §2)."""

from __future__ import annotations

from django.urls import include, path
from django.views.generic import RedirectView

from kithkin.web.views import (
    accounts,
    duplicates,
    followups,
    history,
    organizations,
    people,
    person,
    photos,
    settings,
    sharing,
    today,
    transfer,
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="today"), name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("today/", today.today, name="today"),
    path("today/live/", today.today_live, name="today_live"),
    path("today/sections/<str:key>/", today.today_section, name="today_section"),
    path("undo/<int:action_id>/", today.undo_action, name="undo"),
    path("follow-ups/<int:follow_up_id>/done/", today.follow_up_done, name="follow_up_done"),
    path("follow-ups/<int:follow_up_id>/snooze/", today.follow_up_snooze, name="follow_up_snooze"),
    path("follow-ups/<int:follow_up_id>/edit/", followups.follow_up_edit, name="follow_up_edit"),
    path(
        "follow-ups/<int:follow_up_id>/delete/", followups.follow_up_delete, name="follow_up_delete"
    ),
    path("people/", people.people, name="people"),
    path("people/new/", person.person_new, name="person_new"),
    path("people/bulk/", people.people_bulk_action, name="people_bulk"),
    path("people/<int:person_id>/", person.person_detail, name="person"),
    path("people/<int:person_id>/edit/", person.person_edit, name="person_edit"),
    path("people/<int:person_id>/photo/", photos.person_photo_upload, name="person_photo_upload"),
    path(
        "people/<int:person_id>/photo/remove/",
        photos.person_photo_remove,
        name="person_photo_remove",
    ),
    path(
        "people/<int:person_id>/photo/<str:digest>.jpg",
        photos.person_photo,
        name="person_photo",
    ),
    path(
        "people/<int:person_id>/photo/<str:digest>/<str:size>.jpg",
        photos.person_photo,
        name="person_photo_sized",
    ),
    path("people/<int:person_id>/archive/", person.person_archive, name="person_archive"),
    path("people/<int:person_id>/delete/", person.person_delete, name="person_delete"),
    path("people/<int:person_id>/history/", history.person_history, name="person_history"),
    path("trash/", history.trash, name="trash"),
    path("trash/<int:item_id>/restore/", history.trash_restore, name="trash_restore"),
    path("people/<int:person_id>/log/", person.person_log, name="person_log"),
    path("people/<int:person_id>/follow-up/", person.person_follow_up, name="person_follow_up"),
    path("people/<int:person_id>/snooze/", person.person_snooze, name="person_snooze"),
    path(
        "people/<int:person_id>/contact-points/", person.contact_point_add, name="contact_point_add"
    ),
    path(
        "people/<int:person_id>/contact-points/<int:point_id>/remove/",
        person.contact_point_remove,
        name="contact_point_remove",
    ),
    path("people/<int:person_id>/affiliations/", person.affiliation_add, name="affiliation_add"),
    path("organizations/", organizations.organizations, name="organizations"),
    path(
        "organizations/<int:organization_id>/",
        organizations.organization_detail,
        name="organization",
    ),
    path("tags/", organizations.tags, name="tags"),
    path("duplicates/", duplicates.duplicates, name="duplicates"),
    path(
        "duplicates/merge/<int:person_id>/<int:other_id>/",
        duplicates.duplicate_merge,
        name="duplicate_merge",
    ),
    path(
        "duplicates/dismiss/<int:person_id>/<int:other_id>/",
        duplicates.duplicate_dismiss,
        name="duplicate_dismiss",
    ),
    path("settings/", settings.settings_page, name="settings"),
    path("settings/circles/<int:circle_id>/", settings.circle_update, name="circle_update"),
    path("settings/password/", settings.password_change, name="password_change"),
    path("settings/sessions/end-others/", settings.sessions_end_others, name="sessions_end_others"),
    path("import/", transfer.import_page, name="import"),
    path("import/preview/", transfer.import_preview, name="import_preview"),
    path("export/<str:format_name>/", transfer.export_download, name="export"),
    path("network/", sharing.network_page, name="network"),
    path("network/members/<int:membership_id>/role/", sharing.member_role, name="member_role"),
    path(
        "network/members/<int:membership_id>/remove/", sharing.member_remove, name="member_remove"
    ),
    path(
        "network/invitations/<int:invitation_id>/revoke/",
        sharing.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", sharing.invitation, name="invitation"),
    path("networks/switch/", sharing.network_switch, name="network_switch"),
    *(
        path("", include(f"kithkin.web.routes.{subject}"))
        for subject in (
            "events",
            "memberships",
            "drafts",
            "mentorships",
            "ledger",
            "milestones",
            "opportunities",
            "triage",
            "tokens",
            "sign_in",
            "webhooks",
            "digest",
            "feeds",
            "app",
            "sync_accounts",
            "insights",
            "dav",
            "strength",
        )
    ),
]
