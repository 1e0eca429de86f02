"""The installable app: manifest and service worker at the root, quick log, share target."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.web.views import app as views

urlpatterns: list[URLPattern] = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("log/", views.quick_log_page, name="quick_log"),
    path("log/manifest.webmanifest", views.quick_log_manifest, name="quick_log_manifest"),
    path("log/people/", views.quick_log_people, name="quick_log_people"),
    path("share/", views.share, name="share"),
]
