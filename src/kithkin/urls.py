"""URL routes: the web app at the root (the REST API will mount under /api/)."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [path("", include("kithkin.web.urls"))]
