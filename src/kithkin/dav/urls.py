"""CardDAV's addresses, mounted at /dav/ (kithkin/urls.py); /.well-known/carddav points here."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from kithkin.dav import views

urlpatterns: list[URLPattern] = [
    re_path(r"^$", views.root, name="dav_root"),
    re_path(r"^(?P<user_id>\d{1,18})/?$", views.home, name="dav_home"),
    re_path(
        r"^(?P<user_id>\d{1,18})/(?P<network_id>\d{1,18})/?$", views.address_book, name="dav_book"
    ),
    re_path(
        r"^(?P<user_id>\d{1,18})/(?P<network_id>\d{1,18})/(?P<card_name>[^/]{1,255})$",
        views.card,
        name="dav_card",
    ),
    re_path(r"^(?P<user_id>\d{1,18})/(?P<network_id>\d{1,18})/(?P<rest>.+)$", views.inside),
    # anything else in the home: the user's own plain collections and files (dav/files.py)
    re_path(r"^(?P<user_id>\d{1,18})/(?P<path>.+)$", views.home_file, name="dav_file"),
]
