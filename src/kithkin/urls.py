"""URL routes: the REST API under /api/v1/, calendar feeds under /feeds/, the web app at
the root."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include("kithkin.api.urls")),
    path("mcp/", include("kithkin.mcp.urls")),
    path("feeds/", include("kithkin.feeds.urls")),
    path("", include("kithkin.web.urls")),
]
