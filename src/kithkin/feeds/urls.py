"""The feeds' addresses, mounted at /feeds/ (kithkin/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from kithkin.feeds import views

urlpatterns: list[URLPattern] = [
    path("<str:secret>/calendar.ics", views.calendar, name="feed_calendar"),
]
