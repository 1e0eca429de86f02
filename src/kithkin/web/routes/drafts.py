"""The drafts pages: drafts ready to copy, the prep brief, the message templates."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import drafts

urlpatterns: list[URLPattern] = [
    path("follow-ups/<int:follow_up_id>/draft/", drafts.follow_up_draft, name="follow_up_draft"),
    path("follow-ups/<int:follow_up_id>/sent/", drafts.follow_up_sent, name="follow_up_sent"),
    path("people/<int:person_id>/draft/", drafts.person_draft, name="person_draft"),
    path("people/<int:person_id>/draft/sent/", drafts.person_draft_sent, name="person_draft_sent"),
    path("people/<int:person_id>/brief/", drafts.person_brief, name="person_brief"),
    path("settings/message-templates/", drafts.message_templates, name="message_templates"),
    path(
        "settings/message-templates/<str:kind>/", drafts.message_template, name="message_template"
    ),
    path(
        "settings/message-templates/<str:kind>/preview/",
        drafts.message_template_preview,
        name="message_template_preview",
    ),
    path(
        "settings/message-templates/<str:kind>/reset/",
        drafts.message_template_reset,
        name="message_template_reset",
    ),
]
