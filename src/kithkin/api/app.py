"""The API object: its authentication, its errors and its routers.

Network records live under ``/networks/{network_id}/``: a practice adds its router to
``NETWORK_ROUTERS`` and gets the network resolved (404 / 403) before any of its views run.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.openapi.schema import OpenAPISchema

from kithkin.api import (
    agenda,
    circles,
    dashboard,
    duplicates,
    events,
    followups,
    interactions,
    ledger,
    memberships,
    mentorships,
    messages,
    milestones,
    networks,
    opportunities,
    organizations,
    people,
    photos,
    problems,
    transfer,
    trash,
)
from kithkin.api.auth import TokenAuth


class KithkinAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Ninja's schema, with every error answer served as a problem (RFC 9457); built
        once per process and prefix (building it takes ~1 s of CPU: a schema per model)."""
        key = repr(sorted(kwargs.items()))
        if key not in self._schemas:
            self._schemas[key] = self._problem_schema(**kwargs)
        return self._schemas[key]

    @functools.cached_property
    def _schemas(self) -> dict[str, OpenAPISchema]:
        return {}

    def _problem_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for item in schema["paths"].values():
            for operation in item.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.CONTENT_TYPE: content["application/json"]}
        return schema


class LocalSwagger(Swagger):
    """Swagger UI served from django-ninja's own static files, never a CDN. Ninja takes a
    CDN page when "ninja" is not an installed app, and Kithkin does not install it (that
    would load ninja in every `kith` command's start; settings.NINJA_DIR): its fallback
    is pointed at the local page instead."""

    template_cdn = str(settings.NINJA_DIR / "templates" / "ninja" / "swagger.html")


api = KithkinAPI(
    title="Kithkin API",
    version="1",
    description=(
        "Your professional network, for other programs. Authenticate with a personal "
        "access token (Settings → API tokens, or `kith token create`) sent as "
        "`Authorization: Bearer kith_…`. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    # Swagger UI from ninja's own static files; no call to the public validator, which the
    # Content-Security-Policy would refuse anyway.
    docs=LocalSwagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", networks.router)

NETWORK_ROUTERS = (
    circles.router,
    agenda.router,
    dashboard.router,
    duplicates.router,
    events.router,
    followups.router,
    interactions.router,
    ledger.router,
    memberships.router,
    mentorships.router,
    messages.router,
    milestones.router,
    opportunities.router,
    organizations.router,
    people.router,
    photos.router,
    transfer.router,
    trash.router,
)
for router in NETWORK_ROUTERS:
    api.add_router("/networks/{network_id}", router)
