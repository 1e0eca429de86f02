"""URL routes. The web app and the REST API mount here (see the web app issue)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
