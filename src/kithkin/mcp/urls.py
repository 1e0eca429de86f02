"""``/mcp/``: the one Streamable HTTP endpoint (see http.py)."""

from django.urls import URLPattern, path

from kithkin.mcp.http import endpoint

urlpatterns: list[URLPattern] = [path("", endpoint, name="mcp")]
