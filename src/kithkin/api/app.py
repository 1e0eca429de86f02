"""The API object: its authentication, its errors and its routers.

Network records live under ``/networks/{network_id}/``: a practice adds its router to
``NETWORK_ROUTERS`` and gets the network resolved (404 / 403) before any of its views run.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from kithkin.api import circles, networks, problems
from kithkin.api.auth import TokenAuth

api = NinjaAPI(
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

NETWORK_ROUTERS = (circles.router,)
for router in NETWORK_ROUTERS:
    api.add_router("/networks/{network_id}", router)
