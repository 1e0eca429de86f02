"""The API object: its authentication, its errors and its routers.

Network records live under ``/networks/{network_id}/``: a practice adds its router to
``NETWORK_ROUTERS`` and gets the network resolved (404 / 403) before any of its views run.
"""

from __future__ import annotations

from typing import Any

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
    problems,
    transfer,
    trash,
)
from kithkin.api.auth import TokenAuth


class KithkinAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        """Ninja's schema, with every error answer served as a problem (RFC 9457)."""
        schema = super().get_openapi_schema(**kwargs)
        for item in schema["paths"].values():
            for operation in item.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {problems.CONTENT_TYPE: content["application/json"]}
        return schema


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
    # Swagger UI from the app's own static files (ninja is an installed app); no call to
    # the public validator, which the Content-Security-Policy would refuse anyway.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
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
    transfer.router,
    trash.router,
)
for router in NETWORK_ROUTERS:
    api.add_router("/networks/{network_id}", router)
