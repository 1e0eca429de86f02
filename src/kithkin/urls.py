"""URL routes: the REST API under /api/v1/, calendar feeds under /feeds/, CardDAV under /dav/, the web app at
the root."""

from django.urls import URLPattern, URLResolver, include, path

from kithkin.dav.views import well_known

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", include("kithkin.api.urls")),
    path("mcp/", include("kithkin.mcp.urls")),
    path("feeds/", include("kithkin.feeds.urls")),
    path("dav/", include("kithkin.dav.urls")),
    path(".well-known/carddav", well_known),
    path("", include("kithkin.web.urls")),
]

handler500 = "kithkin.web.views.errors.server_error"
