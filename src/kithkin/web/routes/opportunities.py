"""The opportunities pages: the board, one opportunity (matches, shares)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import opportunities as views

urlpatterns: list[URLPattern] = [
    path("opportunities/", views.opportunities, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path(
        "opportunities/<int:opportunity_id>/",
        views.opportunity_detail_page,
        name="opportunity",
    ),
    path(
        "opportunities/<int:opportunity_id>/share/",
        views.opportunity_share,
        name="opportunity_share",
    ),
    path(
        "opportunities/<int:opportunity_id>/status/",
        views.opportunity_status,
        name="opportunity_status",
    ),
    path("opportunities/shares/<int:share_id>/outcome/", views.share_outcome, name="share_outcome"),
]
